#!/usr/bin/env bash
# Two or more builds of duly alternated on the collection day, each run on a fresh copy of one imported ledger, every
# round against the floor's scan of that round (../shared/bench/sqlite_baseline.sh): for telling a change from the
# machine's noise, which between rounds is wider than most changes (BENCHMARKS.md).
#
#   scripts/bench_day_ab.sh ROUNDS IMPORTED.sqlite DULY...
#
# IMPORTED.sqlite: a database `scripts/bench_day.sh` has imported the bench ledger into and not yet run (copy
# bench/day/duly.sqlite after its imports). Prints, per round and build: the scan, the dry run, the writing run (wall,
# user and system seconds) and the next day's run. Swap the builds' order between two calls, so that neither always
# runs first after the floor's script.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=$1 imported=$2; shift 2
copy=$(mktemp -u -t duly-day-ab.XXXX.sqlite)
seconds() { /usr/bin/time -f "$1" -o "$copy.time" "${@:2}" >/dev/null; cat "$copy.time"; }
for round in $(seq "$rounds"); do
    read -r _ _ _ scan _ < <(bash ../shared/bench/sqlite_baseline.sh bench/day 2026-06-30)
    for duly in "$@"; do
        cp "$imported" "$copy"; rm -f "$copy-wal" "$copy-shm"
        dry=$(seconds "%e" "$duly" run --dry-run --as-of 2026-06-30 --database "sqlite:$copy")
        writing=$(seconds "%e %U %S" "$duly" run --as-of 2026-06-30 --database "sqlite:$copy")
        next=$(seconds "%e" "$duly" run --as-of 2026-07-01 --database "sqlite:$copy")
        echo "round $round $duly: scan $scan dry $dry writing $writing next $next"
    done
done
rm -f "$copy" "$copy-wal" "$copy-shm" "$copy.time"
