#!/usr/bin/env bash
# The collection day side by side with the floor of ../shared/bench (issue "The collection day: exact, fast, and
# kind"): a release build of duly against sqlite_baseline.sh on the ledger gen_ledger.py makes. Medians of RUNS runs.
#
#   scripts/bench_day.sh [RUNS]     (default 3; 100,000 customers, 1,000,000 invoices, as of 2026-06-30)
#
# Needs python3, sqlite3, bc and /usr/bin/time (Debian: apt-get install -y sqlite3 bc time).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
shared=../shared/bench
work=bench/day
as_of=2026-06-30
next_day=2026-07-01
duly=
# shellcheck source=scripts/bench_ledger.sh
source scripts/bench_ledger.sh

# "seconds peak_kb" of one command; its CPU seconds (user + system) are added to $work/.cpu under its label
measure() {
    local label=$1; shift
    /usr/bin/time -f "%e %M %U %S" -o "$work/.time" "$@" >/dev/null 2>"$work/.stderr" || { cat "$work/.stderr" >&2; exit 1; }
    read -r e kb u sy < "$work/.time"
    echo "$label $(echo "$u + $sy" | bc)" >> "$work/.cpu"
    echo "$e $kb"
}
cpu() { awk -v l="$1" '$1 == l { print $2 }' "$work/.cpu" | median; }

imports=(); dry=(); writing=(); next=(); base_import=(); base_scan=(); peak=0
: > "$work/.cpu"
for _ in $(seq "$runs"); do
    read -r _ bi _ bs _ < <(bash "$shared/sqlite_baseline.sh" "$work" "$as_of")
    base_import+=("$bi"); base_scan+=("$bs")

    db="sqlite:$work/duly.sqlite"
    rm -f "$work"/duly.sqlite*
    "$duly" init --database "$db" --name Bench --currency EUR --country NL --timezone Europe/Amsterdam >/dev/null
    total=0
    for kind in customers invoices payments; do
        read -r s kb < <(measure "import-$kind" "$duly" import "$kind" "$work/$kind.csv" --as-of "$as_of" --database "$db")
        total=$(echo "$total + $s" | bc); peak=$(( kb > peak ? kb : peak ))
    done
    imports+=("$total")
    read -r s kb < <(measure dry "$duly" run --dry-run --as-of "$as_of" --database "$db"); dry+=("$s"); peak=$(( kb > peak ? kb : peak ))
    read -r s kb < <(measure writing "$duly" run --as-of "$as_of" --database "$db"); writing+=("$s"); peak=$(( kb > peak ? kb : peak ))
    read -r s kb < <(measure next "$duly" run --as-of "$next_day" --database "$db"); next+=("$s"); peak=$(( kb > peak ? kb : peak ))
done

m() { printf '%s\n' "$@" | median; }
bi=$(m "${base_import[@]}"); bs=$(m "${base_scan[@]}")
row() { printf '%-40s %9.2fs %9.2fs %7.2f\n' "$1" "$2" "$3" "$(echo "$2 / $3" | bc -l)"; }
printf '\n%-40s %10s %10s %7s\n' "measure (median of $runs)" "duly" "floor" "ratio"
row "import of the three files" "$(m "${imports[@]}")" "$bi"
row "run --dry-run" "$(m "${dry[@]}")" "$bs"
row "run (writing actions and timeline)" "$(m "${writing[@]}")" "$bs"
row "next day's run" "$(m "${next[@]}")" "$bs"
printf '%-40s %9d MB\n' "peak memory of any of these" "$((peak / 1024))"
echo "median CPU seconds (user + system): import customers $(cpu import-customers), invoices $(cpu import-invoices), payments $(cpu import-payments); dry $(cpu dry); writing $(cpu writing); next $(cpu next)"
echo "all runs: import ${imports[*]} / floor ${base_import[*]}; dry ${dry[*]}; writing ${writing[*]}; next ${next[*]} / scan ${base_scan[*]}"
