import DulyCore

/// `index.html`: the pack for a person to read. One self-contained page (styles inline, no scripts, nothing
/// fetched), every text from the records escaped. It reads from the manifest's model, so both say the same.
struct EvidenceIndex {
    var manifest: Manifest
    var records: EvidenceRecords

    var html: String {
        let customer = manifest.customer
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Evidence pack: \(HTML.escape(customer.name)) (\(HTML.escape(customer.reference)))</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em; color: #1a1a1a; max-width: 110em; }
            h1 { margin-bottom: 0.2em; }
            h2 { margin-top: 1.6em; border-bottom: 1px solid #ccc; }
            table { border-collapse: collapse; width: 100%; margin: 0.5em 0; }
            th, td { border: 1px solid #ccc; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
            th { background: #f2f2f2; }
            td.amount { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            code, .hash { font-family: ui-monospace, monospace; font-size: 0.8em; word-break: break-all; }
            .hash { display: inline-block; width: 33ch; }
            .verification { padding: 1em; font-size: 1.2em; font-weight: bold; border: 3px solid; }
            .ok { background: #e6f4ea; border-color: #1e7e34; color: #145523; }
            .broken { background: #fdecea; border-color: #b00020; color: #7a0016; }
            tr.bad td { background: #fdecea; }
            td a { word-break: break-all; }
            .muted { color: #666; }
            </style>
            </head>
            <body>
            <h1>Evidence pack: \(HTML.escape(customer.name))</h1>
            <p>Customer reference <strong>\(HTML.escape(customer.reference))</strong> of \
            \(HTML.escape(manifest.organisation.name)). Prepared for \(HTML.escape(manifest.generatedFor)) \
            (generated \(HTML.escape(manifest.generatedAt))).</p>

            """
        page += verificationSection
        page += accountSection
        page += invoicesSection
        page += commitmentsSection
        page += callNotesSection
        page += communicationsSection
        page += interestSection
        page += documentsSection
        page += timelineSection
        page += """
            <h2>About this pack</h2>
            <p>manifest.json holds the same facts for a machine to read, with the SHA-256 and size of every file; \
            SHA256SUMS lists them for <code>sha256sum -c SHA256SUMS</code>. timeline/VERIFY.txt explains how to \
            re-check the hash chain by hand. Each message in communications/ is byte for byte what was handed to \
            the mail server or printed.</p>
            </body>
            </html>

            """
        return page
    }

    private var verificationSection: String {
        let verification = manifest.verification
        let ok = verification.status == "ok"
        return """
            <div class="verification \(ok ? "ok" : "broken")" role="status">
            Timeline hash chain \(HTML.escape(verification.statement))
            </div>

            """
    }

    private var accountSection: String {
        let customer = manifest.customer
        var rows: [[String]] = [
            ["Name", HTML.escape(customer.name)], ["Reference", HTML.escape(customer.reference)],
        ]
        for (label, value) in [
            ("Country", customer.country.value), ("Language", customer.language.value),
            ("Time zone", customer.timeZone.value), ("Collector", customer.collector.value),
        ] {
            if let value { rows.append([label, HTML.escape(value)]) }
        }
        if !customer.tags.isEmpty { rows.append(["Tags", HTML.escape(customer.tags.joined(separator: ", "))]) }
        if !customer.optedOut.isEmpty {
            rows.append(["Opted out of", HTML.escape(customer.optedOut.joined(separator: ", "))])
        }
        var section = "<h2>Account</h2>\n" + table(headers: [], rows: rows)
        if !customer.contacts.isEmpty {
            section += table(
                headers: ["Role", "Name", "Email", "Phone", "Preferred channel"],
                rows: customer.contacts.map {
                    [
                        HTML.escape($0.role), HTML.escape($0.name.value ?? ""),
                        HTML.escape($0.email.value ?? "") + ($0.emailBouncing ? " (bouncing)" : ""),
                        HTML.escape($0.phone.value ?? ""), HTML.escape($0.preferredChannel.value ?? ""),
                    ]
                })
        }
        if !manifest.balances.isEmpty {
            section += table(
                headers: ["Currency", "Invoiced", "Paid", "Credited", "Open"],
                rows: manifest.balances.map {
                    [
                        HTML.escape($0.currency), HTML.escape($0.total), HTML.escape($0.paid), HTML.escape($0.credited),
                        HTML.escape($0.open),
                    ]
                }, amountColumns: [1, 2, 3, 4])
        }
        return section
    }

    private var invoicesSection: String {
        guard !manifest.invoices.isEmpty else { return "<h2>Invoices</h2>\n<p>No invoices.</p>\n" }
        return "<h2>Invoices</h2>\n"
            + table(
                headers: [
                    "Invoice", "Issued", "Due", "Terms", "PO", "Currency", "Total", "Paid", "Credited", "Open",
                    "State",
                ],
                rows: manifest.invoices.map {
                    [
                        HTML.escape($0.number), HTML.escape($0.issueDate), HTML.escape($0.dueDate),
                        HTML.escape($0.terms.value ?? ""),
                        HTML.escape($0.poNumber.value ?? ""), HTML.escape($0.currency), HTML.escape($0.total),
                        HTML.escape($0.paid),
                        HTML.escape($0.credited), HTML.escape($0.open), HTML.escape($0.endState.value ?? "open"),
                    ]
                }, amountColumns: [6, 7, 8, 9])
    }

    private var commitmentsSection: String {
        var section = "<h2>Promises, plans, disputes and refusals</h2>\n"
        if manifest.promises.isEmpty && manifest.plans.isEmpty && manifest.disputes.isEmpty
            && manifest.refusals.isEmpty
        {
            return section + "<p>None recorded.</p>\n"
        }
        if !manifest.promises.isEmpty {
            section +=
                "<h3>Promises to pay</h3>\n"
                + table(
                    headers: ["Promise", "Made on", "Invoices", "Amount", "By"],
                    rows: manifest.promises.map {
                        [
                            HTML.escape($0.id), HTML.escape($0.madeOn),
                            HTML.escape($0.invoices.joined(separator: ", ")),
                            HTML.escape("\($0.currency) \($0.amount)"), HTML.escape($0.promisedDate),
                        ]
                    }, amountColumns: [3])
        }
        if !manifest.plans.isEmpty {
            section +=
                "<h3>Payment plans</h3>\n"
                + table(
                    headers: ["Plan", "Accepted on", "Invoices", "Instalments"],
                    rows: manifest.plans.map {
                        [
                            HTML.escape($0.id), HTML.escape($0.acceptedOn.value ?? "not accepted"),
                            HTML.escape($0.invoices.joined(separator: ", ")),
                            $0.instalments.map { HTML.escape("\($0.dueDate): \($0.currency) \($0.amount)") }
                                .joined(separator: "<br>"),
                        ]
                    })
        }
        if !manifest.disputes.isEmpty {
            section +=
                "<h3>Disputes</h3>\n"
                + table(
                    headers: ["Dispute", "Invoice", "Opened on", "Reason", "Amount", "Resolved on"],
                    rows: manifest.disputes.map { dispute in
                        [
                            HTML.escape(dispute.id), HTML.escape(dispute.invoice), HTML.escape(dispute.openedOn),
                            HTML.escape(dispute.reason),
                            HTML.escape(
                                dispute.amount.value.map { "\(dispute.currency.value ?? "") \($0)" } ?? "whole invoice"),
                            HTML.escape(dispute.resolvedOn.value ?? "open"),
                        ]
                    })
        }
        if !manifest.refusals.isEmpty {
            section +=
                "<h3>Refusals to pay</h3>\n<ul>\n"
                + manifest.refusals.map { "<li>\(HTML.escape($0))</li>\n" }.joined() + "</ul>\n"
        }
        return section
    }

    private var callNotesSection: String {
        guard !manifest.callNotes.isEmpty else { return "<h2>Call notes</h2>\n<p>No calls or meetings logged.</p>\n" }
        return "<h2>Call notes</h2>\n"
            + table(
                headers: ["Entry", "Date", "Channel", "Action", "Outcome", "Note"],
                rows: manifest.callNotes.map {
                    [
                        String($0.timelineEntry), HTML.escape($0.date), HTML.escape($0.channel),
                        HTML.escape($0.actionId.value ?? ""),
                        HTML.escape($0.outcome), HTML.escape($0.note.value ?? ""),
                    ]
                })
    }

    private var communicationsSection: String {
        guard !manifest.communications.isEmpty else {
            return "<h2>Communications</h2>\n<p>No messages recorded.</p>\n"
        }
        return "<h2>Communications</h2>\n"
            + table(
                headers: ["Action", "Channel", "Sent on", "To", "State", "Message-ID", "File", "SHA-256"],
                rows: manifest.communications.map {
                    let file =
                        $0.file.value.map { "<a href=\"\(HTML.escape($0))\">\(HTML.escape($0))</a>" }
                        ?? "<span class=\"muted\">nothing was composed</span>"
                    return [
                        String($0.actionId), HTML.escape($0.channel.value ?? ""), HTML.escape($0.sentOn.value ?? ""),
                        HTML.escape($0.sentTo.value ?? ""), HTML.escape($0.state),
                        "<code>\(HTML.escape($0.messageId))</code>", file,
                        "<span class=\"hash\">\(HTML.escape($0.sha256.value ?? ""))</span>",
                    ]
                })
    }

    private var documentsSection: String {
        guard !manifest.documents.isEmpty else { return "<h2>Documents</h2>\n<p>No documents on file.</p>\n" }
        return "<h2>Documents</h2>\n<p>Each file exactly as received; its SHA-256 is also on the timeline.</p>\n"
            + table(
                headers: ["File", "Type", "Bytes", "SHA-256", "What it is"],
                rows: manifest.documents.map {
                    [
                        "<a href=\"\(HTML.escape($0.path))\">\(HTML.escape($0.path))</a>", HTML.escape($0.mediaType),
                        String($0.size), "<span class=\"hash\">\(HTML.escape($0.sha256))</span>",
                        HTML.escape($0.description),
                    ]
                }, amountColumns: [2])
    }

    private var interestSection: String {
        guard let interest = records.interest else {
            return "<h2>Interest</h2>\n<p>No interest computation is part of this pack.</p>\n"
        }
        let info = Manifest.InterestInfo(interest)
        return
            "<h2>Interest</h2>\n<p>\(HTML.escape(info.regime)), to \(HTML.escape(info.asOf)). \(HTML.escape(info.method))</p>\n"
            + table(
                headers: [
                    "Invoice", "Principal", "From", "Through", "Days", "Rate % a year", "Interest", "Compensation",
                    "Basis",
                ],
                rows: info.lines.map { line in
                    [
                        HTML.escape(line.invoice), HTML.escape("\(line.currency) \(line.principal)"),
                        HTML.escape(line.from), HTML.escape(line.through), String(line.days),
                        HTML.escape(line.annualRatePercent), HTML.escape("\(line.currency) \(line.interest)"),
                        HTML.escape(line.compensation.value.map { "\(line.currency) \($0)" } ?? ""),
                        HTML.escape(line.basis),
                    ]
                }, amountColumns: [1, 4, 5, 6, 7])
            + table(
                headers: ["Currency", "Interest", "Compensation"],
                rows: info.totals.map {
                    [HTML.escape($0.currency), HTML.escape($0.interest), HTML.escape($0.compensation)]
                },
                amountColumns: [1, 2])
    }

    private var timelineSection: String {
        let bad = manifest.verification.firstBadEntry.value
        guard !records.timeline.isEmpty else { return "<h2>Timeline</h2>\n<p>No entries.</p>\n" }
        return "<h2>Timeline</h2>\n<p>Every entry as stored, with its hash and the hash of the entry before it "
            + "(see timeline/VERIFY.txt).</p>\n"
            + table(
                headers: ["#", "Date", "Recorded at", "Kind", "Summary", "Details", "Previous hash", "Hash"],
                rows: records.timeline.map { entry in
                    [
                        String(entry.sequence), HTML.escape(entry.date.description), HTML.escape(entry.recordedAt),
                        HTML.escape(entry.kind), HTML.escape(entry.summary),
                        entry.details.keys.sorted().map { "\(HTML.escape($0)): \(HTML.escape(entry.details[$0]!))" }
                            .joined(separator: "<br>"),
                        "<span class=\"hash\">\(HTML.escape(entry.previousHash))</span>",
                        "<span class=\"hash\">\(HTML.escape(entry.hash))</span>",
                    ]
                }, badRow: records.timeline.firstIndex { $0.sequence == bad })
    }

    /// An HTML table; cells are already escaped HTML.
    private func table(
        headers: [String], rows: [[String]], amountColumns: Set<Int> = [], badRow: Int? = nil
    ) -> String {
        var html = "<table>\n"
        if !headers.isEmpty { html += "<tr>" + headers.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr>\n" }
        for (index, row) in rows.enumerated() {
            html += index == badRow ? "<tr class=\"bad\">" : "<tr>"
            html +=
                row.enumerated().map { column, cell in
                    amountColumns.contains(column) ? "<td class=\"amount\">\(cell)</td>" : "<td>\(cell)</td>"
                }.joined() + "</tr>\n"
        }
        return html + "</table>\n"
    }
}
