// A million invoice rows inserted in key order into Duly's invoices table (without the indexes a first load sets
// aside), K rows to a statement, from C against the system SQLite: what row-by-row writing costs SQLite itself.
// BENCHMARKS.md, "A first load on two cores".
//
//   gcc -O2 -o /tmp/bench_invoice_statements scripts/bench_invoice_statements.c -lsqlite3
//   for k in 1 16 1 16 64; do /tmp/bench_invoice_statements $k; done
//
// Writes /tmp/bench-invoices.sqlite (WAL, 8 MB page cache, one transaction, as the ledger load).
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static const char *schema =
    "PRAGMA journal_mode=WAL; PRAGMA cache_size=-8192;"
    "CREATE TABLE invoices (org_id TEXT NOT NULL, invoice_number TEXT NOT NULL CHECK (invoice_number <> ''),"
    " customer_id TEXT NOT NULL, issue_date TEXT NOT NULL CHECK (length(issue_date) = 10),"
    " due_date TEXT NOT NULL CHECK (length(due_date) = 10), currency TEXT NOT NULL CHECK (length(currency) = 3),"
    " total_minor INTEGER NOT NULL CHECK (total_minor >= 0), terms TEXT, po_number TEXT,"
    " paid_minor INTEGER NOT NULL DEFAULT 0 CHECK (paid_minor >= 0),"
    " credited_minor INTEGER NOT NULL DEFAULT 0 CHECK (credited_minor >= 0),"
    " adjusted_as TEXT CHECK (adjusted_as IN ('settled', 'written_off')), payment_id_text TEXT, terms_note TEXT,"
    " payment_reference TEXT, payment_url TEXT CHECK (payment_url IS NULL OR payment_url <> ''),"
    " PRIMARY KEY (org_id, customer_id, due_date, invoice_number),"
    " CHECK (paid_minor + credited_minor <= total_minor)) WITHOUT ROWID;"
    "CREATE INDEX invoices_without_payment_reference ON invoices (org_id, invoice_number)"
    " WHERE payment_reference IS NULL;";

int main(int argc, char **argv) {
    int k = argc > 1 ? atoi(argv[1]) : 1;
    const int rows = 1000000;
    if (k < 1 || k > 64 || rows % k != 0) {
        fprintf(stderr, "rows per statement: 1 to 64, dividing a million\n");
        return 2;
    }
    remove("/tmp/bench-invoices.sqlite");
    remove("/tmp/bench-invoices.sqlite-wal");
    remove("/tmp/bench-invoices.sqlite-shm");
    sqlite3 *db;
    sqlite3_open("/tmp/bench-invoices.sqlite", &db);
    sqlite3_exec(db, schema, 0, 0, 0);
    char sql[4096] = "INSERT INTO invoices (org_id, invoice_number, customer_id, issue_date, due_date, currency,"
                     " total_minor, terms, po_number, payment_reference, payment_url, paid_minor) VALUES ";
    for (int i = 0; i < k; i++) strcat(sql, i ? ",(?,?,?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?,?,?)");
    sqlite3_stmt *insert;
    if (sqlite3_prepare_v2(db, sql, -1, &insert, 0) != SQLITE_OK) {
        fprintf(stderr, "%s\n", sqlite3_errmsg(db));
        return 1;
    }
    sqlite3_exec(db, "BEGIN", 0, 0, 0);
    double started = now();
    char number[32], customer[16], reference[32], due[16];
    srand(7);
    for (int first = 0; first < rows; first += k) {
        for (int r = 0; r < k; r++) {
            int i = first + r, b = r * 12;
            // Ten invoices a customer, in key order (customer, due date); numbers at random, as a ledger's are.
            snprintf(number, sizeof number, "INV%07d-%d", rand() % 10000000, i);
            snprintf(customer, sizeof customer, "C%06d", i / 10);
            snprintf(reference, sizeof reference, "RF%020d", i);
            snprintf(due, sizeof due, "2026-02-%02d", 1 + i % 10);
            sqlite3_bind_text(insert, b + 1, "default", -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(insert, b + 2, number, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(insert, b + 3, customer, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(insert, b + 4, "2026-01-01", -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(insert, b + 5, due, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(insert, b + 6, "EUR", -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(insert, b + 7, 10000);
            sqlite3_bind_text(insert, b + 8, "net 30", -1, SQLITE_TRANSIENT);
            sqlite3_bind_null(insert, b + 9);
            sqlite3_bind_text(insert, b + 10, reference, -1, SQLITE_TRANSIENT);
            sqlite3_bind_null(insert, b + 11);
            sqlite3_bind_int64(insert, b + 12, 5000);
        }
        if (sqlite3_step(insert) != SQLITE_DONE) {
            fprintf(stderr, "%s\n", sqlite3_errmsg(db));
            return 1;
        }
        sqlite3_reset(insert);
    }
    sqlite3_exec(db, "COMMIT", 0, 0, 0);
    printf("%d rows to a statement: %.2f s\n", k, now() - started);
    sqlite3_finalize(insert);
    sqlite3_close(db);
    return 0;
}
