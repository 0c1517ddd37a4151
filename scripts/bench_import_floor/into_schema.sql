-- What SQLite alone needs to put the three files into Duly's schema (issue 10, import): the rows the sqlite3
-- shell's `.import` made (the floor's tables, attached as `p`) written with plain SQL into a database made by
-- `duly init`, every key, index, foreign key and CHECK in place, in the tables' key order, the way Duly's first
-- load does it (the randomly-filled indexes set aside and built after the rows). Each customer gets the three
-- timeline entries an import of the three files writes, hashed with the shell's sha3 as a stand-in for SHA-256.
-- Not Duly's whole work: a payment is allocated to the invoice it names only, all of it, and no row is checked.
-- The timeline statements name their join order (CROSS JOIN): on the rowid timeline table `v41_timeline_appended`
-- made, with no statistics yet, SQLite put the timeline outside and scanned a million invoices for each entry.
-- Run by scripts/bench_import_floor.sh.
PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 16384;
ATTACH 'plain.sqlite' AS p;
-- customers file
BEGIN;
INSERT INTO customers (org_id, customer_id, name, country, language, time_zone)
SELECT 'default', customer_id, name, country, language, timezone FROM p.customers ORDER BY customer_id;
INSERT INTO contacts (org_id, customer_id, position, role, name, email, phone)
SELECT 'default', customer_id, 0, 'billing', contact_name, email, NULLIF(phone, '') FROM p.customers ORDER BY customer_id;
INSERT INTO timeline_entries (org_id, customer_id, sequence, date, recorded_at, kind, summary, details, previous_hash, hash)
SELECT 'default', customer_id, 1, '2026-06-30', '2026-06-30T00:00:00Z', 'customer_imported', 'Customer imported: ' || name,
  json_object('name', name, 'country', country), printf('%064d', 0),
  lower(hex(sha3(printf('%064d', 0) || customer_id || name, 256))) FROM p.customers ORDER BY customer_id;
COMMIT;
-- invoices file (RF index set aside and rebuilt, as Duly's first load does)
BEGIN;
DROP INDEX invoices_by_payment_reference;
DROP INDEX invoices_by_customer;
INSERT INTO invoices (org_id, invoice_number, customer_id, issue_date, due_date, currency, total_minor, terms, po_number, payment_reference)
SELECT 'default', invoice_number, customer_id, issue_date, due_date, currency,
    CASE currency WHEN 'JPY' THEN CAST(total AS INTEGER) ELSE CAST(round(CAST(total AS REAL) * 100) AS INTEGER) END,
    terms, NULLIF(po_number, ''), 'RF' || substr(lower(hex(sha3(invoice_number, 256))), 1, 2) || invoice_number
FROM p.invoices ORDER BY customer_id, due_date, invoice_number;
CREATE UNIQUE INDEX invoices_by_payment_reference ON invoices (org_id, payment_reference) WHERE payment_reference IS NOT NULL;
CREATE INDEX invoices_by_customer ON invoices (org_id, customer_id, due_date) WHERE total_minor > paid_minor + credited_minor;
INSERT INTO timeline_entries (org_id, customer_id, sequence, date, recorded_at, kind, summary, details, previous_hash, hash)
SELECT 'default', t.customer_id, 2, '2026-06-30', '2026-06-30T00:00:00Z', 'invoices_added', count(*) || ' invoices added',
  json_group_array(json_object('number', i.invoice_number, 'total', i.total)), t.hash,
  lower(hex(sha3(t.hash || group_concat(i.invoice_number), 256)))
FROM p.invoices i CROSS JOIN timeline_entries t ON t.org_id = 'default' AND t.customer_id = i.customer_id AND t.sequence = 1
GROUP BY t.customer_id ORDER BY t.customer_id;
COMMIT;
-- payments file
BEGIN;
DROP INDEX payments_by_customer;
DROP INDEX allocations_by_invoice;
INSERT INTO payments (org_id, payment_id, customer_id, date, currency, amount_minor, reference, invoice_number)
SELECT 'default', payment_id, customer_id, date, currency,
    CASE currency WHEN 'JPY' THEN CAST(amount AS INTEGER) ELSE CAST(round(CAST(amount AS REAL) * 100) AS INTEGER) END,
    reference, NULLIF(invoice_number, '')
FROM p.payments ORDER BY payment_id;
INSERT INTO allocations (org_id, payment_id, invoice_number, amount_minor, date)
SELECT org_id, payment_id, invoice_number, amount_minor, date FROM payments
WHERE org_id = 'default' AND invoice_number IS NOT NULL ORDER BY payment_id;
DROP INDEX invoices_by_customer;
UPDATE invoices SET paid_minor = min(s.paid, total_minor)
FROM (SELECT i.customer_id, i.due_date, a.invoice_number, SUM(a.amount_minor) AS paid
      FROM allocations a JOIN invoices i ON i.org_id = a.org_id AND i.invoice_number = a.invoice_number
      WHERE a.org_id = 'default' GROUP BY a.invoice_number ORDER BY 1, 2, 3) AS s
WHERE invoices.org_id = 'default' AND invoices.customer_id = s.customer_id AND invoices.due_date = s.due_date
    AND invoices.invoice_number = s.invoice_number;
CREATE INDEX invoices_by_customer ON invoices (org_id, customer_id, due_date) WHERE total_minor > paid_minor + credited_minor;
CREATE INDEX payments_by_customer ON payments (org_id, customer_id);
CREATE INDEX allocations_by_invoice ON allocations (org_id, invoice_number);
INSERT INTO timeline_entries (org_id, customer_id, sequence, date, recorded_at, kind, summary, details, previous_hash, hash)
SELECT 'default', t.customer_id, 3, '2026-06-30', '2026-06-30T00:00:00Z', 'payments_recorded', count(*) || ' payments recorded',
  json_group_array(json_object('id', y.payment_id, 'amount', y.amount)), t.hash,
  lower(hex(sha3(t.hash || group_concat(y.payment_id), 256)))
FROM p.payments y CROSS JOIN timeline_entries t ON t.org_id = 'default' AND t.customer_id = y.customer_id AND t.sequence = 2
GROUP BY t.customer_id ORDER BY t.customer_id;
COMMIT;
