import DulyCore
import Testing

// One test per rule of the EPC payment code's text (EPC069-12 v3.1).
@Suite("The EPC payment code's text")
struct EPCPaymentTests {
    let eur = Currency(code: "EUR")!

    func euros(_ minorUnits: Int) -> Money { Money(minorUnits: minorUnits, currency: eur) }

    func northwind(
        name: String = "Northwind Studio B.V.", iban: String = "NL91ABNA0417164300", bic: String? = nil,
        amount: Int = 123_450, remittance: EPCPayment.Remittance = .reference("RF18539007547034"),
        information: String? = nil
    ) throws -> EPCPayment {
        try EPCPayment(
            beneficiaryName: name, iban: iban, bic: bic, amount: euros(amount), remittance: remittance,
            information: information)
    }

    func refusal(_ make: () throws -> EPCPayment) -> EPCPaymentError? {
        do {
            _ = try make()
            return nil
        } catch let error as EPCPaymentError {
            return error
        } catch {
            return nil
        }
    }

    // MARK: - The payload

    @Test func theGuidelinesOwnExampleIsWrittenLineForLine() throws {
        // EPC069-12's example (the Belgian Red Cross), in the version 002 that the current guidelines define.
        let payment = try EPCPayment(
            beneficiaryName: "Red Cross of Belgium", iban: "BE72000000001616", bic: "BPOTBEB1", amount: euros(100),
            remittance: .text("Urgency fund"), purpose: "CHAR", information: "Sample EPC QR code")
        #expect(
            payment.payload
                == "BCD\n002\n1\nSCT\nBPOTBEB1\nRed Cross of Belgium\nBE72000000001616\nEUR1\nCHAR\n\nUrgency fund\n"
                + "Sample EPC QR code")
    }

    @Test func aReferenceTakesTheStructuredLineAndNothingFollowsIt() throws {
        let payload = try northwind().payload
        #expect(
            payload == "BCD\n002\n1\nSCT\n\nNorthwind Studio B.V.\nNL91ABNA0417164300\nEUR1234.5\n\nRF18539007547034")
    }

    @Test func aTextLeavesTheReferenceLineEmpty() throws {
        let lines = try northwind(remittance: .text("Invoice NW-1012")).payload.split(
            separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.suffix(3) == ["", "", "Invoice NW-1012"], "purpose and reference lines are empty")
    }

    @Test func thePayloadNeverEndsWithALineFeed() throws {
        #expect(try !northwind().payload.hasSuffix("\n"))
        #expect(try !northwind(remittance: .text("NW-1012")).payload.hasSuffix("\n"))
    }

    @Test(arguments: [
        (1, "EUR0.01"), (10, "EUR0.1"), (100, "EUR1"), (123_456, "EUR1234.56"), (120_005, "EUR1200.05"),
        (99_999_999_999, "EUR999999999.99"),
    ])
    func amountsAreEurosWithAPointAndNoTrailingZeros(minorUnits: Int, line: String) throws {
        let lines = try northwind(amount: minorUnits).payload.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[7] == Substring(line))
    }

    @Test func theIBANAndBICAreWrittenUpperCaseWithoutSpaces() throws {
        let payment = try northwind(iban: "nl91 abna 0417 1643 00", bic: "abna nl2a")
        #expect(payment.iban == "NL91ABNA0417164300")
        #expect(payment.payload.split(separator: "\n")[4] == "ABNANL2A")
    }

    @Test func aReferenceIsWrittenWithoutItsSpaces() throws {
        #expect(try northwind(remittance: .reference("rf18 5390 0754 7034")).payload.hasSuffix("\nRF18539007547034"))
    }

    @Test func accentedNamesAreWrittenAsUTF8() throws {
        let payment = try northwind(name: "Société Générale Straße Müller")
        let bytes = Array(payment.payload.utf8)
        #expect(bytes.contains([0xC3, 0xA9]) && bytes.contains([0xC3, 0x9F]) && bytes.contains([0xC3, 0xBC]))
        #expect(!bytes.contains(0xE9), "not ISO 8859-1")
        #expect(payment.payload.split(separator: "\n")[2] == "1", "character set 1 is UTF-8")
    }

    // MARK: - What is refused

    @Test func anAmountInAnotherCurrencyIsRefused() {
        let pounds = Money(minorUnits: 1000, currency: Currency(code: "GBP")!)
        #expect(
            refusal {
                try EPCPayment(
                    beneficiaryName: "Northwind", iban: "NL91ABNA0417164300", amount: pounds, remittance: .text("x"))
            } == .notEuro(pounds))
    }

    @Test(arguments: [0, -500, 100_000_000_000])
    func amountsOutsideOneCentToNearlyOneBillionAreRefused(minorUnits: Int) {
        #expect(refusal { try northwind(amount: minorUnits) } == .amountOutOfRange(euros(minorUnits)))
    }

    @Test func anIBANWithWrongCheckDigitsIsRefused() {
        #expect(refusal { try northwind(iban: "NL92ABNA0417164300") } == .invalidIBAN("NL92ABNA0417164300"))
    }

    @Test(arguments: ["", "NL91", "91NLABNA0417164300", "NL91ABNA0417-164300"])
    func somethingThatIsNotAnIBANIsRefused(iban: String) {
        #expect(refusal { try northwind(iban: iban) } == .invalidIBAN(iban))
    }

    @Test(arguments: ["ABNANL", "ABNANL2AX", "1BNANL2A"])
    func aBICMustBeEightOrElevenCharactersStartingWithSixLetters(bic: String) {
        #expect(refusal { try northwind(bic: bic) } == .invalidBIC(bic))
    }

    @Test func theNameMayHaveSeventyCharactersButNotMore() throws {
        // Counted in characters, not bytes: seventy ü are 140 bytes and still allowed.
        #expect(try northwind(name: String(repeating: "ü", count: 70)).beneficiaryName.count == 70)
        #expect(
            refusal { try northwind(name: String(repeating: "a", count: 71)) }
                == .tooLong(field: "beneficiary name", length: 71, maximum: 70))
    }

    @Test func anEmptyNameIsRefused() {
        #expect(refusal { try northwind(name: "   ") } == .missing(field: "beneficiary name"))
    }

    @Test func theRemittanceTextMayHave140CharactersButNotMore() throws {
        _ = try northwind(remittance: .text(String(repeating: "x", count: 140)))
        #expect(
            refusal { try northwind(remittance: .text(String(repeating: "x", count: 141))) }
                == .tooLong(field: "remittance text", length: 141, maximum: 140))
    }

    @Test func aReferenceThatIsNotAValidRFReferenceIsRefused() {
        #expect(
            refusal { try northwind(remittance: .reference("RF19539007547034")) }
                == .invalidCreditorReference("RF19539007547034"))
    }

    @Test func aLineBreakInsideAFieldIsRefused() {
        #expect(refusal { try northwind(name: "Northwind\nStudio") } == .controlCharacter(field: "beneficiary name"))
        #expect(
            refusal { try northwind(remittance: .text("NW-1\r\nNW-2")) } == .controlCharacter(field: "remittance text"))
    }

    @Test func aPurposeCodeIsFourLettersOrDigits() throws {
        let goods = try EPCPayment(
            beneficiaryName: "Northwind", iban: "NL91ABNA0417164300", amount: euros(100), remittance: .text("x"),
            purpose: "gdds")
        #expect(goods.payload.split(separator: "\n", omittingEmptySubsequences: false)[8] == "GDDS")
        #expect(
            refusal {
                try EPCPayment(
                    beneficiaryName: "Northwind", iban: "NL91ABNA0417164300", amount: euros(100),
                    remittance: .text("x"), purpose: "GOODS")
            } == .invalidPurpose("GOODS"))
    }

    @Test func aPayloadMayHave331BytesButNotMore() throws {
        // Every field within its own limit: 48 three-byte € signs and 140 letters make 331 bytes with the rest…
        let text = EPCPayment.Remittance.text(String(repeating: "x", count: 140))
        let full = try northwind(name: String(repeating: "€", count: 48), remittance: text)
        #expect(full.payload.utf8.count == 331)
        // …and one more € outgrows a version 13 code.
        #expect(
            refusal { try northwind(name: String(repeating: "€", count: 49), remittance: text) }
                == .payloadTooLong(bytes: 334))
    }

    @Test func refusalsNameTheFieldAndSayWhatToDo() {
        let message = String(describing: EPCPaymentError.tooLong(field: "beneficiary name", length: 71, maximum: 70))
        #expect(
            message == "the beneficiary name has 71 characters, more than the 70 an EPC payment code allows: shorten it"
        )
    }
}
