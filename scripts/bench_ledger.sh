# Sourced by scripts/bench_day.sh and scripts/bench_import.sh, after `cd` to the repository with $shared, $work and
# $as_of set: a release build of duly in $duly (unless $duly is set already), the ledger of issue 10 in $work
# (generated once; 100,000 customers, 1,000,000 invoices), and `median`, which reads numbers one a line.
# BENCH_INVOICES and BENCH_CUSTOMERS make a ledger of another size, for trying a script out cheaply; it goes into a
# work directory of its own ($work-<invoices>i-<customers>c), so that it never stands in for the full ledger.
bench_invoices=${BENCH_INVOICES:-1000000}
bench_customers=${BENCH_CUSTOMERS:-100000}
if [ "$bench_invoices" != 1000000 ] || [ "$bench_customers" != 100000 ]; then
    work="$work-${bench_invoices}i-${bench_customers}c"
fi
mkdir -p "$work"
if [ -z "${duly:-}" ]; then
    swift build -c release --product duly >/dev/null
    duly=$(swift build -c release --show-bin-path)/duly
fi
if [ ! -f "$work/invoices.csv" ]; then
    echo "generating the ledger in $work/ …" >&2
    python3 "$shared/gen_ledger.py" "$work" --invoices "$bench_invoices" --customers "$bench_customers" --seed 7 \
        --as-of "$as_of" >&2
fi
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
