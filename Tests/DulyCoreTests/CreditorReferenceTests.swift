import DulyCore
import Testing

@Suite struct CreditorReferenceTests {
    // docs/DOMAIN.md, "RF creditor reference", examples RF-1 to RF-5: base, reference, and the reference grouped for
    // printing.
    @Test(arguments: [
        ("539007547034", "RF18539007547034", "RF18 5390 0754 7034"),
        ("1234512345", "RF451234512345", "RF45 1234 5123 45"),
        ("12345 12345", "RF451234512345", "RF45 1234 5123 45"),
        ("AB2G5", "RF68AB2G5", "RF68 AB2G 5"),
        ("ISO11649", "RF60ISO11649", "RF60 ISO1 1649"),
        ("TU06FX", "RF96TU06FX", "RF96 TU06 FX"),
        ("tu06fx", "RF96TU06FX", "RF96 TU06 FX"),
    ])
    func referenceFromBaseMatchesTheRulesVectors(base: String, reference: String, grouped: String) throws {
        let made = try CreditorReference.make(from: base)
        #expect(made == reference)
        #expect(CreditorReference.isValid(made))
        #expect(CreditorReference.isValid(grouped))
        #expect(CreditorReference.isValid(grouped.lowercased()))
        #expect(CreditorReference.grouped(made) == grouped)
    }

    @Test(arguments: [
        "RF18 5390 0754 7034", "RF18539007547034", "rf18539007547034", "RF720HYA6", "RF60ISO11649",
    ])
    func validReferencesAreAccepted(text: String) {
        #expect(CreditorReference.isValid(text))
    }

    @Test(arguments: [
        "RF19 5390 0754 7034",  // RF-1 with the wrong check digits
        "RF19GAX8WS5JYOOUJ87",  // iso-11649 npm's invalid example
        "RF18 5390 0754 7035",  // one digit of the base changed
        "RF68AB2G6",
        "RF96TU06F",  // a character dropped
        "RF18",  // no base
        "",
        "RF",
        "XX18539007547034",  // not RF
        "RF1853900754703!",
        "RF6€ISO11649",
        "RF0112345678901234567890123",  // longer than 25
        "RF00",
    ])
    func invalidReferencesAreRefused(text: String) {
        #expect(!CreditorReference.isValid(text))
    }

    @Test func checkDigitsThatOnlyPassTheModulusAreRefused() throws {
        // 97 ≡ 00, 98 ≡ 01 (mod 97): find a base whose check digits are 97 or 98 and swap in the alias.
        var aliases: [String] = []
        for number in 1...2000 {
            let reference = try CreditorReference.make(from: String(number))
            let check = reference.dropFirst(2).prefix(2)
            if check == "97" { aliases.append("RF00" + reference.dropFirst(4)) }
            if check == "98" { aliases.append("RF01" + reference.dropFirst(4)) }
        }
        #expect(!aliases.isEmpty)
        for alias in aliases { #expect(!CreditorReference.isValid(alias), "\(alias)") }
    }

    @Test(arguments: [
        ("", CreditorReferenceError.emptyBase),
        ("   ", .emptyBase),
        ("1234567890123456789012", .baseTooLong("1234567890123456789012")),
        ("INV-2026-001", .invalidCharacter("INV-2026-001")),
        ("Ünïcode", .invalidCharacter("Ünïcode")),
    ])
    func badBasesAreRefused(base: String, error: CreditorReferenceError) {
        #expect(throws: error) { try CreditorReference.make(from: base) }
    }

    @Test func theLongestBaseMakesATwentyFiveCharacterReference() throws {
        let reference = try CreditorReference.make(from: "ABCDEFGHIJKLMNOPQRSTU")
        #expect(reference.count == 25)
        #expect(CreditorReference.isValid(reference))
    }

    // An invoice's first reference is the one `make(from:)` gives for its number's ASCII letters and digits.
    @Test(arguments: [
        "INV-2024/0042", "inv-1", "INV1", "Été-42", "539007547034", "a", "Z", "0",
        "ABCDEFGHIJKLMNOPQRSTU", "abc-defghijklmnopqrstu", "9-8-7-6-5-4-3-2-1-0-9-8-7-6-5-4-3-2-1-0-9",
    ])
    func anInvoicesFirstReferenceSpellsItsNumbersLettersAndDigits(number: String) throws {
        let base = String(
            number.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }.map(
                Character.init))
        #expect(CreditorReference.forInvoice(number: number) == (try CreditorReference.make(from: base)))
    }

    @Test(arguments: ["---", "", "ÉÈ", "ABCDEFGHIJKLMNOPQRSTUV", "1234567890-1234567890-12"])
    func aNumberWithNoLetterOrDigitOrMoreThanTwentyOneTakesAHashedReference(number: String) {
        let reference = CreditorReference.forInvoice(number: number)
        #expect(reference.dropFirst(4).first == "D")
        #expect(reference.count == 23)
        #expect(CreditorReference.isValid(reference))
    }
}
