import DulyChannels
import DulyCore
import Foundation
import Testing

// What the encoder draws, read back by a real reader: zbarimg (Debian's zbar-tools, installed by .ci/run). Without
// it these tests fail rather than pass vacuously.
@Suite("QR codes read back by zbarimg")
struct QRCodeReaderTests {
    func read(imageAt image: URL) throws -> [UInt8] { try QRImageReader.read(imageAt: image) }

    func read(_ code: QRCode) throws -> [UInt8] {
        let image = QRImageReader.temporaryFile(".pgm")
        defer { try? FileManager.default.removeItem(at: image) }
        try Data(code.pgm(scale: 4)).write(to: image)
        return try read(imageAt: image)
    }

    @Test func aShortTextReadsBack() throws {
        let code = try QRCode(text: "Duly: invoice NW-1012")
        #expect(try read(code) == Array("Duly: invoice NW-1012".utf8))
    }

    @Test func fourteenBytesFillVersionOneAndReadBack() throws {
        let code = try QRCode(text: "RF18539007547X")
        #expect(code.version == 1, "14 bytes are all that version 1 holds at level M")
        #expect(try read(code) == Array("RF18539007547X".utf8))
        let fifteen = try QRCode(text: "RF18539007547XY")
        #expect(fifteen.version == 2)
        #expect(try read(fifteen) == Array("RF18539007547XY".utf8))
    }

    @Test(arguments: [(213, 10), (331, 13), (1_000, 26), (2_331, 40)])
    func longTextsInLargeVersionsReadBack(length: Int, version: Int) throws {
        let text = String((0..<length).map { Array("Duly follows up receivables. 0123456789")[$0 % 39] })
        let code = try QRCode(text: text)
        #expect(code.version == version)
        #expect(try read(code) == Array(text.utf8))
    }

    @Test func everyMaskReadsBack() throws {
        for mask in 0...7 {
            let code = try QRCode(bytes: Array("Mask \(mask) of eight".utf8), mask: mask)
            #expect(try read(code) == Array("Mask \(mask) of eight".utf8), "mask \(mask)")
        }
    }

    @Test func anEPCPaymentWithAccentedNamesReadsBackByteForByte() throws {
        let payment = try EPCPayment(
            beneficiaryName: "Société Générale Straße Müller", iban: "DE89370400440532013000", bic: "COBADEFFXXX",
            amount: Money(minorUnits: 123_456, currency: Currency(code: "EUR")!),
            remittance: .reference("RF18 5390 0754 7034"), information: "Überweisung für Rechnung NW-1012")
        let code = QRCode(payment: payment)
        #expect(try read(code) == Array(payment.payload.utf8))
    }

    @Test func theLargestEPCPaymentIsAVersionThirteenCodeThatReadsBack() throws {
        let payment = try EPCPayment(
            beneficiaryName: String(repeating: "€", count: 48), iban: "NL91ABNA0417164300",
            amount: Money(minorUnits: 123_450, currency: Currency(code: "EUR")!),
            remittance: .text(String(repeating: "x", count: 140)))
        let code = QRCode(payment: payment)
        #expect(payment.payload.utf8.count == EPCPayment.maximumPayloadBytes)
        #expect(code.version == 13)
        #expect(try read(code) == Array(payment.payload.utf8))
    }

    @Test func theSVGAsChromiumDrawsItReadsBack() throws {
        let payment = try EPCPayment(
            beneficiaryName: "Keller & Partner GmbH", iban: "DE89370400440532013000",
            amount: Money(minorUnits: 98_765, currency: Currency(code: "EUR")!),
            remittance: .reference("RF18539007547034"))
        let svg = QRCode(payment: payment).svg(moduleSize: 1, label: "Payment QR code")
        let screenshot = try QRImageReader.screenshot(ofHTML: "<!doctype html><body style=\"margin:0\">\(svg)</body>")
        defer { try? FileManager.default.removeItem(at: screenshot) }
        #expect(try read(imageAt: screenshot) == Array(payment.payload.utf8))
    }

}
