#!/usr/bin/env python3
"""Contacts inserted one statement each, with the role's and channel's checks as IN lists (before v46) and as ORs
(v46), alternated, two rounds each. BENCHMARKS.md, "A first load on two cores".

    python3 scripts/bench_contact_checks.py

Uses Python's sqlite3 module (the system SQLite); writes /tmp/bench-contacts.sqlite.
"""
import os
import sqlite3
import time

CHECKS = {
    "in": ("CHECK (role IN ('billing', 'primary', 'senior'))",
           "CHECK (preferred_channel IN ('email', 'letter', 'call', 'meeting', 'sms'))"),
    "or": ("CHECK (role = 'billing' OR role = 'primary' OR role = 'senior')",
           "CHECK (preferred_channel = 'email' OR preferred_channel = 'letter' OR preferred_channel = 'call' "
           "OR preferred_channel = 'meeting' OR preferred_channel = 'sms')"),
}
ROWS = [("default", "C%06d" % i, 0, "billing", "Name %d" % i, "a%d@x.example" % i, None, "email", 0, "[]")
        for i in range(200_000)]
PATH = "/tmp/bench-contacts.sqlite"

for variant in ["in", "or", "in", "or"]:
    for suffix in ["", "-wal", "-shm", "-journal"]:
        if os.path.exists(PATH + suffix):
            os.remove(PATH + suffix)
    db = sqlite3.connect(PATH)
    db.isolation_level = None
    role, channel = CHECKS[variant]
    db.execute(f"""CREATE TABLE contacts (
        org_id TEXT NOT NULL, customer_id TEXT NOT NULL, position INTEGER NOT NULL CHECK (position >= 0),
        role TEXT NOT NULL {role}, name TEXT, email TEXT, phone TEXT, preferred_channel TEXT {channel},
        email_bouncing INTEGER NOT NULL DEFAULT 0 CHECK (email_bouncing IN (0, 1)),
        opted_out TEXT NOT NULL DEFAULT '[]', PRIMARY KEY (org_id, customer_id, position)) WITHOUT ROWID""")
    db.execute("BEGIN")
    started = time.time()
    db.executemany("INSERT INTO contacts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ROWS)
    db.execute("COMMIT")
    print(f"{variant}: {time.time() - started:.2f} s for {len(ROWS)} contacts")
    db.close()
