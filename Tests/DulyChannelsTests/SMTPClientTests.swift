import Foundation
import NIOSSL
import Synchronization
import Testing

@testable import DulyChannels

/// The client against a real SMTP server (aiosmtpd) on loopback; one server process per test.
@Suite(.serialized) struct SMTPClientTests {
    private struct Refused: Error, Equatable {}

    private func client(
        _ server: SMTPTestServer, _ url: String? = nil, _ adjust: (inout SMTPConfiguration) -> Void = { _ in }
    )
        throws -> SMTPClient
    {
        var configuration = try SMTPConfiguration(url: url ?? "smtp://127.0.0.1:\(server.port)?starttls=never")
        configuration.replyTimeout = .seconds(20)
        adjust(&configuration)
        return SMTPClient(configuration: configuration)
    }

    /// The text Python decodes from our text body: LF line endings, ending with a line break.
    private func decodedText(_ text: String) -> String {
        text.hasSuffix("\n") ? text : text + "\n"
    }

    @Test func messageArrivesByteForByteAndDecodesToWhatWasSent() async throws {
        try await withSMTPServer { server in
            // Given a reminder with non-ASCII headers, a dot-led line, HTML and two attachments
            let message = sampleReminder()

            // When it is sent to a server that offers 8BITMIME
            let receipt = try await client(server).send(message)

            // Then the server holds exactly the bytes MIMEWriter writes, sent as 8bit
            #expect(receipt.reply.code == 250)
            #expect(receipt.usedEightBitMIME)
            let received = try #require(try server.received().only)
            #expect(received.raw == (try MIMEWriter.render(message, allowEightBit: true)))
            #expect(received.mailFrom == "ar@mueller.example")
            #expect(received.rcptTos == ["anna@client.example"])
            #expect(received.mailOptions.contains("BODY=8BITMIME"))

            // And Python's email package reads back every field
            let parsed = received.parsed
            #expect(parsed.defects.isEmpty)
            #expect(parsed.contentType == "multipart/mixed")
            #expect(parsed.header("Subject") == message.subject)
            #expect(parsed.header("From") == "Müller & Söhne GmbH – Buchhaltung <ar@mueller.example>")
            #expect(parsed.header("To") == "\"Anna \\\"Ann\\\" Schmidt, CFO\" <anna@client.example>")
            #expect(parsed.header("Reply-To") == "Collections <collections+case-42@mueller.example>")
            #expect(parsed.header("Message-ID") == "<r2.INV-42@ar.example.com>")
            #expect(parsed.header("In-Reply-To") == "<r1.INV-42@ar.example.com>")
            #expect(parsed.header("References") == "<r1.INV-42@ar.example.com>")
            #expect(parsed.header("Auto-Submitted") == "auto-generated")
            // Python rewrites the date ("09 Mar"), so the raw comparison above is what checks it.
            #expect(parsed.parts.map(\.contentType) == ["text/plain", "text/html", "application/pdf", "text/html"])
            #expect(parsed.parts[0].text == decodedText(message.textBody))
            #expect(parsed.parts[0].text?.contains("\n.hidden line that SMTP must dot-stuff\n.\n") == true)
            #expect(parsed.parts[0].transferEncoding == "8bit")
            #expect(parsed.parts[1].text == message.htmlBody)
            #expect(parsed.parts[2].filename == "INV-42.pdf")
            #expect(parsed.parts[2].payload == message.attachments[0].bytes)
            #expect(parsed.parts[3].filename == "Mahnung für INV-42.html")
            #expect(parsed.parts[3].payload == message.attachments[1].bytes)
        }
    }

    @Test func textIsQuotedPrintableWhenTheServerLacks8BITMIME() async throws {
        try await withSMTPServer(["--no-8bitmime"]) { server in
            let message = sampleReminder()
            let receipt = try await client(server).send(message)
            #expect(!receipt.usedEightBitMIME)
            let received = try #require(try server.received().only)
            #expect(received.raw == (try MIMEWriter.render(message, allowEightBit: false)))
            #expect(!received.mailOptions.contains("BODY=8BITMIME"))
            #expect(received.parsed.parts[0].transferEncoding == "quoted-printable")
            #expect(received.parsed.parts[0].text == decodedText(message.textBody))
            #expect(received.parsed.parts[1].text == message.htmlBody)
        }
    }

    @Test func eightBitContentIsRefusedWhenTheServerCannotTakeIt() async throws {
        try await withSMTPServer(["--no-8bitmime"]) { server in
            let bytes = try MIMEWriter.render(sampleReminder(), allowEightBit: true)
            await #expect(throws: SMTPConfigurationError.eightBitNotSupported) {
                try await client(server).send(content: bytes, envelope: SMTPEnvelope(for: sampleReminder()))
            }
            let stored = try server.received()
            #expect(stored.isEmpty)
        }
    }

    @Test(arguments: [
        "Zahlungserinnerung für Rechnung INV-42 – bitte prüfen",
        String(repeating: "Erinnerung 😀 请付款 Überfällig — ", count: 5),
        "ASCII but with =?UTF-8?Q?look-alike?= words",
        "  leading and   inner   spaces and a trailing one ",
        String(repeating: "A plain ASCII subject that is long enough to need folding ", count: 3),
    ])
    func subjectsRoundTrip(_ subject: String) async throws {
        try await withSMTPServer { server in
            var message = sampleReminder(subject: subject)
            message.attachments = []
            _ = try await client(server).send(message)
            let received = try #require(try server.received().only)
            #expect(received.parsed.header("Subject") == subject)
            #expect(received.parsed.defects.isEmpty)
        }
    }

    @Test func dotStuffingSurvivesForRawContentToo() async throws {
        try await withSMTPServer { server in
            // Bare LF line endings and lines of dots, the shapes that break naive DATA writers.
            let content = Array("Subject: dots\n\n.\n..\n.leading\nlast line without newline".utf8)
            let envelope = SMTPEnvelope(sender: "a@b.example", recipients: ["c@d.example"])
            _ = try await client(server).send(content: content, envelope: envelope)
            let received = try #require(try server.received().only)
            #expect(
                received.raw == Array("Subject: dots\r\n\r\n.\r\n..\r\n.leading\r\nlast line without newline\r\n".utf8))
        }
    }

    @Test func threadedRemindersCarryTheirParentsIDs() async throws {
        try await withSMTPServer { server in
            // EM-1 then EM-2: r2 answers r1, r3 answers r2.
            var r1 = sampleReminder()
            r1.messageID = "<r1.INV-42@ar.example.com>"
            r1.threadHeaders = .none
            var r2 = r1
            r2.messageID = "<r2.INV-42@ar.example.com>"
            r2.thread(under: r1)
            var r3 = r1
            r3.messageID = "<r3.INV-42@ar.example.com>"
            r3.thread(under: r2)
            let smtp = try client(server)
            for message in [r1, r2, r3] { _ = try await smtp.send(message) }
            let parsed = try server.received().map(\.parsed)
            #expect(parsed.count == 3)
            #expect(parsed[0].header("In-Reply-To") == nil)
            #expect(parsed[0].header("References") == nil)
            #expect(parsed[1].header("In-Reply-To") == "<r1.INV-42@ar.example.com>")
            #expect(parsed[1].header("References") == "<r1.INV-42@ar.example.com>")
            #expect(parsed[2].header("In-Reply-To") == "<r2.INV-42@ar.example.com>")
            #expect(parsed[2].header("References") == "<r1.INV-42@ar.example.com> <r2.INV-42@ar.example.com>")
        }
    }

    // MARK: - Authentication and TLS

    @Test(arguments: [SMTPConfiguration.AuthMechanism.plain, .login])
    func authenticatesWithEachMechanism(_ mechanism: SMTPConfiguration.AuthMechanism) async throws {
        try await withSMTPServer(["--auth", "ar@acme.example:pä ss:w@rd", "--auth-mechanisms", mechanism.rawValue]) {
            server in
            let url = "smtp://ar%40acme.example:p%C3%A4%20ss%3Aw%40rd@127.0.0.1:\(server.port)?starttls=never"
            _ = try await client(server, url).send(sampleReminder())
            let received = try #require(try server.received().only)
            #expect(received.authenticated)
            #expect(received.authUser == "ar@acme.example")
        }
    }

    @Test func aRefusedPasswordIsAConfigurationErrorNotTheMessages() async throws {
        try await withSMTPServer(["--auth", "u:right"]) { server in
            await #expect {
                try await client(server, "smtp://u:wrong@127.0.0.1:\(server.port)?starttls=never").send(
                    sampleReminder())
            } throws: { error in
                guard
                    case .authenticationRefused("127.0.0.1", server.port, let reply) = error as? SMTPConfigurationError
                else { return false }
                return reply.hasPrefix("535 ") && !reply.contains("\n")
            }
            let stored = try server.received()
            #expect(stored.isEmpty)
        }
    }

    @Test func upgradesWithSTARTTLSAndVerifiesTheCertificate() async throws {
        try await withSMTPServer(["--starttls", "--auth", "u:p"]) { server in
            let url = "smtp://u:p@localhost:\(server.port)?starttls=required"
            let smtp = try client(server, url) { configuration in
                configuration.tls.trustRoots = .file(server.certificatePath!)
            }
            let receipt = try await smtp.send(sampleReminder())
            #expect(receipt.usedTLS)
            let received = try #require(try server.received().only)
            #expect(received.tls)
            #expect(received.authenticated)
        }
    }

    @Test func anUntrustedCertificateIsAConfigurationError() async throws {
        try await withSMTPServer(["--starttls"]) { server in
            await #expect {
                try await client(server, "smtp://localhost:\(server.port)?starttls=required").send(sampleReminder())
            } throws: { error in
                guard case .tlsRefused("localhost", server.port, _) = error as? SMTPConfigurationError else {
                    return false
                }
                return true
            }
            let stored = try server.received()
            #expect(stored.isEmpty)
        }
    }

    @Test func implicitTLSWorksWithVerificationTurnedOff() async throws {
        try await withSMTPServer(["--implicit-tls"]) { server in
            let smtp = try client(server, "smtps://127.0.0.1:\(server.port)") { $0.tls.certificateVerification = .none }
            let receipt = try await smtp.send(sampleReminder())
            #expect(receipt.usedTLS)
            #expect(try server.received().only?.tls == true)
        }
    }

    @Test func requiredSTARTTLSIsNotSilentlyDropped() async throws {
        try await withSMTPServer { server in
            await #expect(throws: SMTPConfigurationError.startTLSNotOffered(host: "127.0.0.1", port: server.port)) {
                try await client(server, "smtp://127.0.0.1:\(server.port)?starttls=required").send(sampleReminder())
            }
            let stored = try server.received()
            #expect(stored.isEmpty)
        }
    }

    @Test func passwordIsNeverSentInTheClear() async throws {
        try await withSMTPServer(["--auth", "u:p"]) { server in
            await #expect(throws: SMTPConfigurationError.authenticationNeedsTLS(host: "127.0.0.1", port: server.port)) {
                let url = "smtp://u:p@127.0.0.1:\(server.port)?starttls=opportunistic"
                try await client(server, url).send(sampleReminder())
            }
        }
    }

    // MARK: - Failures

    @Test func temporaryRecipientFailureIsTransientAndARetrySucceeds() async throws {
        try await withSMTPServer { server in
            var message = sampleReminder()
            message.to = [Mailbox(address: "ok@client.example"), Mailbox(address: "tempfail@client.example")]
            let smtp = try client(server)
            await #expect {
                try await smtp.send(message)
            } throws: { error in
                guard let error = error as? SMTPError, case .recipientRefused(let address, let inner) = error,
                    case .transient(451, let text) = inner
                else { return false }
                return address == "tempfail@client.example" && text.hasPrefix("4.3.0") && error.isTransient
            }
            // All or nothing: the recipient that was accepted did not get a copy either.
            let stored = try server.received()
            #expect(stored.isEmpty)
            _ = try await smtp.send(message)
            #expect(try server.received().only?.rcptTos == ["ok@client.example", "tempfail@client.example"])
        }
    }

    @Test func unknownRecipientIsAPermanentFailureWithItsEnhancedCode() async throws {
        try await withSMTPServer { server in
            var message = sampleReminder()
            message.to = [Mailbox(address: "bounce@client.example")]
            await #expect {
                try await client(server).send(message)
            } throws: { error in
                guard let error = error as? SMTPError, case .recipientRefused(_, .permanent(550, _)) = error else {
                    return false
                }
                return error.enhancedStatusCode == "5.1.1" && error.refusedRecipient == "bounce@client.example"
                    && !error.isTransient
            }
            let stored = try server.received()
            #expect(stored.isEmpty)
        }
    }

    // MARK: - Internationalised addresses (RFC 6530-6532)

    @Test func anInternationalisedDomainGoesAsPunycodeWithoutSMTPUTF8() async throws {
        try await withSMTPServer { server in
            var message = sampleReminder()
            message.to = [Mailbox(name: "Maison Lefèvre", address: "accounts@maisonlefèvre.example")]
            _ = try await client(server).send(message)
            let received = try #require(try server.received().only)
            #expect(received.rcptTos == ["accounts@xn--maisonlefvre-5db.example"])
            #expect(!received.smtpUtf8)
            #expect(received.parsed.header("To") == "Maison Lefèvre <accounts@xn--maisonlefvre-5db.example>")
        }
    }

    @Test func aNonASCIILocalPartGoesWithSMTPUTF8WhenTheServerOffersIt() async throws {
        try await withSMTPServer(["--smtputf8"]) { server in
            var message = sampleReminder()
            message.to = [Mailbox(name: "Jörg", address: "jörg@café-müller.example")]
            _ = try await client(server).send(message)
            let received = try #require(try server.received().only)
            #expect(received.smtpUtf8)
            #expect(received.mailOptions.contains("SMTPUTF8"))
            #expect(received.rcptTos == ["jörg@xn--caf-mller-d4a5s.example"])
            // RFC 6532: the header carries the address in UTF-8 as it is.
            #expect(received.parsed.header("To") == "Jörg <jörg@xn--caf-mller-d4a5s.example>")
            #expect(received.parsed.defects.isEmpty)
        }
    }

    @Test func aNonASCIILocalPartFailsForGoodWhenTheServerLacksSMTPUTF8() async throws {
        try await withSMTPServer { server in
            var message = sampleReminder()
            message.to = [Mailbox(address: "jörg@café-müller.example")]
            await #expect(throws: SMTPError.smtpUTF8NotOffered("jörg@xn--caf-mller-d4a5s.example")) {
                try await client(server).send(message)
            }
            #expect(!SMTPError.smtpUTF8NotOffered("x").isTransient)
            let stored = try server.received()
            #expect(stored.isEmpty)
        }
    }

    @Test func nothingListeningOnTheConfiguredPortIsAConfigurationError() async throws {
        let server = try await SMTPTestServer.start()
        let port = server.port
        await server.stop()
        let smtp = SMTPClient(configuration: try SMTPConfiguration(url: "smtp://127.0.0.1:\(port)?starttls=never"))
        await #expect(throws: SMTPConfigurationError.connectionRefused(host: "127.0.0.1", port: port)) {
            try await smtp.send(sampleReminder())
        }
    }

    @Test func aHostThatDoesNotResolveIsAConfigurationError() async throws {
        // RFC 6761: .invalid never resolves, here or anywhere.
        let smtp = SMTPClient(configuration: try SMTPConfiguration(url: "smtp://mail.duly-test.invalid:587"))
        await #expect(throws: SMTPConfigurationError.unknownHost("mail.duly-test.invalid")) {
            try await smtp.send(sampleReminder())
        }
    }

    @Test func configurationErrorsSayWhatToChangeOnOneLine() {
        let errors: [SMTPConfigurationError] = [
            .startTLSNotOffered(host: "smtp.example.com", port: 587),
            .authenticationNeedsTLS(host: "smtp.example.com", port: 587),
            .noSupportedAuthMechanism(host: "smtp.example.com", port: 587, offered: ["CRAM-MD5"]),
            .authenticationRefused(host: "smtp.example.com", port: 587, reply: "535 5.7.8 bad credentials"),
            .unknownHost("smtp.exmaple.com"), .connectionRefused(host: "smtp.example.com", port: 2525),
            .tlsRefused(host: "smtp.example.com", port: 465, reason: "certificate verify failed"),
            .serverRefused(host: "smtp.example.com", port: 25, reply: "554 5.7.1 go away"),
        ]
        for error in errors {
            #expect(!error.description.contains("\n"))
            #expect(error.description.contains("smtp.e"), "\(error) names the server")
            #expect(error.description.contains(": "), "\(error) says what to change")
        }
        #expect(
            SMTPConfigurationError.startTLSNotOffered(host: "smtp.example.com", port: 587).description
                == "smtp.example.com:587 does not offer STARTTLS: use smtps:// on port 465, or "
                + "?starttls=opportunistic if you accept plain text")
    }

    @Test func silentServerTimesOut() async throws {
        try await withSMTPServer(["--mute"]) { server in
            let smtp = try client(server) { $0.replyTimeout = .milliseconds(300) }
            await #expect(throws: SMTPError.connection("timed out waiting for the greeting")) {
                try await smtp.send(sampleReminder())
            }
        }
    }

    // MARK: - The commit hook

    @Test func throwingBeforeCommitLeavesNothingOnTheServer() async throws {
        try await withSMTPServer { server in
            let smtp = try client(server)
            let calls = Mutex(0)
            await #expect(throws: Refused()) {
                try await smtp.send(sampleReminder()) {
                    calls.withLock { $0 += 1 }
                    throw Refused()
                }
            }
            #expect(calls.withLock { $0 } == 1)
            // The next message goes through and is the only one stored: the aborted one never was.
            var next = sampleReminder()
            next.messageID = "<next@ar.example.com>"
            _ = try await smtp.send(next)
            #expect(try server.received().map { $0.parsed.header("Message-ID") } == ["<next@ar.example.com>"])
        }
    }

    @Test func beforeCommitRunsOnceAfterTheBodyAndBeforeTheServerHasTheMessage() async throws {
        try await withSMTPServer { server in
            let storedBeforeCommit = Mutex<[Int]>([])
            _ = try await client(server).send(sampleReminder()) {
                let count = try server.received().count
                storedBeforeCommit.withLock { $0.append(count) }
            }
            #expect(storedBeforeCommit.withLock { $0 } == [0])
            let stored = try server.received()
            #expect(stored.count == 1)
        }
    }

    @Test func theReadyHookRunsOnceAfterAuthenticationAndBeforeTheTransaction() async throws {
        try await withSMTPServer(["--auth", "u:p"]) { server in
            let smtp = try client(server, "smtp://u:p@127.0.0.1:\(server.port)?starttls=never")
            let message = sampleReminder()
            let calls = Mutex(0)
            let committed = Mutex(0)
            _ = try await smtp.send(
                content: try MIMEWriter.render(message), envelope: SMTPEnvelope(for: message),
                beforeTransaction: { calls.withLock { $0 += 1 } }, beforeCommit: { committed.withLock { $0 += 1 } })
            #expect(calls.withLock { $0 } == 1)
            #expect(committed.withLock { $0 } == 1)
            #expect(try server.received().only?.authenticated == true)
        }
    }

    @Test func theReadyHookIsNotCalledWhenTheServerCannotBeUsedAsConfigured() async throws {
        try await withSMTPServer(["--auth", "u:right"]) { server in
            let message = sampleReminder()
            let calls = Mutex(0)
            for url in [
                "smtp://u:wrong@127.0.0.1:\(server.port)?starttls=never",
                "smtp://127.0.0.1:\(server.port)?starttls=required",
            ] {
                await #expect(throws: SMTPConfigurationError.self) {
                    try await client(server, url).send(
                        content: try MIMEWriter.render(message), envelope: SMTPEnvelope(for: message),
                        beforeTransaction: { calls.withLock { $0 += 1 } })
                }
            }
            #expect(calls.withLock { $0 } == 0)
        }
    }

    @Test func aThrowingReadyHookSendsNothingAndItsErrorComesBackAsIs() async throws {
        try await withSMTPServer { server in
            let message = sampleReminder()
            await #expect(throws: Refused()) {
                try await client(server).send(
                    content: try MIMEWriter.render(message), envelope: SMTPEnvelope(for: message),
                    beforeTransaction: { throw Refused() })
            }
            let stored = try server.received()
            #expect(stored.isEmpty)
        }
    }

    @Test func hookIsNotCalledWhenTheTransactionFailsEarlier() async throws {
        try await withSMTPServer { server in
            var message = sampleReminder()
            message.to = [Mailbox(address: "bounce@client.example")]
            let calls = Mutex(0)
            await #expect(throws: SMTPError.self) {
                try await client(server).send(message) { calls.withLock { $0 += 1 } }
            }
            #expect(calls.withLock { $0 } == 0)
        }
    }

    @Test func lostReplyAfterCommitIsAConnectionFailureAndTheMessageMayHaveArrived() async throws {
        try await withSMTPServer { server in
            var message = sampleReminder()
            message.to = [Mailbox(address: "dropafter@client.example")]
            let calls = Mutex(0)
            await #expect {
                try await client(server).send(message) { calls.withLock { $0 += 1 } }
            } throws: { error in
                guard case .connection = error as? SMTPError else { return false }
                return true
            }
            // This is the one uncertain window, and the deliverer's commit record covers it.
            #expect(calls.withLock { $0 } == 1)
            let stored = try server.received()
            #expect(stored.count == 1)
        }
    }

    @Test func unsafeMessageIsRefusedBeforeConnecting() async throws {
        // Port 9 (discard) has no listener here; refusing before connecting means MIMEError, not .connection.
        let smtp = SMTPClient(configuration: try SMTPConfiguration(url: "smtp://127.0.0.1:9?starttls=never"))
        var message = sampleReminder()
        message.subject = "Reminder\r\nBcc: everyone@victim.example"
        await #expect(throws: MIMEError.headerInjection(field: "Subject")) { try await smtp.send(message) }
    }
}

extension Array {
    /// The single element, or nil when there are none or several.
    fileprivate var only: Element? { count == 1 ? first : nil }
}
