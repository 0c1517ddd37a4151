#!/usr/bin/env python3
"""Generates a large ledger in Duly's CSV format, for benchmarks.

Deterministic for a seed. Defaults: 100,000 customers, 1,000,000 invoices, 670,000 payments, as of 2026-03-09:
invoices issued over the two years before, mostly on net 30 (some on 2/10 net 30 or EOM terms), in EUR, GBP and
JPY; about two thirds paid (a few partly, a few with payments that name no invoice), the rest open at every age.

    scripts/generate_ledger.py OUT_DIR [--customers N] [--invoices N] [--payments N] [--seed S]
"""
import argparse
import datetime
import os
import random

AS_OF = datetime.date(2026, 3, 9)
CURRENCIES = [("EUR", 2, 0.8), ("GBP", 2, 0.15), ("JPY", 0, 0.05)]
COUNTRIES = [("NL", "nl", "Europe/Amsterdam"), ("DE", "de", "Europe/Berlin"), ("GB", "en", "Europe/London"),
             ("FR", "fr", "Europe/Paris")]


def amount_text(minor, digits):
    if digits == 0:
        return str(minor)
    return f"{minor // 100}.{minor % 100:02d}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--payments", type=int, default=670_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    random.seed(args.seed)
    os.makedirs(args.out, exist_ok=True)

    customer_currency = []
    with open(os.path.join(args.out, "customers.csv"), "w", encoding="utf-8") as out:
        out.write("customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email\n")
        for n in range(args.customers):
            country, language, zone = COUNTRIES[n % len(COUNTRIES)]
            roll = random.random()
            currency = CURRENCIES[0] if roll < 0.8 else (CURRENCIES[1] if roll < 0.95 else CURRENCIES[2])
            customer_currency.append(currency)
            phone = f"+31 20 {n % 1000:03d} {n % 10000:04d}" if n % 5 else ""
            escalation = f"director{n}@client{n}.example" if n % 3 == 0 else ""
            out.write(f"C{n:06d},Client {n} B.V.,ap{n}@client{n}.example,{phone},{country},{language},{zone},"
                      f"Contact {n},{escalation}\n")

    paid_invoices = []
    with open(os.path.join(args.out, "invoices.csv"), "w", encoding="utf-8") as out:
        out.write("invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number\n")
        for n in range(args.invoices):
            customer = random.randrange(args.customers)
            code, digits, _ = customer_currency[customer]
            issue = AS_OF - datetime.timedelta(days=random.randrange(0, 730))
            roll = random.random()
            if roll < 0.8:
                terms, due = "net 30", issue + datetime.timedelta(days=30)
            elif roll < 0.9:
                terms, due = "2/10 net 30", issue + datetime.timedelta(days=30)
            else:
                next_month = (issue.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
                terms, due = "EOM", next_month - datetime.timedelta(days=1)
            total = random.randrange(5_000, 2_500_000) if digits == 2 else random.randrange(500, 250_000)
            po = f"PO-{n}" if n % 4 == 0 else ""
            out.write(f"INV{n:07d},C{customer:06d},{issue},{due},{code},{amount_text(total, digits)},{terms},{po}\n")
            paid_invoices.append((n, customer, code, digits, total, due))

    random.shuffle(paid_invoices)
    paid_invoices = paid_invoices[: args.payments]
    paid_invoices.sort(key=lambda item: item[0])
    with open(os.path.join(args.out, "payments.csv"), "w", encoding="utf-8") as out:
        out.write("payment_id,customer_id,date,currency,amount,reference,invoice_number\n")
        for index, (n, customer, code, digits, total, due) in enumerate(paid_invoices):
            date = min(AS_OF - datetime.timedelta(days=1), due + datetime.timedelta(days=random.randrange(-20, 40)))
            roll = random.random()
            amount = total if roll < 0.9 else max(1, total // 2)
            named = f"INV{n:07d}" if roll < 0.97 else ""
            out.write(f"P{index:07d},C{customer:06d},{date},{code},{amount_text(amount, digits)},"
                      f"Invoice INV{n:07d},{named}\n")


if __name__ == "__main__":
    main()
