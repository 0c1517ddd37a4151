#!/usr/bin/env python3
"""What migrations v43 and v44 change for the collection day, on the bench ledger's SQLite file.

    python3 scripts/bench_indexes.py [DATABASE] [ROUNDS]
        (default bench/day/duly.sqlite, as scripts/bench_day.sh leaves it, and 3; BENCHMARKS.md, "The writer keeps
        a core")

Python's sqlite3 module runs the system's SQLite (the library Duly links). The file is copied twice into a temporary
directory: one copy as it is (v44), one given back the indexes the two migrations changed (v42's
`invoices_by_customer`, without the amounts, and v20's `customer_reviews_due`). On each copy, medians of ROUNDS:
- owners: the writer's owner check, every open invoice of 5,000 customers with its owner (`writeRun`'s query);
- reviews: 100,000 reviews moved to another day in one transaction (`writeReviews`' upsert), rolled back after;
- selection: the customers a run looks at on 2026-07-01 (`customersToReview`'s query).
"""
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time

OWNERS = """
    SELECT invoice_number, customer_id FROM invoices
    WHERE org_id = ? AND customer_id IN (SELECT value FROM json_each(?))
        AND paid_minor + credited_minor < total_minor
"""
REVIEW = """
    INSERT INTO customer_reviews (org_id, customer_id, next_review, changes, held) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (org_id, customer_id) DO UPDATE SET next_review = excluded.next_review, held = excluded.held
    WHERE customer_reviews.changes = excluded.changes
"""
SELECTION = """
    SELECT customer_id FROM customer_reviews WHERE org_id = ?1 AND next_review <= ?2
    UNION
    SELECT c.customer_id FROM customers c
    WHERE c.org_id = ?1 AND NOT EXISTS (
        SELECT 1 FROM customer_reviews r WHERE r.org_id = c.org_id AND r.customer_id = c.customer_id)
    ORDER BY 1
"""
BEFORE = """
    DROP INDEX invoices_by_customer;
    CREATE INDEX invoices_by_customer ON invoices (org_id, customer_id, due_date)
        WHERE total_minor > paid_minor + credited_minor;
    CREATE INDEX customer_reviews_due ON customer_reviews (org_id, next_review) WHERE next_review IS NOT NULL;
"""


def timed(body, rounds):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(path, rounds):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA cache_size = -65536")
    org = db.execute("SELECT org_id FROM organisations LIMIT 1").fetchone()[0]
    customers = [row[0] for row in db.execute(
        "SELECT customer_id FROM customers WHERE org_id = ? ORDER BY customer_id LIMIT 5000 OFFSET 20000", (org,))]
    ids = json.dumps(customers)
    owners = timed(lambda: db.execute(OWNERS, (org, ids)).fetchall(), rounds)
    reviews = [(org, customer, f"2026-07-0{index % 9 + 1}", changes, None) for index, (customer, changes) in
               enumerate(db.execute("SELECT customer_id, changes FROM customer_reviews WHERE org_id = ? "
                                    "ORDER BY customer_id LIMIT 100000", (org,)))]

    def write_reviews():
        db.execute("BEGIN")
        db.executemany(REVIEW, reviews)
        db.execute("ROLLBACK")

    written = timed(write_reviews, rounds)
    selection = timed(lambda: db.execute(SELECTION, (org, "2026-07-01")).fetchall(), rounds)
    db.close()
    return owners, written, selection, len(reviews)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "bench/day/duly.sqlite"
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.TemporaryDirectory() as directory:
        results = {}
        for label in ("v42 indexes", "v44 indexes"):
            copy = os.path.join(directory, label.replace(" ", "-") + ".sqlite")
            shutil.copyfile(path, copy)
            with sqlite3.connect(copy) as db:
                db.execute("PRAGMA journal_mode = WAL")
                if label == "v42 indexes":
                    db.executescript(BEFORE)
            results[label] = measure(copy, rounds)
            os.remove(copy)
    print(f"medians of {rounds}, seconds")
    print(f"{'':14} {'owners (5,000 customers)':>26} {'reviews':>20} {'selection':>10}")
    for label, (owners, written, selection, count) in results.items():
        print(f"{label:14} {owners:26.4f} {written:11.3f} ({count:,}) {selection:10.3f}")


main()
