#!/usr/bin/env python3
"""A large accounting export for the mapped-CSV import benchmark (BENCHMARKS.md, "Mapped CSV import").

    python3 scripts/generate_mapped_invoices.py DIR [MEGABYTES]      (default 1024)

Writes DIR/customers.csv (Duly's format, 10,000 customers), DIR/export.csv (a German-shaped export: BOM, ';',
decimal commas with thousands points, DD.MM.YYYY dates, a free-text column Duly does not read, some quoted over two
lines) of about MEGABYTES, and DIR/mapping.yaml. Deterministic: the same arguments give the same bytes.
"""
import os
import random
import sys

folder = sys.argv[1]
target = int(sys.argv[2]) * 1024 * 1024 if len(sys.argv) > 2 else 1024 * 1024 * 1024
os.makedirs(folder, exist_ok=True)
rng = random.Random(20260301)
customers = 10_000
with open(os.path.join(folder, "customers.csv"), "w") as out:
    out.write("customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email\n")
    for c in range(customers):
        out.write(f"K{c:06d},Kunde {c},ap{c}@kunde.example,,DE,de,Europe/Berlin,,\n")
with open(os.path.join(folder, "mapping.yaml"), "w") as out:
    out.write(
        "kind: invoices\nseparator: \";\"\ndecimal: \",\"\nthousands: \".\"\ndate_format: DD.MM.YYYY\n"
        "columns:\n  invoice_number: Rechnungsnr.\n  customer_id: Kundennr.\n  issue_date: Rechnungsdatum\n"
        "  due_date: Fälligkeit\n  total: Betrag\nconstants:\n  currency: EUR\n")
words = "Lieferung Beratung Wartung Lizenz Schulung Montage Material Reise Projekt Leistung".split()
written = 0
row = 0
with open(os.path.join(folder, "export.csv"), "wb", buffering=1 << 20) as out:
    header = "\ufeffRechnungsnr.;Kundennr.;Buchungstext;Rechnungsdatum;Fälligkeit;Betrag\n".encode()
    out.write(header)
    written += len(header)
    while written < target:
        row += 1
        day = 1 + row % 28
        month = 1 + (row // 28) % 12
        text = " ".join(rng.choice(words) for _ in range(12))
        if row % 50 == 0:
            text = f"\"{text}\nzweite Zeile\""
        cents = rng.randrange(1_000, 5_000_000)
        euros = f"{cents // 100:,}".replace(",", ".") + f",{cents % 100:02d}"
        line = (f"R-{row:09d};K{row % customers:06d};{text};{day:02d}.{month:02d}.2025;"
                f"{day:02d}.{month:02d}.2026;{euros}\n").encode()
        out.write(line)
        written += len(line)
print(f"{row} invoices, {written} bytes", file=sys.stderr)
