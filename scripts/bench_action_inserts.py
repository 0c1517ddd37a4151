#!/usr/bin/env python3
"""What one action insert costs SQLite, with the actions table as migration v41 left it and as v42 makes it.

    python3 scripts/bench_action_inserts.py [ROUNDS]     (default 3; BENCHMARKS.md, "The actions table rebuilt")

Python's sqlite3 module runs the system's SQLite (the library Duly links), with prepared statements, so what is timed
is SQLite's own work. Each measure writes into a fresh file in a temporary directory:
- checks: 100,000 inserts in one transaction, the table's CHECKs and `actions_for_people`'s condition written as
  `IN` lists (v41) against the same conditions written as comparisons joined by OR (v42);
- key: 100,000 inserts in 20 transactions of 5,000 in customer order, the idempotency key (an MD5-like hash) unique per
  organisation (v41) against unique per customer (v42), into an empty table and after 500,000 earlier actions.
"""
import hashlib
import os
import sqlite3
import statistics
import sys
import tempfile
import time

LISTS = {
    "channel": "channel IN ('email', 'letter', 'call', 'meeting', 'sms')",
    "stage": "stage IN ('pre_due', 'delayed', 'non_payment')",
    "escalates_to": "escalates_to IN ('manager', 'senior_contact', 'agency', 'lawyer')",
    "status": "status IN ('planned', 'awaiting_approval', 'approved', 'sent', 'done', 'failed', 'skipped', "
    "'cancelled')",
}
PEOPLE_LISTS = (
    "status IN ('awaiting_approval', 'failed', 'skipped') "
    "OR (status IN ('planned', 'approved') AND channel IN ('call', 'meeting'))"
)


def spelled_out(condition):
    """`x IN ('a', 'b')` as `x = 'a' OR x = 'b'`, for the lists of more than two values."""
    column, values = condition.split(" IN ", 1)
    return " OR ".join(f"{column} = {value.strip()}" for value in values.strip("()").split(","))


def schema(with_lists, key):
    checks = {name: (c if with_lists else spelled_out(c)) for name, c in LISTS.items()}
    people = PEOPLE_LISTS if with_lists else (
        "status = 'awaiting_approval' OR status = 'failed' OR status = 'skipped' "
        "OR (status IN ('planned', 'approved') AND channel IN ('call', 'meeting'))")
    return f"""
        CREATE TABLE actions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            org_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            date TEXT NOT NULL CHECK (length(date) = 10),
            channel TEXT NOT NULL CHECK ({checks['channel']}),
            stage TEXT NOT NULL CHECK ({checks['stage']}),
            step_id TEXT NOT NULL,
            requires_approval INTEGER NOT NULL CHECK (requires_approval IN (0, 1)),
            escalates_to TEXT CHECK ({checks['escalates_to']}),
            status TEXT NOT NULL CHECK ({checks['status']}),
            idempotency_key TEXT NOT NULL,
            invoice_steps TEXT NOT NULL,
            number INTEGER NOT NULL,
            UNIQUE {key},
            UNIQUE (org_id, id)
        );
        CREATE INDEX actions_by_customer ON actions (org_id, customer_id, status);
        CREATE INDEX actions_for_people ON actions (org_id, id) WHERE {people};
        CREATE UNIQUE INDEX actions_by_number ON actions (org_id, number);
        CREATE INDEX actions_awaiting_approval ON actions (org_id, id) WHERE status = 'awaiting_approval';
    """


def rows(day, first, count):
    return [
        ("default", f"C{c:07d}", "2026-06-30", "email", "delayed", "first_follow_up", 0, None, "planned",
         hashlib.md5(f"{c}-{day}".encode()).hexdigest(), '{"INV-1":"first_follow_up"}', day * 1_000_000 + c)
        for c in range(first, first + count)
    ]


def insert(connection, key, batch):
    connection.executemany(
        "INSERT INTO actions (org_id, customer_id, date, channel, stage, step_id, requires_approval, escalates_to,"
        " status, idempotency_key, invoice_steps, number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        f" ON CONFLICT {key} DO NOTHING", batch)


def measure(directory, with_lists, key, earlier_days, transactions):
    path = os.path.join(directory, f"actions-{time.monotonic_ns()}.sqlite")
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "cache_size = -65536"):
        connection.execute(f"PRAGMA {pragma}")
    connection.executescript(schema(with_lists, key))
    connection.execute("BEGIN")
    for day in range(1, earlier_days + 1):
        insert(connection, key, rows(day, 0, 100_000))
    connection.execute("COMMIT")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    per_transaction = 100_000 // transactions
    start = time.perf_counter()
    for first in range(0, 100_000, per_transaction):
        connection.execute("BEGIN")
        insert(connection, key, rows(99, first, per_transaction))
        connection.execute("COMMIT")
    elapsed = time.perf_counter() - start
    connection.close()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return elapsed


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    per_org, per_customer = "(org_id, idempotency_key)", "(org_id, customer_id, idempotency_key)"
    cases = [
        ("checks as IN lists (v41), one transaction", True, per_org, 0, 1),
        ("checks spelled out (v42), one transaction", False, per_org, 0, 1),
        ("key per organisation, empty table", False, per_org, 0, 20),
        ("key per customer, empty table", False, per_customer, 0, 20),
        ("key per organisation, after 500,000", False, per_org, 5, 20),
        ("key per customer, after 500,000", False, per_customer, 5, 20),
    ]
    print(f"SQLite {sqlite3.sqlite_version}; 100,000 action inserts, median of {rounds} (all rounds)")
    with tempfile.TemporaryDirectory() as directory:
        for label, with_lists, key, earlier, transactions in cases:
            times = [measure(directory, with_lists, key, earlier, transactions) for _ in range(rounds)]
            print(f"{label:44} {statistics.median(times):6.2f} s  ({', '.join(f'{t:.2f}' for t in times)})")


if __name__ == "__main__":
    main()
