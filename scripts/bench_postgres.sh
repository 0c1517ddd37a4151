#!/usr/bin/env bash
# The 1M-invoice import and collection day on PostgreSQL beside SQLite, and two nodes against one (issue 13): a
# release build of duly on the ledger of bench_day.sh, RUNS rounds, medians. Each round, on the same ledger:
#   SQLite      init, the three imports (timed together), `run --as-of 2026-06-30` writing (timed);
#   PostgreSQL  a new database, `duly migrate`, init, the same three imports (timed together); VACUUM (ANALYZE) of it
#               (timed apart); two clones of it (CREATE DATABASE … TEMPLATE), so that both node counts start from the
#               same rows; on the first one `duly run --as-of 2026-06-30` (timed); on the second two of them started
#               at once, which share the day in claimed batches of customers (timed from the start until both exit).
# Every command must succeed, and the two-node run must plan what the one-node run planned (and SQLite's run): the
# same number of actions, and on PostgreSQL the same actions. Besides wall time it gives the CPU seconds of duly and of
# the PostgreSQL server, how many of the machine's cores were busy (other users' work included), and the most that two
# nodes could gain if the work were bound by CPU alone: on a machine with two cores, duly and the server share them.
#
#   scripts/bench_postgres.sh [RUNS] [DULY]   (default 3 and this tree's release build, or the binary $duly names)
#   duly=/path/to/duly BENCH_INVOICES=20000 BENCH_CUSTOMERS=2000 scripts/bench_postgres.sh 1   (a small try-out)
#
# Needs python3, bc, /usr/bin/time and Debian's PostgreSQL 15 (apt-get install -y bc time postgresql). It runs a
# throw-away cluster of its own as a plain process on 127.0.0.1, port $BENCH_PG_PORT (default 55450), in a temporary
# directory, and stops and removes it when it ends; as root, PostgreSQL's programs run as the user postgres.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
duly=${2:-${duly:-}}
shared=../shared/bench
work=bench/day
as_of=2026-06-30
# shellcheck source=scripts/bench_ledger.sh
source scripts/bench_ledger.sh
m() { printf '%s\n' "$@" | median; }

pgbin=/usr/lib/postgresql/15/bin
port=${BENCH_PG_PORT:-55450}
[ -x "$pgbin/initdb" ] || { echo "no PostgreSQL 15 in $pgbin: apt-get install -y postgresql" >&2; exit 1; }
# The server's settings: PostgreSQL 15's defaults, durability included (fsync and full_page_writes on; fsync=off would
# let a crash corrupt the database, which no setting SQLite runs with does), except
# - synchronous_commit=off: the promise SQLite is held to (WAL with synchronous=NORMAL, see SQLiteStore): a commit
#   returns before its log is on disk, so a power failure may lose the last commits but never leaves the database
#   inconsistent. PostgreSQL's default, on, waits for the disk at every commit, a stricter promise than SQLite's.
#   BENCH_PG_SYNCHRONOUS_COMMIT=on measures that one.
# - shared_buffers=512MB instead of 128MB, a modest cache for a database of about a gigabyte (SQLite's connection keeps
#   64 MB); both read the rest through the system's page cache.
# - max_wal_size=4GB instead of 1GB: the 1M-invoice import writes about 2 GB of log (40 MB for 20,000 invoices), and
#   at the default the server would checkpoint in the middle of it, then write whole pages anew; bulk loads raise it.
settings=(synchronous_commit="${BENCH_PG_SYNCHRONOUS_COMMIT:-off}" shared_buffers=512MB max_wal_size=4GB)

as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$(printf '%q ' "$@")"; else "$@"; fi; }
pgdir=$(mktemp -d /tmp/duly-bench-pg.XXXXXX)
chmod 755 "$pgdir"
[ "$(id -u)" != 0 ] || chown postgres "$pgdir"
nodes=()   # /usr/bin/time processes running duly in the background
cleanup() {
    local status=$? pid
    for pid in "${nodes[@]}"; do pkill -P "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
    if [ -f "$pgdir/data/postmaster.pid" ]; then
        # immediate: no shutdown checkpoint, the cluster is removed next
        as_postgres "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null || true
    fi
    if [ "$status" != 0 ] && [ -f "$pgdir/server.log" ]; then
        echo "the end of PostgreSQL's log:" >&2
        tail -n 20 "$pgdir/server.log" >&2
    fi
    rm -rf "$pgdir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

options="-p $port -k $pgdir -c listen_addresses=127.0.0.1"
for setting in "${settings[@]}"; do options+=" -c $setting"; done
as_postgres "$pgbin/initdb" -D "$pgdir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
as_postgres "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w start -o "$options" >/dev/null
url() { echo "postgres://postgres@127.0.0.1:$port/$1?sslmode=disable"; }
sql() {
    local db=$1; shift
    PGOPTIONS="-c client_min_messages=warning" \
        "$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -d "$db" -XAtq -v ON_ERROR_STOP=1 -c "$*"
}
seconds_since() { printf '%.2f' "$(echo "$(date +%s.%N) - $1" | bc)"; }
version=$(sql postgres "SHOW server_version")

# One command, its standard output in $work/.out: sets t_wall, t_kb (peak memory) and t_cpu (user + system seconds).
timed() {
    /usr/bin/time -f "%e %M %U %S" -o "$work/.time" "$@" >"$work/.out" 2>"$work/.stderr" || {
        echo "failed: $*" >&2; cat "$work/.stderr" >&2; exit 1
    }
    local u s
    read -r t_wall t_kb u s <"$work/.time"
    t_cpu=$(echo "$u + $s" | bc)
    peak=$(( t_kb > peak ? t_kb : peak ))
}
planned() { sed -n 's/^Collection day .*, planned \([0-9]*\) actions\{0,1\},.*/\1/p' "$1"; }

# CPU accounting, in clock ticks. The server's: the postmaster and the children it has now (the log writer, the
# checkpointer…), plus what its exited children used (each connection's backend, autovacuum's workers), which the
# kernel adds to the postmaster's once it has reaped them. The machine's: busy and idle ticks of all cores.
hz=$(getconf CLK_TCK)
cores=$(nproc)
server_ticks() {
    local pm child
    pm=$(head -n 1 "$pgdir/data/postmaster.pid")
    {
        cat "/proc/$pm/stat"
        for child in $(pgrep -P "$pm"); do cat "/proc/$child/stat" 2>/dev/null || true; done
    } | awk '{ t += $14 + $15 + $16 + $17 } END { print t }'
}
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat; }
# Before a measured stretch, and after it: sets c_server (server CPU seconds) and c_cores (cores busy, on average).
cpu_start() { read -r b0 i0 < <(machine_ticks); s0=$(server_ticks); }
cpu_stop() {
    local db=$1 b1 i1 tries=0
    # the backends of the connections just closed exit, and are reaped, a moment later
    while [ "$(sql postgres "SELECT count(*) FROM pg_stat_activity WHERE datname = '$db'")" != 0 ]; do
        ((tries++ < 50)) || break
        sleep 0.1
    done
    read -r b1 i1 < <(machine_ticks)
    c_server=$(echo "($(server_ticks) - $s0) / $hz" | bc -l)
    c_cores=$(echo "$cores * ($b1 - $b0) / ($b1 - $b0 + $i1 - $i0)" | bc -l)
}
# What a database's collection day wrote: "actions timeline-entries digest-of-the-actions"
outcome() {
    sql "$1" "SELECT (SELECT count(*) FROM actions), (SELECT count(*) FROM timeline_entries),
        md5(coalesce(string_agg(concat_ws('|', customer_id, date, channel, stage, step_id, template, status, note,
            idempotency_key), E'\n' ORDER BY idempotency_key), ''))
        FROM actions" | tr '|' ' '
}

read -r load1 load5 load15 _ </proc/loadavg
echo "machine: $cores cores (nproc), load average $load1 $load5 $load15 before starting" \
    "(PostgreSQL $version on 127.0.0.1:$port: ${settings[*]})" >&2

sqlite_import=(); sqlite_run=(); sqlite_import_cpu=(); sqlite_run_cpu=(); sqlite_run_cores=()
pg_import=(); pg_import_cpu=(); pg_import_server=(); pg_vacuum=()
one=(); one_cpu=(); one_server=(); one_cores=(); two=(); two_first=(); two_cpu=(); two_server=(); two_cores=()
split=()
actions=(); peak=0
for round in $(seq "$runs"); do
    echo "round $round of $runs: SQLite" >&2
    db="sqlite:$work/duly.sqlite"
    rm -f "$work"/duly.sqlite*
    "$duly" init --database "$db" --name Bench --currency EUR --country NL --timezone Europe/Amsterdam >/dev/null
    total=0; cpu=0
    for kind in customers invoices payments; do
        timed "$duly" import "$kind" "$work/$kind.csv" --as-of "$as_of" --database "$db"
        total=$(echo "$total + $t_wall" | bc); cpu=$(echo "$cpu + $t_cpu" | bc)
    done
    sqlite_import+=("$total"); sqlite_import_cpu+=("$cpu")
    read -r b0 i0 < <(machine_ticks)
    timed "$duly" run --as-of "$as_of" --database "$db"
    read -r b1 i1 < <(machine_ticks)
    sqlite_run+=("$t_wall"); sqlite_run_cpu+=("$t_cpu")
    sqlite_run_cores+=("$(echo "$cores * ($b1 - $b0) / ($b1 - $b0 + $i1 - $i0)" | bc -l)")
    sqlite_planned=$(planned "$work/.out")
    rm -f "$work"/duly.sqlite*

    echo "round $round of $runs: PostgreSQL, import" >&2
    for name in bench_imported bench_one bench_two; do sql postgres "DROP DATABASE IF EXISTS $name"; done
    sql postgres "CREATE DATABASE bench_imported TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'"
    db=$(url bench_imported)
    "$duly" migrate --database "$db" >/dev/null
    "$duly" init --database "$db" --name Bench --currency EUR --country NL --timezone Europe/Amsterdam >/dev/null
    sql postgres "CHECKPOINT"
    total=0; cpu=0
    cpu_start
    for kind in customers invoices payments; do
        timed "$duly" import "$kind" "$work/$kind.csv" --as-of "$as_of" --database "$db"
        total=$(echo "$total + $t_wall" | bc); cpu=$(echo "$cpu + $t_cpu" | bc)
    done
    cpu_stop bench_imported
    pg_import+=("$total"); pg_import_cpu+=("$cpu"); pg_import_server+=("$c_server")
    # Statistics and the visibility map, as autovacuum would make them within a minute of the import: SQLite's schema
    # comes with statistics for a ledger of this shape (Migrations.swift, v2), PostgreSQL's planner needs measured ones.
    # Done once before cloning, so both clones get them and neither node count pays for them.
    start=$(date +%s.%N)
    sql bench_imported "VACUUM (ANALYZE)"
    pg_vacuum+=("$(seconds_since "$start")")
    # FILE_COPY copies the files between two checkpoints, rather than writing the whole database to the log (WAL_LOG,
    # the default), which would leave the server a checkpoint to make during the timed runs. No connection to the
    # template may be open: duly's have closed, and the server stops autovacuum on it.
    for name in bench_one bench_two; do
        sql postgres "CREATE DATABASE $name TEMPLATE bench_imported STRATEGY FILE_COPY"
    done

    echo "round $round of $runs: PostgreSQL, one node" >&2
    sql postgres "CHECKPOINT"
    cpu_start
    timed "$duly" run --as-of "$as_of" --database "$(url bench_one)"
    cpu_stop bench_one
    one+=("$t_wall"); one_cpu+=("$t_cpu"); one_server+=("$c_server"); one_cores+=("$c_cores")
    one_planned=$(planned "$work/.out")

    echo "round $round of $runs: PostgreSQL, two nodes" >&2
    sql postgres "CHECKPOINT"
    cpu_start
    start=$(date +%s.%N)
    for n in 1 2; do
        /usr/bin/time -f "%e %M %U %S" -o "$work/.time.$n" "$duly" run --as-of "$as_of" --database "$(url bench_two)" \
            >"$work/.out.$n" 2>"$work/.stderr.$n" &
        nodes+=("$!")
    done
    failed=0
    for n in 1 2; do
        wait "${nodes[n - 1]}" || { echo "node $n of 2 failed:" >&2; cat "$work/.stderr.$n" >&2; failed=1; }
    done
    two+=("$(seconds_since "$start")")
    nodes=()
    [ "$failed" = 0 ] || exit 1
    cpu_stop bench_two
    two_server+=("$c_server"); two_cores+=("$c_cores")
    cpu=0; two_planned=0; shares=(); exits=()
    for n in 1 2; do
        read -r e kb u s <"$work/.time.$n"
        peak=$(( kb > peak ? kb : peak )); cpu=$(echo "$cpu + $u + $s" | bc); exits+=("$e")
        p=$(planned "$work/.out.$n")
        [ -n "$p" ] || { echo "node $n of 2 printed no summary:" >&2; cat "$work/.out.$n" >&2; exit 1; }
        two_planned=$((two_planned + p))
        share=$(sed -n "s/^This node planned \([0-9]*\) of the day's \([0-9]*\) batch.*/\1\/\2/p" "$work/.out.$n")
        shares+=("${share:-all}")
    done
    two_cpu+=("$cpu"); two_first+=("$(printf '%s\n' "${exits[@]}" | sort -n | head -n 1)")
    split+=("$(IFS=+; echo "${shares[*]}")")

    read -r one_actions one_entries one_digest < <(outcome bench_one)
    read -r two_actions two_entries two_digest < <(outcome bench_two)
    if [ -z "$sqlite_planned" ] || [ "$one_planned" != "$sqlite_planned" ] || [ "$two_planned" != "$one_planned" ] \
        || [ "$one_actions" != "$two_actions" ] || [ "$one_entries" != "$two_entries" ] \
        || [ "$one_digest" != "$two_digest" ]; then
        echo "MISMATCH in round $round: planned actions SQLite ${sqlite_planned:-?}," \
            "PostgreSQL one node $one_planned," \
            "two nodes $two_planned (${shares[*]}); in the databases, one node: $one_actions actions," \
            "$one_entries timeline entries, digest $one_digest; two nodes: $two_actions actions," \
            "$two_entries timeline entries, digest $two_digest" >&2
        exit 1
    fi
    actions+=("$one_planned")
    for name in bench_imported bench_one bench_two; do sql postgres "DROP DATABASE $name"; done
done

row() { printf '%-42s %9.2fs %9.2fs %8.2f\n' "$1" "$2" "$3" "$(echo "$3 / $2" | bc -l)"; }
printf '\n%-42s %10s %10s %8s\n' "measure (median of $runs)" "SQLite" "PostgreSQL" "PG/SQLite"
row "import of the three files" "$(m "${sqlite_import[@]}")" "$(m "${pg_import[@]}")"
row "run (writing actions and timeline)" "$(m "${sqlite_run[@]}")" "$(m "${one[@]}")"
t1=$(m "${one[@]}"); t2=$(m "${two[@]}")
printf '%-42s %10s %10s %8s\n' "" "1 node" "2 nodes" "speed-up"
speedup() { printf '%-42s %9.2fs %9.2fs %7.2fx\n' "$1" "$2" "$3" "$(echo "$2 / $3" | bc -l)"; }
speedup "PostgreSQL run, 1 node vs 2 nodes" "$t1" "$t2"
# A node that finds the batches left all claimed by the other waits (CollectionDay.longestWait, 5 s) and looks again
# before it exits: both exit only once the day is written, the node that wrote the last batch at once.
speedup "  the same, until the first node exits" "$t1" "$(m "${two_first[@]}")"
printf '%-42s %9d MB\n' "peak memory of any duly process" "$((peak / 1024))"
echo
echo "machine: $cores cores, load average $load1 $load5 $load15 before starting;" \
    "PostgreSQL $version (${settings[*]}); ledger $bench_customers customers, $bench_invoices invoices," \
    "${actions[0]} actions planned as of $as_of; duly $duly"
f() { printf '%.2f' "$(m "$@")"; }
echo "median CPU seconds (user + system): import SQLite $(f "${sqlite_import_cpu[@]}"), PostgreSQL duly" \
    "$(f "${pg_import_cpu[@]}") + server $(f "${pg_import_server[@]}"); run SQLite $(f "${sqlite_run_cpu[@]}")," \
    "PostgreSQL 1 node duly $(f "${one_cpu[@]}") + server $(f "${one_server[@]}"), 2 nodes duly" \
    "$(f "${two_cpu[@]}") + server $(f "${two_server[@]}")"
echo "median cores busy during the run (the whole machine, other users' work included): SQLite" \
    "$(f "${sqlite_run_cores[@]}"), PostgreSQL 1 node $(f "${one_cores[@]}"), 2 nodes $(f "${two_cores[@]}") of $cores"
ceiling=$(echo "$cores * $t1 / ($(m "${one_cpu[@]}") + $(m "${one_server[@]}"))" | bc -l)
echo "if bound by CPU alone, 2 nodes could be at most $(printf '%.2f' "$ceiling")x faster than 1 on $cores cores" \
    "($cores x the 1-node run's wall time / its CPU seconds, duly's and the server's)"
echo "all runs: import SQLite ${sqlite_import[*]} / PostgreSQL ${pg_import[*]}" \
    "(then VACUUM (ANALYZE) ${pg_vacuum[*]}); run SQLite ${sqlite_run[*]} / PostgreSQL 1 node ${one[*]}" \
    "/ 2 nodes ${two[*]}, until the first exits ${two_first[*]} (batches per node ${split[*]})"
