import DulyCore
import Testing

// Internationalised addresses are valid mail (RFC 6530-6532): the domain goes out as punycode, a non-ASCII local part
// needs SMTPUTF8. Only what no server could deliver is refused.
@Suite("Email addresses")
struct EmailAddressTests {
    // MARK: - Punycode (RFC 3492 section 7.1 sample strings)

    @Test(arguments: [
        (
            "\u{644}\u{64A}\u{647}\u{645}\u{627}\u{628}\u{62A}\u{643}\u{644}\u{645}\u{648}\u{634}\u{639}\u{631}\u{628}\u{64A}\u{61F}",
            "egbpdaj6bu4bxfgehfvwxn"
        ),
        ("\u{4ED6}\u{4EEC}\u{4E3A}\u{4EC0}\u{4E48}\u{4E0D}\u{8BF4}\u{4E2D}\u{6587}", "ihqwcrb4cv8a8dqg056pqjye"),
        ("3\u{5E74}B\u{7D44}\u{91D1}\u{516B}\u{5148}\u{751F}", "3B-ww4c5e180e575a65lsy2b"),
        ("\u{5B89}\u{5BA4}\u{5948}\u{7F8E}\u{6075}-with-SUPER-MONKEYS", "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n"),
        (
            "Hello-Another-Way-\u{305D}\u{308C}\u{305E}\u{308C}\u{306E}\u{5834}\u{6240}",
            "Hello-Another-Way--fc4qua05auwb3674vfr0b"
        ),
        ("\u{3072}\u{3068}\u{3064}\u{5C4B}\u{6839}\u{306E}\u{4E0B}2", "2-u9tlzr9756bt3uc0v"),
        ("\u{305D}\u{306E}\u{30B9}\u{30D4}\u{30FC}\u{30C9}\u{3067}", "d9juau41awczczp"),
        ("-> $1.00 <-", "-> $1.00 <--"),
    ])
    func punycodeMatchesTheRFCSamples(_ unicode: String, _ encoded: String) throws {
        #expect(Punycode.encode(unicode) == encoded)
        #expect(try Punycode.decode(encoded) == unicode)
    }

    @Test func punycodeRefusesADigitOutsideItsAlphabet() {
        #expect(throws: Punycode.DecodingError.invalidDigit) { try Punycode.decode("mnchen-3y!") }
    }

    // MARK: - Domains

    @Test(arguments: [
        ("info@münchen.de", "xn--mnchen-3ya.de"),
        ("accounts@maisonlefèvre.example", "xn--maisonlefvre-5db.example"),
        ("rechnung@café-müller.example", "xn--caf-mller-d4a5s.example"),
        ("a@Bücher.example", "xn--bcher-kva.example"),
        ("ar@acme.example", "acme.example"),
    ])
    func internationalisedDomainsGoOutAsPunycode(_ text: String, _ ascii: String) throws {
        let address = try EmailAddress(parsing: text)
        #expect(address.asciiDomain == ascii)
        #expect(!address.needsSMTPUTF8)
        #expect(address.description == text)
    }

    @Test func asciiDomainsKeepTheirCase() throws {
        #expect(try EmailAddress(parsing: "Ar@Acme.Example").wireForm == "Ar@Acme.Example")
    }

    // MARK: - Local parts

    @Test func aNonASCIILocalPartNeedsSMTPUTF8() throws {
        let address = try EmailAddress(parsing: "jörg@müller.example")
        #expect(address.needsSMTPUTF8)
        #expect(address.wireForm == "jörg@xn--mller-kva.example")
    }

    @Test func dotAtomSpecialsAreAllowedInTheLocalPart() throws {
        #expect(try EmailAddress(parsing: "o'brien+invoices@acme.example").localPart == "o'brien+invoices")
    }

    // MARK: - What no server could deliver

    @Test(arguments: [
        ("", EmailAddressError.empty),
        ("accounts.example.com", .missingAt),
        ("a@b@c.example", .moreThanOneAt),
        ("@acme.example", .emptyLocalPart),
        ("ar@", .emptyDomain),
        ("a r@acme.example", .space),
        ("ar@acme.example\t", .space),
        ("a..b@acme.example", .badDots(part: "local part")),
        (".a@acme.example", .badDots(part: "local part")),
        ("a@acme..example", .badDots(part: "domain")),
        ("a@acme.example.", .badDots(part: "domain")),
        ("<a@acme.example>", .invalidCharacter("<", part: "local part")),
        ("a,b@acme.example", .invalidCharacter(",", part: "local part")),
        ("a@-acme.example", .invalidLabel("-acme", reason: "a label cannot start or end with a hyphen")),
        ("a@ac_me.example", .invalidLabel("ac_me", reason: "'_' is not allowed in a domain")),
        ("a@caf☕.example", .invalidLabel("caf☕", reason: "'☕' is not allowed in a domain")),
        ("a@xn--zz!.example", .invalidLabel("xn--zz!", reason: "'!' is not allowed in a domain")),
    ])
    func undeliverableAddressesAreRefusedWithTheirReason(_ text: String, _ error: EmailAddressError) {
        #expect(throws: error) { try EmailAddress(parsing: text) }
    }

    @Test func aLabelLongerThanSixtyThreeOctetsIsRefused() {
        let label = String(repeating: "a", count: 64)
        #expect(throws: EmailAddressError.invalidLabel(label, reason: "longer than 63 characters in ASCII")) {
            try EmailAddress(parsing: "a@\(label).example")
        }
    }

    // MARK: - Plain ASCII addresses, read in one pass over their bytes

    @Test(arguments: [
        "a@b",
        "o'brien+invoices@acme.example",
        "!#$%&'*+-/=?^_`{|}~@acme.example",
        "first.last@sub.acme-holdings.example",
        "Ar@Acme.Example",
        "a@x-n.example",
        "a@xn.example",
        "a@9.example",
    ])
    func aPlainASCIIAddressIsReadAsWritten(_ text: String) throws {
        let address = try EmailAddress(parsing: text)
        #expect(address.description == text)
        #expect(address.wireForm == text)
        #expect(address.asciiDomain == address.domain)
        #expect(!address.needsSMTPUTF8)
    }

    @Test func aLocalPartOfSixtyFourOctetsIsTheLongestAllowed() throws {
        let local = String(repeating: "a", count: 64)
        #expect(try EmailAddress(parsing: "\(local)@acme.example").localPart == local)
        #expect(throws: EmailAddressError.tooLong(part: "local part", limit: 64)) {
            try EmailAddress(parsing: "a\(local)@acme.example")
        }
    }

    @Test func aLabelOfSixtyThreeOctetsAndADomainOfTwoHundredFiftyThreeAreTheLongestAllowed() throws {
        let label = String(repeating: "a", count: 63)
        #expect(try EmailAddress(parsing: "a@\(label).example").domain == "\(label).example")
        // Four labels of 63 and a dot each make 255; one of 61 instead makes 253.
        let longest = [label, label, label, String(repeating: "b", count: 61)].joined(separator: ".")
        #expect(try EmailAddress(parsing: "a@\(longest)").asciiDomain == longest)
        #expect(throws: EmailAddressError.tooLong(part: "domain", limit: 253)) {
            try EmailAddress(parsing: "a@\(longest)b")
        }
    }

    @Test(arguments: [
        (
            "a@acme-.example",
            EmailAddressError.invalidLabel("acme-", reason: "a label cannot start or end with a hyphen")
        ),
        ("a@XN--zz!.example", .invalidLabel("XN--zz!", reason: "'!' is not allowed in a domain")),
        ("a.@acme.example", .badDots(part: "local part")),
        ("a@.acme.example", .badDots(part: "domain")),
        ("a@acme.example@", .moreThanOneAt),
        ("a\u{7F}@acme.example", .space),
        ("a@[192.0.2.1", .invalidLabel("[192.0.2.1", reason: "an address literal holds only an IP address")),
    ])
    func whatThePlainReadingDoesNotTakeIsJudgedWithItsReason(_ text: String, _ error: EmailAddressError) {
        #expect(throws: error) { try EmailAddress(parsing: text) }
    }

    @Test func anALabelAndAnAddressLiteralAreStillChecked() throws {
        #expect(try EmailAddress(parsing: "a@xn--mnchen-3ya.de").asciiDomain == "xn--mnchen-3ya.de")
        #expect(try EmailAddress(parsing: "a@[192.0.2.1]").domain == "[192.0.2.1]")
    }
}
