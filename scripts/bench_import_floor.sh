#!/usr/bin/env bash
# How far the import's target (issue 10: at most 3 × the floor's import) is from what SQLite alone needs to write the
# same rows into Duly's schema: the floor (../shared/bench/sqlite_baseline.sh, the sqlite3 shell's `.import` into
# tables with primary keys), then the same rows moved with plain SQL into a database made by `duly init`
# (scripts/bench_import_floor/into_schema.sql), then `duly import` of the three files; medians of RUNS rounds.
#
#   scripts/bench_import_floor.sh [RUNS]     (default 3; needs sqlite3 and bc)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
shared=../shared/bench
work=bench/day
as_of=2026-06-30
duly=${DULY_BIN:-}
# shellcheck source=scripts/bench_ledger.sh
source scripts/bench_ledger.sh

timing=$PWD/$work/.floor-time
seconds() { /usr/bin/time -f "%e" -o "$timing" "$@" >/dev/null 2>&1; cat "$timing"; }
floor=(); schema=(); imports=()
for _ in $(seq "$runs"); do
    read -r _ f _ < <(bash "$shared/sqlite_baseline.sh" "$work" "$as_of")
    floor+=("$f")

    # The floor's tables, kept this time, for the plain-SQL load to read from.
    rm -f "$work"/plain.sqlite* "$work"/schema.sqlite*
    sqlite3 "$work/plain.sqlite" <<SQL >/dev/null
PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
CREATE TABLE customers(customer_id TEXT PRIMARY KEY, name TEXT, email TEXT, phone TEXT, country TEXT, language TEXT, timezone TEXT, contact_name TEXT, escalation_email TEXT);
CREATE TABLE invoices(invoice_number TEXT PRIMARY KEY, customer_id TEXT, issue_date TEXT, due_date TEXT, currency TEXT, total TEXT, terms TEXT, po_number TEXT);
CREATE TABLE payments(payment_id TEXT PRIMARY KEY, customer_id TEXT, date TEXT, currency TEXT, amount TEXT, reference TEXT, invoice_number TEXT);
.mode csv
.import --skip 1 $work/customers.csv customers
.import --skip 1 $work/invoices.csv invoices
.import --skip 1 $work/payments.csv payments
SQL
    "$duly" init --database "sqlite:$work/schema.sqlite" --name Bench --currency EUR --country NL \
        --timezone Europe/Amsterdam >/dev/null
    schema+=("$(cd "$work" && seconds sqlite3 schema.sqlite < ../../scripts/bench_import_floor/into_schema.sql)")

    rm -f "$work"/floor-duly.sqlite*
    db="sqlite:$work/floor-duly.sqlite"
    "$duly" init --database "$db" --name Bench --currency EUR --country NL --timezone Europe/Amsterdam >/dev/null
    total=0
    for kind in customers invoices payments; do
        s=$(seconds "$duly" import "$kind" "$work/$kind.csv" --as-of "$as_of" --database "$db")
        total=$(echo "$total + $s" | bc)
    done
    imports+=("$total")
done
rm -f "$work"/plain.sqlite* "$work"/schema.sqlite* "$work"/floor-duly.sqlite* "$timing"

m() { printf '%s\n' "$@" | median; }
f=$(m "${floor[@]}")
row() { printf '%-58s %9.2fs %7.2f\n' "$1" "$2" "$(echo "$2 / $f" | bc -l)"; }
printf '\n%-58s %10s %7s\n' "median of $runs" "seconds" "× floor"
row "floor: sqlite3 .import into keyed tables" "$f"
row "the same rows into Duly's schema with plain SQL" "$(m "${schema[@]}")"
row "duly import of the three files" "$(m "${imports[@]}")"
echo "all rounds: floor ${floor[*]}; plain SQL ${schema[*]}; duly ${imports[*]}"
