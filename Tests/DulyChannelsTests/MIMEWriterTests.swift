import Testing

@testable import DulyChannels

/// A reminder with everything a real one has: threading, Reply-To, an HTML alternative, a PDF and an HTML letter.
func sampleReminder(
    subject: String = "Zahlungserinnerung für Rechnung INV-42 – bitte prüfen",
    text: String? = nil
) -> EmailMessage {
    var message = EmailMessage(
        from: Mailbox(name: "Müller & Söhne GmbH – Buchhaltung", address: "ar@mueller.example"),
        to: [Mailbox(name: "Anna \"Ann\" Schmidt, CFO", address: "anna@client.example")],
        replyTo: Mailbox(name: "Collections", address: "collections+case-42@mueller.example"),
        subject: subject,
        textBody: text
            ?? """
            Guten Tag Frau Schmidt,

            die Rechnung INV-42 über 1.250,00 € ist seit 14 Tagen fällig.
            .hidden line that SMTP must dot-stuff
            .
            = signs, trailing spaces   \n\
            A very long line that goes on and on so that quoted-printable has to break it with soft line breaks, \
            well beyond seventy-six characters, to see that the decoder joins it again — ja, wirklich.
            Mit freundlichen Grüßen
            """,
        htmlBody: "<p>Guten Tag Frau Schmidt,</p>\n<p>die Rechnung <b>INV-42</b> ist fällig.</p>\n",
        attachments: [
            Attachment(filename: "INV-42.pdf", contentType: "application/pdf", bytes: Array(0...255) + Array(0...99)),
            Attachment(
                filename: "Mahnung für INV-42.html", contentType: "text/html", bytes: Array("<h1>Brief</h1>".utf8)),
        ],
        messageID: "<r2.INV-42@ar.example.com>",
        extraHeaders: [(name: "Auto-Submitted", value: "auto-generated")],
        date: "Mon, 9 Mar 2026 09:30:00 +0100"
    )
    message.thread(underID: "<r1.INV-42@ar.example.com>", parentReferences: [])
    return message
}

/// The header block of rendered bytes, as lines.
func headerLines(_ bytes: [UInt8]) -> [String] {
    let text = String(decoding: bytes, as: UTF8.self)
    let head = text.components(separatedBy: "\r\n\r\n")[0]
    return head.components(separatedBy: "\r\n")
}

@Suite struct MIMEWriterTests {
    @Test func renderingIsDeterministicAndUsesCRLFOnly() throws {
        let message = sampleReminder()
        let first = try MIMEWriter.render(message)
        #expect(first == (try MIMEWriter.render(message)))
        for (index, byte) in first.enumerated() where byte == 10 {
            #expect(index > 0 && first[index - 1] == 13, "bare LF at \(index)")
        }
        for (index, byte) in first.enumerated() where byte == 13 {
            #expect(index + 1 < first.count && first[index + 1] == 10, "bare CR at \(index)")
        }
        #expect(first.suffix(2) == [13, 10])
    }

    @Test func quotedPrintableOutputIsSevenBitWithShortLines() throws {
        let bytes = try MIMEWriter.render(sampleReminder())
        #expect(bytes.allSatisfy { $0 < 128 })
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        for line in lines { #expect(line.utf8.count <= 78, "too long: \(line)") }
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("Content-Transfer-Encoding: quoted-printable"))
        #expect(text.contains("=3D signs, trailing spaces  =20\r\n"))
        #expect(text.contains("f=C3=A4llig"))
    }

    @Test func eightBitKeepsUTF8TextAsIs() throws {
        let bytes = try MIMEWriter.render(sampleReminder(), allowEightBit: true)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("Content-Transfer-Encoding: 8bit"))
        #expect(text.contains("die Rechnung INV-42 über 1.250,00 € ist seit 14 Tagen fällig.\r\n"))
    }

    @Test func asciiTextIsSevenBit() throws {
        var message = sampleReminder(subject: "Invoice INV-42", text: "Hello,\nplease pay.\n")
        message.htmlBody = nil
        message.attachments = []
        let text = String(decoding: try MIMEWriter.render(message), as: UTF8.self)
        #expect(text.contains("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"))
        #expect(text.hasSuffix("\r\n\r\nHello,\r\nplease pay.\r\n"))
        #expect(text.contains("Subject: Invoice INV-42\r\n"))
    }

    @Test func headersCarryThreadingReplyToAndAutoSubmitted() throws {
        let lines = headerLines(try MIMEWriter.render(sampleReminder()))
        #expect(lines.first == "Date: Mon, 9 Mar 2026 09:30:00 +0100")
        #expect(lines.contains("Message-ID: <r2.INV-42@ar.example.com>"))
        #expect(lines.contains("In-Reply-To: <r1.INV-42@ar.example.com>"))
        #expect(lines.contains("References: <r1.INV-42@ar.example.com>"))
        #expect(lines.contains("Auto-Submitted: auto-generated"))
        #expect(lines.contains("Reply-To: Collections <collections+case-42@mueller.example>"))
        #expect(lines.contains("To: \"Anna \\\"Ann\\\" Schmidt, CFO\" <anna@client.example>"))
        #expect(lines.contains("MIME-Version: 1.0"))
    }

    @Test func nonASCIISubjectBecomesEncodedWordsFoldedWithinLimits() throws {
        let subject = String(repeating: "Zahlungserinnerung für Rechnung INV-42 😀 请付款 ", count: 4)
        let lines = headerLines(try MIMEWriter.render(sampleReminder(subject: subject)))
        let start = try #require(lines.firstIndex { $0.hasPrefix("Subject: ") })
        var index = start + 1
        while index < lines.count && lines[index].hasPrefix(" ") { index += 1 }
        let subjectLines = lines[start..<index]
        #expect(subjectLines.count > 2)
        for line in subjectLines {
            #expect(line.utf8.count <= 78)
            for word in line.split(separator: " ") where word != "Subject:" {
                #expect(word.hasPrefix("=?UTF-8?") && word.hasSuffix("?=") && word.utf8.count <= 75)
            }
        }
    }

    @Test func longReferencesAreFoldedBetweenIDs() throws {
        var message = sampleReminder()
        message.references = (1...6).map { "<r\($0).INV-42-with-a-long-key@ar.example.com>" }
        let lines = headerLines(try MIMEWriter.render(message))
        let start = try #require(lines.firstIndex { $0.hasPrefix("References: ") })
        #expect(lines[start + 1].hasPrefix(" <r"))
        for line in lines { #expect(line.utf8.count <= 78) }
    }

    @Test func attachmentsAreBase64InSeventySixCharacterLines() throws {
        var message = sampleReminder()
        message.attachments = [
            Attachment(filename: "a.pdf", contentType: "application/pdf", bytes: Array(repeating: 7, count: 1000))
        ]
        let text = String(decoding: try MIMEWriter.render(message), as: UTF8.self)
        #expect(text.contains("Content-Type: multipart/mixed;\r\n boundary=\"=_duly_mix_"))
        #expect(text.contains("Content-Disposition: attachment;\r\n filename=\"a.pdf\""))
        let base64Lines = text.components(separatedBy: "\r\n").filter { $0.hasPrefix("BwcH") }
        #expect(base64Lines.count == 18)  // 1000 bytes are 1336 base64 characters
        #expect(base64Lines.dropLast().allSatisfy { $0.count == 76 })
    }

    @Test func nonASCIIFileNamesUseRFC2231() throws {
        let text = String(decoding: try MIMEWriter.render(sampleReminder()), as: UTF8.self)
        #expect(text.contains("filename*=utf-8''Mahnung%20f%C3%BCr%20INV-42.html"))
    }

    // MARK: - Refusals

    static let injections: [(String, @Sendable (inout EmailMessage) -> Void, MIMEError)] = [
        ("subject", { $0.subject = "Hi\r\nBcc: all@victim.example" }, .headerInjection(field: "Subject")),
        ("subject LF", { $0.subject = "Hi\nBcc: x@y.z" }, .headerInjection(field: "Subject")),
        ("from name", { $0.from.name = "Evil\rBcc: x@y.z" }, .headerInjection(field: "From name")),
        ("to name", { $0.to[0].name = "A\nB" }, .headerInjection(field: "To name")),
        (
            "reply-to address", { $0.replyTo?.address = "a@b.c\r\nBcc: x@y.z" },
            .headerInjection(field: "Reply-To address")
        ),
        ("message id", { $0.messageID = "<a@b>\r\nBcc: x@y.z" }, .headerInjection(field: "Message-ID")),
        ("in-reply-to", { $0.inReplyTo = "<a@b>\nX: y" }, .headerInjection(field: "In-Reply-To")),
        ("references", { $0.references = ["<a@b>", "<c@d>\r\nX: y"] }, .headerInjection(field: "References")),
        ("extra value", { $0.extraHeaders = [("X-Case", "42\r\nBcc: x@y.z")] }, .headerInjection(field: "X-Case")),
        ("date", { $0.date = "Mon, 9 Mar 2026\r\nBcc: x@y.z" }, .headerInjection(field: "Date")),
        (
            "filename", { $0.attachments[0].filename = "a.pdf\r\nX: y" },
            .headerInjection(field: "attachment 1 file name")
        ),
        ("control", { $0.subject = "bell\u{07}" }, .controlCharacter(field: "Subject")),
        ("extra name", { $0.extraHeaders = [("X-Bad Name", "v")] }, .invalidHeaderName("X-Bad Name")),
        ("reserved", { $0.extraHeaders = [("bcc", "x@y.z")] }, .reservedHeader("bcc")),
        ("no recipients", { $0.to = [] }, .noRecipients),
        ("message id form", { $0.messageID = "r1@x" }, .invalidMessageID(field: "Message-ID", value: "r1@x")),
        (
            "content type", { $0.attachments[0].contentType = "pdf" },
            .invalidContentType(field: "attachment 1 content type", value: "pdf")
        ),
    ]

    @Test(arguments: injections.indices)
    func unsafeHeaderFieldsAreRefusedByName(_ index: Int) throws {
        let (_, change, expected) = Self.injections[index]
        var message = sampleReminder()
        change(&message)
        #expect(throws: expected) { try MIMEWriter.render(message) }
        #expect(throws: expected) { try MIMEWriter.validate(message) }
    }

    @Test(arguments: [
        "a@b@c.example", "a b@c.example", "@c.example", "a@", "<a@b.example>", "a@caf☕.example",
        "a..b@c.example", ".a@c.example", "a@-c_d.example", "a@b.example,c@d.example", "a\t@b.example", "",
    ])
    func malformedAddressesAreRefused(_ address: String) {
        var message = sampleReminder()
        message.to[0].address = address
        #expect(throws: MIMEError.invalidAddress(field: "To address", address: address)) {
            try MIMEWriter.render(message)
        }
    }

    @Test func internationalisedAddressesAreWrittenWithTheDomainInPunycode() throws {
        var message = sampleReminder()
        message.to = [Mailbox(address: "accounts@maisonlefèvre.example"), Mailbox(address: "jörg@müller.example")]
        let text = String(decoding: try MIMEWriter.render(message), as: UTF8.self)
        // RFC 6532: the local part stays UTF-8 (only an SMTPUTF8 server takes it); the domain is always ASCII.
        #expect(text.contains("To: accounts@xn--maisonlefvre-5db.example, jörg@xn--mller-kva.example\r\n"))
    }

    @Test func anInvalidAddressSaysWhatIsWrong() {
        let error = MIMEError.invalidAddress(field: "To address", address: "a..b@c.example")
        #expect(
            error.description
                == "To address is not a valid address (the local part starts or ends with a dot, or has two dots in a "
                + "row): \"a..b@c.example\"")
    }

    @Test func controlCharacterInAnAddressIsRefused() {
        var message = sampleReminder()
        message.to[0].address = "a@b.example\u{7F}"
        #expect(throws: MIMEError.controlCharacter(field: "To address")) { try MIMEWriter.render(message) }
    }

    @Test(arguments: ["a@b.example", "first.last+tag@sub.domain.example", "o'brien@x.example", "x@[127.0.0.1]"])
    func ordinaryAddressesAreAccepted(_ address: String) throws {
        var message = sampleReminder()
        message.to[0].address = address
        _ = try MIMEWriter.render(message)
    }

    // MARK: - Threading (docs/DOMAIN.md, E-2)

    @Test func firstReplyReferencesItsParent() {
        // EM-1
        let headers = ThreadHeaders.replying(toID: "<r1.INV-42@ar.example.com>", parentReferences: [])
        #expect(headers.inReplyTo == "<r1.INV-42@ar.example.com>")
        #expect(headers.references == ["<r1.INV-42@ar.example.com>"])
    }

    @Test func laterReplyAppendsParentToItsReferences() {
        // EM-2
        var r2 = sampleReminder()
        r2.messageID = "<r2.INV-42@ar.example.com>"
        r2.threadHeaders = .replying(toID: "<r1.INV-42@ar.example.com>", parentReferences: [])
        var r3 = sampleReminder()
        r3.messageID = "<r3.INV-42@ar.example.com>"
        r3.thread(under: r2)
        #expect(r3.inReplyTo == "<r2.INV-42@ar.example.com>")
        #expect(r3.references == ["<r1.INV-42@ar.example.com>", "<r2.INV-42@ar.example.com>"])
    }
}
