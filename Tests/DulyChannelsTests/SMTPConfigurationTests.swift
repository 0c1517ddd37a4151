import Testing

@testable import DulyChannels

@Suite struct SMTPConfigurationTests {
    @Test func submissionURLWithCredentialsRequiresSTARTTLS() throws {
        let configuration = try SMTPConfiguration(url: "smtp://ar%40acme.example:p%C3%A4ss%3Aw%2Frd@mail.acme.example")
        #expect(configuration.host == "mail.acme.example")
        #expect(configuration.port == 587)
        #expect(configuration.security == .startTLSRequired)
        #expect(configuration.username == "ar@acme.example")
        #expect(configuration.password == "päss:w/rd")
    }

    @Test(arguments: [
        ("smtp://h:25?starttls=required", SMTPConfiguration.Security.startTLSRequired, 25),
        ("smtp://h:2525?starttls=opportunistic", .startTLSOpportunistic, 2525),
        ("SMTP://h:25?starttls=never", .plaintext, 25),
        ("smtps://h", .implicitTLS, 465),
        ("smtps://u:p@h:4650/", .implicitTLS, 4650),
        ("smtp://[::1]:25?starttls=never", .plaintext, 25),
    ])
    func securityAndPortComeFromTheURL(url: String, security: SMTPConfiguration.Security, port: Int) throws {
        let configuration = try SMTPConfiguration(url: url)
        #expect(configuration.security == security)
        #expect(configuration.port == port)
    }

    @Test func ipv6HostLosesItsBrackets() throws {
        #expect(try SMTPConfiguration(url: "smtp://[::1]:25").host == "::1")
    }

    @Test func ehloNameIsAParameter() throws {
        #expect(try SMTPConfiguration(url: "smtp://h?ehlo=duly.acme.example").ehloName == "duly.acme.example")
    }

    @Test(arguments: [
        "http://h", "smtp://", "smtp://h:0", "smtp://h:99999", "smtp://h:x", "smtp://h?starttls=maybe",
        "smtps://h?starttls=required", "smtp://h?tls=on", "smtp://u:p%zz@h", "smtp://h/path", "smtp://:p@h",
        "smtp://h?ehlo=bad%20name",
    ])
    func malformedURLsAreRefused(_ url: String) {
        #expect {
            try SMTPConfiguration(url: url)
        } throws: { error in
            guard case .invalidURL = error as? SMTPConfigurationError else { return false }
            return true
        }
    }

    @Test func serverNameIsOmittedForIPAddresses() {
        #expect(SMTPClient.serverName("127.0.0.1") == nil)
        #expect(SMTPClient.serverName("::1") == nil)
        #expect(SMTPClient.serverName("mail.acme.example") == "mail.acme.example")
    }

    @Test func errorsSayWhetherToRetryAndWhomToBlame() {
        let bounce = SMTPError.recipientRefused("x@y.example", .permanent(550, "5.1.1 <x@y.example>: unknown"))
        #expect(!bounce.isTransient)
        #expect(bounce.code == 550)
        #expect(bounce.enhancedStatusCode == "5.1.1")
        #expect(bounce.refusedRecipient == "x@y.example")
        #expect(SMTPError.transient(451, "4.3.0 later").isTransient)
        #expect(SMTPError.connection("refused").isTransient)
        #expect(SMTPError.permanent(554, "no enhanced code").enhancedStatusCode == nil)
        #expect(SMTPError.permanent(554, "4.1.1 wrong class").enhancedStatusCode == nil)
    }
}
