#!/usr/bin/env bash
# The three imports of the collection day's ledger, and the same files as one first load (`duly import ledger`), side
# by side with the floor's import (issue 10, part 2): a release build of duly against
# ../shared/bench/sqlite_baseline.sh, RUNS rounds, medians. Besides wall time it gives CPU time
# (user + system), which a machine shared with builds distorts far less. BENCHMARKS.md, "Import at a million
# invoices (issue 10)".
#
#   scripts/bench_import.sh [RUNS] [DULY]   (default 3 and this tree's release build; the ledger of bench_day.sh)
#
# Needs python3, sqlite3, bc and /usr/bin/time (Debian: apt-get install -y sqlite3 bc time).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
duly=${2:-}
shared=../shared/bench
work=bench/day
as_of=2026-06-30
# shellcheck source=scripts/bench_ledger.sh
source scripts/bench_ledger.sh
m() { printf '%s\n' "$@" | median; }

floor_wall=(); floor_cpu=(); wall=(); cpu=(); ledger_wall=(); ledger_cpu=(); ledger_peak=()
declare -A kind_wall kind_cpu kind_peak
for _ in $(seq "$runs"); do
    /usr/bin/time -f "%U %S" -o "$work/.time" bash "$shared/sqlite_baseline.sh" "$work" "$as_of" >"$work/.floor"
    read -r _ bi _ bs _ <"$work/.floor"
    read -r u s <"$work/.time"
    floor_wall+=("$bi")
    # The baseline's CPU time covers its import and its scan; the import's share is its share of the wall time.
    floor_cpu+=("$(echo "($u + $s) * $bi / ($bi + $bs)" | bc -l)")

    db="sqlite:$work/duly.sqlite"
    rm -f "$work"/duly.sqlite*
    "$duly" init --database "$db" --name Bench --currency EUR --country NL --timezone Europe/Amsterdam >/dev/null
    total_wall=0; total_cpu=0
    for kind in customers invoices payments; do
        /usr/bin/time -f "%e %U %S %M" -o "$work/.time" "$duly" import "$kind" "$work/$kind.csv" --as-of "$as_of" \
            --database "$db" >/dev/null 2>"$work/.stderr" || { cat "$work/.stderr" >&2; exit 1; }
        read -r e u s kb <"$work/.time"
        c=$(echo "$u + $s" | bc)
        kind_wall[$kind]+="$e "; kind_cpu[$kind]+="$c "; kind_peak[$kind]+="$kb "
        total_wall=$(echo "$total_wall + $e" | bc); total_cpu=$(echo "$total_cpu + $c" | bc)
    done
    wall+=("$total_wall"); cpu+=("$total_cpu")

    # The same three files as one first load (`duly import ledger`), into a fresh database.
    rm -f "$work"/duly.sqlite*
    "$duly" init --database "$db" --name Bench --currency EUR --country NL --timezone Europe/Amsterdam >/dev/null
    /usr/bin/time -f "%e %U %S %M" -o "$work/.time" "$duly" import ledger "$work" --as-of "$as_of" \
        --database "$db" >/dev/null 2>"$work/.stderr" || { cat "$work/.stderr" >&2; exit 1; }
    read -r e u s kb <"$work/.time"
    ledger_wall+=("$e"); ledger_cpu+=("$(echo "$u + $s" | bc)"); ledger_peak+=("$kb")
done

printf '\n%-34s %10s %10s %10s %10s\n' "median of $runs" "wall" "ratio" "cpu" "ratio"
fw=$(m "${floor_wall[@]}"); fc=$(m "${floor_cpu[@]}")
printf '%-34s %9.2fs %10s %9.2fs %10s\n' "floor: sqlite3 .import" "$fw" "" "$fc" ""
for kind in customers invoices payments; do
    # shellcheck disable=SC2086
    printf '%-34s %9.2fs %10s %9.2fs %10s %7d MB peak\n' "duly import $kind" "$(m ${kind_wall[$kind]})" "" \
        "$(m ${kind_cpu[$kind]})" "" "$(( $(m ${kind_peak[$kind]}) / 1024 ))"
done
w=$(m "${wall[@]}"); c=$(m "${cpu[@]}")
printf '%-34s %9.2fs %9.1fx %9.2fs %9.1fx\n' "duly import, the three files" "$w" "$(echo "$w / $fw" | bc -l)" "$c" \
    "$(echo "$c / $fc" | bc -l)"
lw=$(m "${ledger_wall[@]}"); lc=$(m "${ledger_cpu[@]}")
printf '%-34s %9.2fs %9.1fx %9.2fs %9.1fx %7d MB peak\n' "duly import ledger (one first load)" "$lw" \
    "$(echo "$lw / $fw" | bc -l)" "$lc" "$(echo "$lc / $fc" | bc -l)" "$(( $(m "${ledger_peak[@]}") / 1024 ))"
echo "all runs: duly wall ${wall[*]}; cpu ${cpu[*]}; ledger wall ${ledger_wall[*]}; cpu ${ledger_cpu[*]};" \
    "floor wall ${floor_wall[*]}; cpu ${floor_cpu[*]}"
