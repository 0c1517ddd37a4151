#!/usr/bin/env bash
# Benchmark of `duly import statement` (issue "bank statements"): camt.053 files of 1k, 10k and 100k entries matched
# against the 1M-invoice bench ledger, median of RUNS runs each, each run on a fresh copy of the same database.
# Matching must be linear: the 100k file should cost about ten times the 10k one, less the fixed cost of reading the
# ledger's open invoices (the 1k file shows it). See BENCHMARKS.md.
#
#   scripts/bench_statement.sh [RUNS]        (default 3)
#
# Needs python3, sqlite3, bc and /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
work=bench
mkdir -p "$work"

swift build -c release --product duly >/dev/null
duly=$(swift build -c release --show-bin-path)/duly

if [ ! -f "$work/invoices.csv" ]; then
    echo "generating the ledger in $work/ …" >&2
    python3 scripts/generate_ledger.py "$work"
fi
base="$work/statement-base.sqlite"
if [ ! -f "$base" ]; then
    echo "importing the ledger into $base …" >&2
    db="sqlite:$base"
    "$duly" init --database "$db" --name Bench --currency EUR --country NL --timezone Europe/Amsterdam >/dev/null
    for kind in customers invoices payments; do
        /usr/bin/time -f "  import $kind: %e s, %M KB" "$duly" import "$kind" "$work/$kind.csv" --database "$db" >/dev/null
    done
    sqlite3 "$base" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
fi
for size in 1000 10000 100000; do
    [ -f "$work/statement-$size.xml" ] || python3 scripts/generate_statement.py "$work" "$size" "$work/statement-$size.xml"
done

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

declare -A medians peaks
for size in 1000 10000 100000; do
    times=()
    for _ in $(seq "$runs"); do
        rm -f "$work/statement-run.sqlite" "$work/statement-run.sqlite-wal" "$work/statement-run.sqlite-shm"
        cp "$base" "$work/statement-run.sqlite"
        /usr/bin/time -f "%e %M" -o "$work/.time" "$duly" import statement "$work/statement-$size.xml" \
            --as-of 2026-03-10 --database "sqlite:$work/statement-run.sqlite" >"$work/.out"
        read -r seconds kb < "$work/.time"
        times+=("$seconds")
        peaks[$size]=$kb
    done
    medians[$size]=$(printf '%s\n' "${times[@]}" | median)
    echo "$size entries: ${times[*]} s (peak $((${peaks[$size]} / 1024)) MB)" >&2
    tail -n 3 "$work/.out" | sed 's/^/    /' >&2
done

printf '\n%-28s %10s %12s %10s\n' "camt.053 entries" "median s" "µs / entry" "peak MB"
for size in 1000 10000 100000; do
    printf '%-28s %10.2f %12.0f %10d\n' "$size" "${medians[$size]}" \
        "$(echo "${medians[$size]} * 1000000 / $size" | bc -l)" "$((${peaks[$size]} / 1024))"
done
printf 'ratio 100k / 10k: %.2f; marginal cost per entry 1k→10k: %.0f µs, 10k→100k: %.0f µs\n' \
    "$(echo "${medians[100000]} / ${medians[10000]}" | bc -l)" \
    "$(echo "(${medians[10000]} - ${medians[1000]}) * 1000000 / 9000" | bc -l)" \
    "$(echo "(${medians[100000]} - ${medians[10000]}) * 1000000 / 90000" | bc -l)"
