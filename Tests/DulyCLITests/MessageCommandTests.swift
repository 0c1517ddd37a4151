import Foundation
import Testing

/// Issue 9 through the `duly` binary: what messages ask for under a dispute, how to pay, and whom to call.
@Suite struct MessageCommandTests {
    /// Studio (NL), with Acme (C1, English) owing F-7 and Maison Ours (C2, French) owing F-8: 1,180.00 each, due
    /// Friday 6 March 2026, so the first follow-up goes out on Monday 9 March.
    func ledger(_ duly: DulyProcess, initOptions: [String] = []) throws {
        let initialised = try duly.run(
            [
                "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone", "Europe/Amsterdam",
                "--from-address", "ar@studio.example",
            ] + initOptions)
        try #require(initialised.status == 0, "\(initialised.errors)")
        let customers = try duly.write(
            "c.csv",
            "customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email\n"
                + "C1,Acme,ap@acme.example,,GB,en,Europe/London,Tom Baker,\n"
                + "C2,Maison Ours,compta@ours.example,,FR,fr,Europe/Paris,Léa Ours,\n")
        try #require(try duly.run(["import", "customers", customers]).status == 0)
        let invoices = try duly.write(
            "i.csv",
            "invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number\n"
                + "F-7,C1,2026-02-04,2026-03-06,EUR,1180.00,net 30,\n"
                + "F-8,C2,2026-02-04,2026-03-06,EUR,1180.00,net 30,\n")
        try #require(try duly.run(["import", "invoices", invoices]).status == 0)
    }

    /// Each .eml in the outbox as a reader sees it (quoted-printable decoded), by customer id in its file name.
    func outbox(_ duly: DulyProcess) throws -> [String: String] {
        let folder = duly.folder.appendingPathComponent("outbox")
        var messages: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".eml") {
            let raw = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
            let customer = name.split(separator: "-").dropFirst(3).first.map(String.init) ?? name
            messages[customer] = Self.decodingQuotedPrintable(raw)
        }
        return messages
    }

    static func decodingQuotedPrintable(_ raw: [UInt8]) -> String {
        var bytes: [UInt8] = []
        var index = 0
        while index < raw.count {
            if raw[index] == UInt8(ascii: "="), index + 2 < raw.count {
                if raw[index + 1] == 13 && raw[index + 2] == 10 {
                    index += 3
                    continue
                }
                if let byte = UInt8(String(decoding: raw[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                    bytes.append(byte)
                    index += 3
                    continue
                }
            }
            bytes.append(raw[index])
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func afterAPartDisputeTheRemindersAskOnlyForTheRestInEnglishAndFrench() throws {
        let duly = try DulyProcess()
        try ledger(duly, initOptions: ["--payment-instructions", "IBAN NL91 ABNA 0417 1643 00"])
        for invoice in ["F-7", "F-8"] {
            let opened = try duly.run([
                "dispute", "open", invoice, "--reason-code", "quality", "--reason", "two panels scratched",
                "--amount", "180.00", "--as-of", "2026-03-06",
            ])
            #expect(opened.status == 0, "\(opened.errors)")
        }
        #expect(try duly.run(["run", "--as-of", "2026-03-09"]).status == 0)
        let delivered = try duly.run(["deliver", "--as-of", "2026-03-09"])
        #expect(delivered.output.contains("2 sent"), "\(delivered.output)\(delivered.errors)")
        let messages = try outbox(duly)

        let english = try #require(messages["C1"])
        #expect(english.contains("EUR\u{A0}1,000.00"))
        #expect(!english.contains("1,180.00"), "the disputed part is not demanded")
        #expect(english.contains("EUR\u{A0}180.00 of invoice F-7 is under review after your query and is not included"))

        let french = try #require(messages["C2"])
        #expect(french.contains("1\u{202F}000,00\u{A0}EUR"))
        #expect(!french.contains("1\u{202F}180,00"), "the disputed part is not demanded")
        #expect(french.contains("180,00\u{A0}EUR de la facture F-8 sont en cours d’examen"))
    }

    @Test func initSaysRemindersWillNotSayHowToPayUntilInstructionsAreSet() throws {
        let duly = try DulyProcess()
        let bare = try duly.run([
            "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone", "Europe/Amsterdam",
            "--from-address", "ar@studio.example",
        ])
        #expect(bare.status == 0)
        #expect(bare.output.contains("Reminders will not say how to pay until --payment-instructions is set."))
        let set = try duly.run([
            "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone", "Europe/Amsterdam",
            "--from-address", "ar@studio.example", "--payment-instructions", "IBAN NL91 ABNA 0417 1643 00",
        ])
        #expect(!set.output.contains("will not say how to pay"))
    }

    @Test func withoutInstructionsNoHowToPayHeadingIsSent() throws {
        let duly = try DulyProcess()
        try ledger(duly)
        #expect(try duly.run(["run", "--as-of", "2026-03-09"]).status == 0)
        #expect(try duly.run(["deliver", "--as-of", "2026-03-09"]).output.contains("2 sent"))
        let messages = try outbox(duly)
        #expect(!(try #require(messages["C1"])).contains("How to pay"))
        #expect(!(try #require(messages["C2"])).contains("Comment régler"))
    }

    @Test func eachClientReadsTheInstructionsInTheirLanguageElseTheOrganisationsAndNeverAMix() throws {
        let duly = try DulyProcess()
        try ledger(
            duly,
            initOptions: [
                "--payment-instructions", "Maak over naar IBAN NL91 ABNA 0417 1643 00.",
                "--payment-instructions", "en=Please transfer to IBAN NL91 ABNA 0417 1643 00.",
                "--phone", "+31 20 123 4567",
            ])
        #expect(try duly.run(["run", "--as-of", "2026-03-09"]).status == 0)
        #expect(try duly.run(["deliver", "--as-of", "2026-03-09"]).output.contains("2 sent"))
        let messages = try outbox(duly)
        let english = try #require(messages["C1"])
        #expect(english.contains("Please transfer to IBAN NL91 ABNA 0417 1643 00."))
        #expect(!english.contains("Maak over"))
        // No French text was given: the organisation's own, whole.
        let french = try #require(messages["C2"])
        #expect(french.contains("Maak over naar IBAN NL91 ABNA 0417 1643 00."))
        #expect(!french.contains("Please transfer"))
    }

    @Test func aSignatureOrPaymentInstructionsThatThreatenAreRefusedBeforeAnyMessage() throws {
        let duly = try DulyProcess()
        let base = [
            "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone", "Europe/Amsterdam",
            "--from-address", "ar@studio.example",
        ]
        let signature = try duly.run(base + ["--signature", "Accounts\\nLate payers go to our lawyers"])
        #expect(signature.status != 0)
        #expect(signature.errors.contains("--signature: \"lawyers\" mentions legal or external escalation"))
        let instructions = try duly.run(
            base + ["--payment-instructions", "nl=IBAN NL91 ABNA 0417 1643 00, anders volgt een incassobureau"])
        #expect(instructions.status != 0)
        #expect(instructions.errors.contains("--payment-instructions: \"incassobureau\""))
        // A firm whose own name sounds like the law signs with it.
        let firm = try duly.run([
            "init", "--name", "Court Lane Solicitors", "--currency", "GBP", "--country", "GB", "--timezone",
            "Europe/London", "--from-address", "ar@courtlane.example", "--signature",
            "Mara Lind\\nCourt Lane Solicitors", "--org", "firm",
        ])
        #expect(firm.status == 0, "\(firm.errors)")
        // Nothing was saved: the organisation does not exist yet.
        #expect(try duly.run(["customers"]).status != 0)
    }

    /// Every message in the outbox as a reader sees it, in file-name order.
    func everyMessage(_ duly: DulyProcess) throws -> [String] {
        let folder = duly.folder.appendingPathComponent("outbox")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".eml") }.sorted()
            .map { Self.decodingQuotedPrintable(Array(try Data(contentsOf: folder.appendingPathComponent($0)))) }
    }

    @Test func aRejectedDisputeTellsTheClientWhatWasFoundAndAThankYouWhatArrivedAndWhen() throws {
        // Given Acme disputing F-7 and Maison Ours reminded of F-8 on 9 March
        let duly = try DulyProcess()
        try ledger(duly)
        try #require(
            try duly.run([
                "dispute", "open", "F-7", "--reason", "The hours do not match.", "--id", "DSP-1", "--as-of",
                "2026-03-02",
            ]).status == 0)
        #expect(try duly.run(["run", "--as-of", "2026-03-09"]).status == 0)
        #expect(try duly.run(["deliver", "--as-of", "2026-03-09"]).status == 0)

        // When the dispute is rejected with the collector's findings, Maison Ours pays F-8 on 10 March, and the
        // next day's messages go out
        let resolved = try duly.run([
            "dispute", "resolve", "DSP-1", "--outcome", "rejected", "--note", "The signed timesheet shows 8 hours.",
            "--as-of", "2026-03-10",
        ])
        try #require(resolved.status == 0, "\(resolved.errors)")
        let payments = try duly.write(
            "p.csv",
            "payment_id,customer_id,date,currency,amount,reference,invoice_number\n"
                + "P1,C2,2026-03-10,EUR,1180.00,,F-8\n")
        try #require(try duly.run(["import", "payments", payments, "--as-of", "2026-03-10"]).status == 0)
        #expect(try duly.run(["run", "--as-of", "2026-03-11"]).status == 0)
        let delivered = try duly.run(["deliver", "--as-of", "2026-03-11"])
        #expect(delivered.status == 0, "\(delivered.errors)")

        // Then Acme reads the findings, and Maison Ours, once the week since its reminder is over, how much arrived
        // and on which day
        #expect(try everyMessage(duly).contains { $0.contains("Our findings: The signed timesheet shows 8 hours.") })
        #expect(try duly.run(["run", "--as-of", "2026-03-16"]).status == 0)
        #expect(try duly.run(["deliver", "--as-of", "2026-03-16"]).status == 0)
        let messages = try everyMessage(duly)
        #expect(messages.contains { $0.contains("paiement de 1\u{202F}180,00\u{A0}EUR le 10 mars 2026") })
    }

    @Test func aNamedCollectorSendsUnderTheirNameAndGivesTheirDirectLine() throws {
        // Given Acme owned by Jonas Weber, whose direct line is set, and Maison Ours owned by nobody
        let duly = try DulyProcess()
        try #require(
            try duly.run([
                "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone", "Europe/Amsterdam",
                "--from-address", "ar@studio.example", "--phone", "+31 20 123 4567",
            ]).status == 0)
        let customers = try duly.write(
            "c.csv",
            "customer_id,name,email,country,language,contact_name,collector\n"
                + "C1,Acme,ap@acme.example,GB,en,Tom Baker,Jonas Weber\n"
                + "C2,Maison Ours,compta@ours.example,FR,fr,Léa Ours,\n")
        try #require(try duly.run(["import", "customers", customers]).status == 0)
        let invoices = try duly.write(
            "i.csv",
            "invoice_number,customer_id,issue_date,due_date,currency,total\n"
                + "F-7,C1,2026-02-04,2026-03-06,EUR,1180.00\nF-8,C2,2026-02-04,2026-03-06,EUR,1180.00\n")
        try #require(try duly.run(["import", "invoices", invoices]).status == 0)
        let set = try duly.run(["collector", "set", "Jonas Weber", "--phone", "+31 20 123 4599"])
        #expect(set.output.contains("Collector 'Jonas Weber' signs the messages to their accounts; direct line"))
        #expect(try duly.run(["collector", "list"]).output.contains("Jonas Weber  -  +31 20 123 4599"))

        // When the first follow-ups go out
        #expect(try duly.run(["run", "--as-of", "2026-03-09"]).status == 0)
        #expect(try duly.run(["deliver", "--as-of", "2026-03-09"]).output.contains("2 sent"))

        // Then Acme hears from Jonas, signed with his direct line; Maison Ours from the organisation
        let messages = try outbox(duly)
        let acme = try #require(messages["C1"])
        #expect(acme.contains("From: \"Jonas Weber, Studio\" <ar@studio.example>"))
        #expect(acme.contains("Jonas Weber\r\nStudio\r\nDirect line: +31 20 123 4599"))
        let ours = try #require(messages["C2"])
        #expect(!ours.contains("Jonas Weber"))
    }

    @Test func emailsCarryTheInvoiceAndTheStatementAsPDFWhenAskedAndNothingGoesWithoutAConverter() throws {
        // Given an organisation that sends the invoice copies and the statement with its emails
        let duly = try DulyProcess()
        try ledger(duly, initOptions: ["--attach", "invoice,statement"])
        #expect(try duly.run(["run", "--as-of", "2026-03-09"]).status == 0)

        // When no converter is installed, nothing is sent and the person reads why and what to do
        let stopped = try duly.run(["deliver", "--as-of", "2026-03-09"], environment: ["PATH": "/nonexistent"])
        #expect(stopped.status == 78)
        #expect(stopped.errors.contains("neither chromium nor weasyprint is installed"), "\(stopped.errors)")
        #expect(stopped.errors.contains("duly init --attach none"))

        // When one is, each follow-up carries its invoice's copy and the statement of account, as PDF
        let sent = try duly.run(["deliver", "--as-of", "2026-03-09"])
        #expect(sent.output.contains("2 sent"), "\(sent.errors)")
        let acme = try #require(try outbox(duly)["C1"])
        #expect(acme.components(separatedBy: "Content-Type: application/pdf").count - 1 == 2)
        #expect(acme.contains("Copy of invoice F-7.pdf"))
        #expect(acme.contains("Statement of account on 9 March 2026.pdf"))
        // Base64 of "%PDF-".
        #expect(acme.contains("\r\n\r\nJVBERi0"))
    }

    @Test func anIBANWithWrongCheckDigitsIsRefusedAndAGoodOneIsKept() throws {
        let duly = try DulyProcess()
        let base = [
            "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone", "Europe/Amsterdam",
            "--from-address", "ar@studio.example",
        ]
        let wrong = try duly.run(base + ["--iban", "NL92 ABNA 0417 1643 00"])
        #expect(wrong.status != 0)
        #expect(wrong.errors.contains("--iban/--bic:"), "\(wrong.errors)")
        #expect(wrong.errors.lowercased().contains("iban"))
        let right = try duly.run(base + ["--iban", "NL91 ABNA 0417 1643 00", "--bic", "ABNANL2A"])
        #expect(right.status == 0, "\(right.errors)")
        // Set once, the account stays when init runs again without it.
        #expect(try duly.run(base + ["--phone", "+31 20 123 4567"]).status == 0)
        let noSender = try DulyProcess()
        let refused = try noSender.run(
            Array(base.prefix(9)) + ["--iban", "NL91 ABNA 0417 1643 00"])
        #expect(refused.errors.contains("--iban needs the sender of messages: give --from-address too"))
    }

    @Test func anUnknownDocumentToAttachIsRefusedWithTheChoices() throws {
        let duly = try DulyProcess()
        let refused = try duly.run([
            "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone", "Europe/Amsterdam",
            "--attach", "invoice,receipt",
        ])
        #expect(refused.status != 0)
        #expect(
            refused.errors.contains(
                "--attach 'receipt' is not a document Duly attaches: use invoice, statement or none"))
    }

    @Test func aTeamLanguageDulyDoesNotWriteInIsRefusedWithTheChoices() throws {
        let duly = try DulyProcess()
        let refused = try duly.run([
            "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone", "Europe/Amsterdam",
            "--language", "es",
        ])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("--language 'es' is not one Duly writes in: use en, de, fr or nl"))
    }

    @Test func theCallScriptAndTheApprovalsAskOnlyForTheUndisputedRest() throws {
        // Given Maison Ours (French) with F-8 of 1,180.00 due 23 January, 180.00 of it disputed on 2 February,
        // chased week by week to the final notice awaiting approval.
        let duly = try DulyProcess()
        try #require(
            try duly.run([
                "init", "--name", "Studio", "--currency", "EUR", "--country", "FR", "--timezone", "Europe/Paris",
                "--from-address", "ar@studio.example", "--payment-instructions", "IBAN FR76 3000 6000 0112 3456",
            ]).status == 0)
        let customers = try duly.write(
            "c.csv",
            "customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email,address_line1,"
                + "postal_code,city\n"
                + "C2,Maison Ours,compta@ours.example,+33 1 23 45 67 89,FR,fr,Europe/Paris,Léa Ours,,"
                + "3 rue des Lilas,69003,Lyon\n")
        try #require(try duly.run(["import", "customers", customers]).status == 0)
        let invoices = try duly.write(
            "i.csv",
            "invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number\n"
                + "F-8,C2,2026-01-10,2026-01-23,EUR,1180.00,net 30,\n")
        try #require(try duly.run(["import", "invoices", invoices]).status == 0)
        let opened = try duly.run([
            "dispute", "open", "F-8", "--reason-code", "quality", "--reason", "two panels", "--amount", "180.00",
            "--as-of", "2026-02-02",
        ])
        #expect(opened.output.contains("EUR 180.00 is not chased"))
        for date in ["2026-02-06", "2026-02-16", "2026-02-23", "2026-03-02", "2026-03-09", "2026-03-16"] {
            #expect(try duly.run(["run", "--as-of", date]).status == 0)
            #expect(try duly.run(["deliver", "--as-of", date]).status == 0)
        }

        // When the collector opens the call script
        let worklist = try duly.run(["worklist", "--as-of", "2026-03-16"])
        let callLine = try #require(worklist.lines.first { $0.contains("call_offer_plan") })
        let callID = try #require(callLine.split(separator: " ").first.map(String.init))
        let script = try duly.run(["worklist", "--script", callID, "--as-of", "2026-03-16"])
        #expect(script.status == 0, "\(script.errors)")
        // Then it speaks of what is asked for, and of the part under review
        #expect(script.output.contains("Nous avons 1\u{202F}000,00\u{A0}EUR restant dû"))
        #expect(!script.output.contains("1\u{202F}180,00"))
        #expect(script.output.contains("180,00\u{A0}EUR de la facture F-8 sont en cours d’examen"))
        #expect(!script.output.contains("portail"))

        // And the approvals queue shows the final notice on the undisputed amount, the disputed part beside it
        let approvals = try duly.run(["approvals", "--as-of", "2026-03-16"])
        #expect(approvals.output.contains("final_notice for C2"), "\(approvals.output)")
        #expect(approvals.output.contains("F-8: EUR 1000.00 open"))
        #expect(approvals.output.contains("(EUR 180.00 under dispute, not chased)"))
        let json = try duly.run(["approvals", "--json", "--as-of", "2026-03-16"])
        let first = try #require(json.lines.first)
        let line = try #require(JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        let invoice = try #require((line["invoices"] as? [[String: Any]])?.first)
        #expect(invoice["open"] as? String == "1000.00")
        #expect(invoice["disputed"] as? String == "180.00")
    }

    @Test func aGermanOrganisationsManagerReadsTheNoteInGermanAboutAFrenchClient() throws {
        // Given a German organisation (its language by default: de) chasing a French client into non_payment
        let duly = try DulyProcess()
        let initialised = try duly.run([
            "init", "--name", "Studio", "--currency", "EUR", "--country", "DE", "--timezone", "Europe/Berlin",
            "--from-address", "ar@studio.example", "--reply-to", "team@studio.example",
        ])
        try #require(initialised.status == 0)
        let customers = try duly.write(
            "c.csv",
            "customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email\n"
                + "C2,Maison Ours,compta@ours.example,+33 1 23 45 67 89,FR,fr,Europe/Paris,Léa Ours,\n")
        try #require(try duly.run(["import", "customers", customers]).status == 0)
        let invoices = try duly.write(
            "i.csv",
            "invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number\n"
                + "F-8,C2,2026-01-10,2026-01-23,EUR,1180.00,net 30,\n")
        try #require(try duly.run(["import", "invoices", invoices]).status == 0)
        for date in ["2026-02-06", "2026-02-16", "2026-02-23", "2026-03-02", "2026-03-09"] {
            #expect(try duly.run(["run", "--as-of", date]).status == 0)
            #expect(try duly.run(["deliver", "--as-of", date]).status == 0)
        }
        // When the manager's note goes out, it is in German; the client's messages stay French
        let folder = duly.folder.appendingPathComponent("outbox")
        let messages = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map {
            Self.decodingQuotedPrintable(Array(try Data(contentsOf: folder.appendingPathComponent($0))))
        }
        let note = try #require(
            messages.first { message in
                message.components(separatedBy: "\r\n").contains { $0.hasPrefix("To: ") && $0.contains("team@studio") }
            })
        #expect(note.contains("Interne Notiz, wird nicht an den Kunden gesendet."))
        #expect(!note.contains("Note interne"))
        #expect(messages.contains { $0.contains("Bonjour Léa Ours,") })
    }

    @Test func theFrenchFormalNoticeDemandsTheUndisputedRestWithItsInterestAndNoInvitationToDispute() throws {
        // Given Odd Co (FR) chasing F-7 (1,180.00, due 23 January) of which the client disputed 180.00 on
        // 2 February, with a playbook that sends the final notice by email so that it lands in the outbox
        let duly = try DulyProcess()
        let playbook = try duly.run(["playbook", "show"], database: false).output
            .replacingOccurrences(
                of: "  - id: final_notice\n    stage: non_payment\n    offset_days: 7\n    anchor: stage_entry\n"
                    + "    channel: letter",
                with: "  - id: final_notice\n    stage: non_payment\n    offset_days: 7\n    anchor: stage_entry\n"
                    + "    channel: email")
        try #require(playbook.contains("channel: email\n    requires_approval: true"))
        let playbookFile = try duly.write("playbook.yaml", playbook)
        try #require(
            try duly.run([
                "init", "--name", "Odd Co", "--currency", "EUR", "--country", "FR", "--timezone", "Europe/Paris",
                "--from-address", "ar@odd.example", "--payment-instructions", "IBAN FR76 3000 6000 0112 3456",
            ]).status == 0)
        let customers = try duly.write(
            "c.csv",
            "customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email\n"
                + "C2,Maison Ours,compta@ours.example,,FR,fr,Europe/Paris,Léa Ours,\n")
        try #require(try duly.run(["import", "customers", customers]).status == 0)
        let invoices = try duly.write(
            "i.csv",
            "invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number\n"
                + "F-7,C2,2026-01-10,2026-01-23,EUR,1180.00,net 30,\n")
        try #require(try duly.run(["import", "invoices", invoices]).status == 0)
        try #require(
            try duly.run([
                "dispute", "open", "F-7", "--reason-code", "quality", "--reason", "two panels", "--amount", "180.00",
                "--as-of", "2026-02-02",
            ]).status == 0)
        try #require(try duly.run(["playbook", "adopt", playbookFile]).status == 0)
        for date in ["2026-02-06", "2026-02-16", "2026-02-23", "2026-03-02", "2026-03-09", "2026-03-16"] {
            #expect(try duly.run(["run", "--as-of", date]).status == 0)
            #expect(try duly.run(["deliver", "--as-of", date]).status == 0)
        }

        // When the notice is approved and sent
        let approvals = try duly.run(["approvals", "--as-of", "2026-03-16"])
        let action = try #require(
            approvals.lines.first { $0.contains("final_notice for C2") }?.split(separator: " ").dropFirst().first?
                .dropLast())
        #expect(try duly.run(["approve", String(action), "--by", "mia", "--as-of", "2026-03-16"]).status == 0)
        #expect(try duly.run(["deliver", "--as-of", "2026-03-16"]).output.contains("1 sent"))

        // Then it demands 1 000,00 EUR, says the 180,00 EUR are under review, claims interest on 1 000,00 EUR only
        // (12,15 % for 52 days: 17,31 EUR), and does not invite a dispute the client already raised
        let folder = duly.folder.appendingPathComponent("outbox")
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).first {
                $0.hasSuffix("-\(action.dropFirst("act_".count)).eml")
            })
        let notice = Self.decodingQuotedPrintable(Array(try Data(contentsOf: folder.appendingPathComponent(name))))
        #expect(
            notice.contains("F-7 du 10 janvier 2026, échéance le 23 janvier 2026\u{202F}: 1\u{202F}000,00\u{A0}EUR"))
        #expect(!notice.contains("1\u{202F}180,00"))
        #expect(notice.contains("180,00\u{A0}EUR de la facture F-7 sont en cours d’examen"))
        #expect(notice.contains("En application de l’article L441-10 du Code de commerce"))
        #expect(notice.contains("17,31\u{A0}EUR"))
        #expect(!notice.contains("Si vous contestez"))
        // And `duly interest` works on the same 1 000,00 and says why
        let interest = try duly.run(["interest", "F-7", "--as-of", "2026-03-16"])
        #expect(interest.status == 0, "\(interest.errors)")
        #expect(interest.output.contains("Note: EUR 180.00 under an open dispute on 2026-03-16 is not claimed"))
        // And the first reminder's subject spoke of Odd Co with French elision (an encoded word: `_` is a space)
        let first = try #require(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().first)
        let reminder = Self.decodingQuotedPrintable(Array(try Data(contentsOf: folder.appendingPathComponent(first))))
        #expect(reminder.contains("un_petit_rappel_d’Odd_Co"))
        #expect(!reminder.contains("de_Odd") && !reminder.contains("de Odd"))
    }
}
