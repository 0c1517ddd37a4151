#!/usr/bin/env python3
"""Generates a camt.053.001.08 bank statement against a ledger made by generate_ledger.py, for benchmarks.

Reads OUT_DIR/invoices.csv and payments.csv, works out which EUR invoices are open (total less the payments naming
them), and writes one statement of N entries paying distinct open invoices, keyed the way payers really do:

    45 %  the invoice's RF reference (Duly derives it from the number: INV0001234 -> RF..INV0001234), structured
    20 %  the invoice number in the remittance text ("Invoice INV0001234")
     5 %  two invoices of the same customer in the text, one credit for both
    10 %  the invoice number as end-to-end id
    10 %  no reference: the amount and the payer's name ("Client 123 B.V.")
     8 %  nobody's: an unknown payer and a random amount (the unmatched queue)
     2 %  an RF reference with wrong check digits and a random amount (not trusted, unmatched)
plus one debit and one pending entry per 1,000, which are left out.

    scripts/generate_statement.py LEDGER_DIR N OUT_FILE [--seed S]
"""
import argparse
import collections
import csv
import random


def rf(base):
    digits = "".join(str(int(c, 36)) for c in base + "RF00")
    return f"RF{98 - int(digits) % 97:02d}{base}"


def money(minor):
    return f"{minor // 100}.{minor % 100:02d}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("ledger")
    parser.add_argument("entries", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    random.seed(args.seed)

    paid = collections.Counter()
    with open(f"{args.ledger}/payments.csv", encoding="utf-8") as source:
        for row in csv.DictReader(source):
            if row["invoice_number"] and row["currency"] == "EUR":
                paid[row["invoice_number"]] += round(float(row["amount"]) * 100)
    open_invoices = []  # (number, customer, open minor units)
    with open(f"{args.ledger}/invoices.csv", encoding="utf-8") as source:
        for row in csv.DictReader(source):
            if row["currency"] != "EUR":
                continue
            rest = round(float(row["total"]) * 100) - paid[row["invoice_number"]]
            if rest > 0:
                open_invoices.append((row["invoice_number"], row["customer_id"], rest))
    random.shuffle(open_invoices)
    by_customer = collections.defaultdict(list)
    for index, (_, customer, _) in enumerate(open_invoices):
        by_customer[customer].append(index)

    used = set()
    next_invoice = 0

    def take():
        nonlocal next_invoice
        while next_invoice in used:
            next_invoice += 1
        used.add(next_invoice)
        return open_invoices[next_invoice]

    with open(args.out, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>\n')
        out.write("<GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2026-03-10T06:00:00Z</CreDtTm></GrpHdr>\n")
        out.write(f"<Stmt><Id>BENCH-{args.entries}</Id><Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id>"
                  "<Ccy>EUR</Ccy></Acct>\n")
        for n in range(args.entries):
            if n % 1000 == 500:
                out.write('<Ntry><Amt Ccy="EUR">12.34</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>'
                          "<BookgDt><Dt>2026-03-10</Dt></BookgDt></Ntry>\n")
            if n % 1000 == 501:
                out.write('<Ntry><Amt Ccy="EUR">56.78</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>PDNG</Cd></Sts>'
                          "<BookgDt><Dt>2026-03-10</Dt></BookgDt></Ntry>\n")
            roll = random.random()
            name, reference, e2e, text = None, None, None, None
            if roll < 0.45:
                number, customer, amount = take()
                reference = rf(number)
            elif roll < 0.65:
                number, customer, amount = take()
                text = f"Invoice {number}"
            elif roll < 0.70:
                number, customer, amount = take()
                others = [i for i in by_customer[customer] if i not in used]
                if others:
                    used.add(others[0])
                    amount += open_invoices[others[0]][2]
                    text = f"Invoices {number} and {open_invoices[others[0]][0]}"
                else:
                    text = f"Invoice {number}"
            elif roll < 0.80:
                number, customer, amount = take()
                e2e = number
            elif roll < 0.90:
                number, customer, amount = take()
                name = f"Client {int(customer[1:])} B.V."
            elif roll < 0.98:
                amount = random.randrange(100, 5_000_000)
                name = f"Stranger {n}"
                text = f"Transfer {n}"
            else:
                amount = random.randrange(100, 5_000_000)
                reference = "RF00INV" + f"{n:07d}"
            details = ""
            if e2e:
                details += f"<Refs><EndToEndId>{e2e}</EndToEndId></Refs>"
            if name:
                details += f"<RltdPties><Dbtr><Pty><Nm>{name}</Nm></Pty></Dbtr></RltdPties>"
            if text or reference:
                details += "<RmtInf>"
                if text:
                    details += f"<Ustrd>{text}</Ustrd>"
                if reference:
                    details += ("<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp>"
                                f"<Ref>{reference}</Ref></CdtrRefInf></Strd>")
                details += "</RmtInf>"
            out.write(f'<Ntry><Amt Ccy="EUR">{money(amount)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>'
                      f"<BookgDt><Dt>2026-03-10</Dt></BookgDt><AcctSvcrRef>B{n}</AcctSvcrRef>"
                      f"<NtryDtls><TxDtls>{details}</TxDtls></NtryDtls></Ntry>\n")
        out.write("</Stmt></BkToCstmrStmt></Document>\n")


if __name__ == "__main__":
    main()
