#!/usr/bin/env bash
# The API under load (issue "Duly serves", README "Serving the API"): wrk on loopback against a release build of
# `duly serve` holding the 100,000-customer / 1,000,000-invoice ledger of ../shared/bench, beside Hummingbird's
# hello-world route (scripts/bench_api/hello) measured in the same script, so the figures read as a share of what
# the framework alone serves on this machine at this moment. Medians of RUNS rounds; each round measures all three.
#
#   scripts/bench_api.sh [RUNS]     (default 3; 64 connections, 2 wrk threads, 10 s per measurement)
#
# Needs python3, wrk, curl and sqlite3 (Debian: apt-get install -y wrk curl sqlite3).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
seconds=${BENCH_SECONDS:-10}
shared=../shared/bench
work=bench/day
as_of=2026-06-30
duly=${DULY_BIN:-}
# shellcheck source=scripts/bench_ledger.sh
source scripts/bench_ledger.sh

hello=${HELLO_BIN:-}
if [ -z "$hello" ]; then
    (cd scripts/bench_api/hello && swift build -c release >/dev/null)
    hello=$(cd scripts/bench_api/hello && swift build -c release --show-bin-path)/Hello
fi

# The ledger imported once and its collection day run under a playbook that calls first once an invoice is late
# (scripts/bench_api/calls-first.yaml), so the worklist holds what a credit-control team's morning does.
db_file=${BENCH_DB:-$work/api.sqlite}
db="sqlite:$db_file"
if [ ! -f "$db_file" ]; then
    echo "importing the ledger into $db_file and running $as_of …" >&2
    "$duly" init --database "$db" --name Bench --currency EUR --country NL --timezone Europe/Amsterdam >/dev/null
    "$duly" playbook adopt scripts/bench_api/calls-first.yaml --database "$db" >/dev/null
    for kind in customers invoices payments; do
        "$duly" import "$kind" "$work/$kind.csv" --as-of "$as_of" --database "$db" >/dev/null
    done
    "$duly" run --as-of "$as_of" --database "$db" >/dev/null
    echo "bench-password" | "$duly" user add bench@duly.example --role viewer --password-stdin --database "$db" >/dev/null
fi
tasks=$(sqlite3 "$db_file" "SELECT count(*) FROM actions WHERE channel = 'call'" 2>/dev/null || echo "?")
echo "the worklist holds $tasks calls" >&2
token=$("$duly" token create --user bench@duly.example --name "bench-$$" --database "$db" | tail -n 1)
customer=$(sed -n 2p "$work/customers.csv" | cut -d, -f1)

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 600); do curl -fsS -o /dev/null "$@" 2>/dev/null && return 0; sleep 0.1; done; return 1; }

port=$(free_port)
"$duly" serve --database "$db" --port "$port" --as-of "$as_of" --no-schedule --no-deliver >/dev/null 2>&1 &
server=$!
hello_port=$(free_port)
"$hello" "$hello_port" >/dev/null 2>&1 &
hello_pid=$!
trap 'kill $server $hello_pid 2>/dev/null || true' EXIT
wait_for "http://127.0.0.1:$port/health"
wait_for "http://127.0.0.1:$hello_port/hello"
auth="Authorization: Bearer $token"
# Both routes must answer 200 before their speed means anything.
curl -fsS -o /dev/null -H "$auth" "http://127.0.0.1:$port/api/v1/worklist"
curl -fsS -o /dev/null -H "$auth" "http://127.0.0.1:$port/api/v1/customers/$customer"

# "requests/s p99_ms" of one wrk run
load() {
    wrk -t2 -c64 -d"${seconds}s" --latency "$@" | awk '
        /Requests\/sec/ { rps = $2 }
        /^ +99%/ { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }; p99 = v }
        /Non-2xx/ { bad = $NF }
        END { if (bad > 0) { print "wrk: " bad " responses were not 2xx" > "/dev/stderr"; exit 1 }; print rps, p99 }'
}

hello_rps=(); hello_p99=(); work_rps=(); work_p99=(); cust_rps=(); cust_p99=()
for _ in $(seq "$runs"); do
    read -r r p < <(load "http://127.0.0.1:$hello_port/hello"); hello_rps+=("$r"); hello_p99+=("$p")
    read -r r p < <(load -H "$auth" "http://127.0.0.1:$port/api/v1/worklist"); work_rps+=("$r"); work_p99+=("$p")
    read -r r p < <(load -H "$auth" "http://127.0.0.1:$port/api/v1/customers/$customer"); cust_rps+=("$r"); cust_p99+=("$p")
done

m() { printf '%s\n' "$@" | median; }
hr=$(m "${hello_rps[@]}")
row() { printf '%-42s %10.0f %8.2f ms %7.2f\n' "$1" "$2" "$3" "$(echo "$2 / $hr" | bc -l)"; }
printf '\n%-42s %10s %11s %7s\n' "wrk -t2 -c64, median of $runs" "requests/s" "p99" "share"
row "Hummingbird hello-world" "$hr" "$(m "${hello_p99[@]}")"
row "GET /api/v1/worklist (first page)" "$(m "${work_rps[@]}")" "$(m "${work_p99[@]}")"
row "GET /api/v1/customers/{id}" "$(m "${cust_rps[@]}")" "$(m "${cust_p99[@]}")"
echo "all rounds (requests/s): hello ${hello_rps[*]}; worklist ${work_rps[*]}; customer ${cust_rps[*]}"
