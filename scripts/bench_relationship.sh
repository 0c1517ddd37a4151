#!/usr/bin/env bash
# Does the default playbook keep the client? (issue 10, part 3) A release build of duly plays the same generated
# portfolio under the built-in playbook and under a naive ladder (a reminder about each overdue invoice every 7 days,
# nothing else), for each seed, and prints both outcomes side by side: money recovered by day 30, 60 and 90,
# contacts per customer, contacts during live disputes and kept promises, escalations. README.md, "The default
# playbook", states the payer model and what counts as a contact; BENCHMARKS.md keeps the figures.
#
#   scripts/bench_relationship.sh [CUSTOMERS] [SEED…]     (default 300 customers, seeds 1 2 3)
#
# Exits non-zero when a seed misses the target. Set PLAYBOOK=path.yaml to try another playbook.
set -euo pipefail
cd "$(dirname "$0")/.."
customers=${1:-300}
shift || true
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2 3)

swift build -c release --product duly >/dev/null
duly=$(swift build -c release --show-bin-path)/duly
playbook=()
[ -n "${PLAYBOOK:-}" ] && playbook=(--playbook "$PLAYBOOK")

missed=0
for seed in "${seeds[@]}"; do
    echo "== seed $seed, $customers customers, 120 days =="
    "$duly" simulate --portfolio --seed "$seed" --customers "$customers" --days 120 "${playbook[@]}" | tee /tmp/bench_relationship.$$
    grep -q "^Target:.*: NO" /tmp/bench_relationship.$$ && missed=1
    echo
done
rm -f /tmp/bench_relationship.$$
exit "$missed"
