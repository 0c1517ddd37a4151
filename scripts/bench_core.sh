#!/usr/bin/env bash
# Side-by-side benchmark for the core (issue "Duly's core"): a release build of duly against the sqlite3 shell on
# the same generated ledger. Prints medians of RUNS runs and the ratios; see BENCHMARKS.md.
#
#   scripts/bench_core.sh [RUNS]        (default 3; the ledger is 100k customers, 1M invoices, 670k payments)
#
# Needs python3, sqlite3 and /usr/bin/time (Debian: apt-get install -y sqlite3 time).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
work=bench
mkdir -p "$work"
as_of=2026-03-09

swift build -c release --product duly >/dev/null
duly=$(swift build -c release --show-bin-path)/duly

if [ ! -f "$work/invoices.csv" ]; then
    echo "generating the ledger in $work/ …" >&2
    python3 scripts/generate_ledger.py "$work"
fi
wc -l "$work"/customers.csv "$work"/invoices.csv "$work"/payments.csv >&2

# seconds of wall time for one command, to stdout
seconds() { /usr/bin/time -f "%e" -o "$work/.time" "$@" >/dev/null 2>"$work/.stderr" || { cat "$work/.stderr" >&2; exit 1; }; cat "$work/.time"; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

duly_import() {
    rm -f "$work/duly.sqlite" "$work/duly.sqlite-wal" "$work/duly.sqlite-shm"
    local db="sqlite:$work/duly.sqlite"
    "$duly" init --database "$db" --name Bench --currency EUR --country NL --timezone Europe/Amsterdam >/dev/null
    local start end
    start=$(date +%s.%N)
    "$duly" import customers "$work/customers.csv" --database "$db" >/dev/null
    "$duly" import invoices "$work/invoices.csv" --database "$db" >/dev/null
    "$duly" import payments "$work/payments.csv" --database "$db" >/dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

sqlite_import() {
    rm -f "$work/plain.sqlite"
    local start end
    start=$(date +%s.%N)
    sqlite3 "$work/plain.sqlite" -cmd ".mode csv" \
        ".import $work/customers.csv customers" ".import $work/invoices.csv invoices" ".import $work/payments.csv payments"
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

echo "== import: duly (customers + invoices + payments) vs sqlite3 .import into plain tables" >&2
duly_times=(); sqlite_times=()
for _ in $(seq "$runs"); do
    duly_times+=("$(duly_import)")
    sqlite_times+=("$(sqlite_import)")
done
duly_import_median=$(printf '%s\n' "${duly_times[@]}" | median)
sqlite_import_median=$(printf '%s\n' "${sqlite_times[@]}" | median)

# The baseline query: every open invoice's days past due, grouped by customer.
read -r -d '' query <<SQL || true
SELECT i.customer_id, COUNT(*), SUM(julianday('$as_of') - julianday(i.due_date)), MAX(julianday('$as_of') - julianday(i.due_date))
FROM invoices i
LEFT JOIN (SELECT invoice_number, SUM(CAST(amount AS REAL)) AS paid FROM payments
           WHERE invoice_number <> '' GROUP BY invoice_number) p ON p.invoice_number = i.invoice_number
WHERE CAST(i.total AS REAL) > COALESCE(p.paid, 0)
GROUP BY i.customer_id;
SQL

echo "== run --dry-run vs one sqlite3 query" >&2
run_times=(); query_times=()
for _ in $(seq "$runs"); do
    run_times+=("$(seconds "$duly" run --dry-run --as-of "$as_of" --database "sqlite:$work/duly.sqlite")")
    query_times+=("$(seconds sqlite3 "$work/plain.sqlite" "$query")")
done
run_median=$(printf '%s\n' "${run_times[@]}" | median)
query_median=$(printf '%s\n' "${query_times[@]}" | median)

echo "== peak memory of duly run (writing the actions)" >&2
cp "$work/duly.sqlite" "$work/run.sqlite"
/usr/bin/time -f "%M %e" -o "$work/.time" "$duly" run --as-of "$as_of" --database "sqlite:$work/run.sqlite" >/dev/null
read -r peak_kb run_write_seconds < "$work/.time"

printf '\n%-44s %10s %10s %8s\n' "measure (median of $runs)" "duly" "baseline" "ratio"
printf '%-44s %9.2fs %9.2fs %8.2f\n' "import 3 files vs sqlite3 .import" "$duly_import_median" "$sqlite_import_median" \
    "$(echo "$duly_import_median / $sqlite_import_median" | bc -l)"
printf '%-44s %9.2fs %9.2fs %8.2f\n' "run --dry-run vs one grouping query" "$run_median" "$query_median" \
    "$(echo "$run_median / $query_median" | bc -l)"
printf '%-44s %9d MB %s\n' "peak memory of duly run (writing)" "$((peak_kb / 1024))" "(${run_write_seconds}s)"
echo "all runs: import duly ${duly_times[*]} / sqlite3 ${sqlite_times[*]}; run ${run_times[*]} / query ${query_times[*]}"
