import DulyChannels
import DulyCore
import DulyStore
import Foundation
import Testing

/// Issue 11, part 4: what an email to the client carries when the organisation asks for its invoices.
@Suite("Invoices attached to emails")
struct AttachmentTests {
    private typealias Fixtures = TemplateFixtures

    private static func composer(converter: PDFConverter?) -> TemplateComposer {
        var organisation = Fixtures.organisation
        organisation.attachments = [.invoice]
        return TemplateComposer(
            library: TemplateLibrary(), organisation: organisation, sender: Fixtures.sender,
            dateHeader: "Tue, 10 Mar 2026 09:00:00 +0100", pdfConverter: converter)
    }

    private static let job: DeliveryJob = {
        let action = PlannedAction(
            customerID: Fixtures.customer.id, date: Fixtures.asOf, channel: .email, stage: .delayed,
            stepID: "first_follow_up", template: "first_follow_up", requiresApproval: false, escalatesTo: nil,
            steps: [InvoiceStep(invoiceNumber: "INV-2026-009", stepID: "first_follow_up")], status: .planned,
            idempotencyKey: "key-attachments")
        return DeliveryJob(actionID: 7, action: action, state: nil, attempts: 0, messageID: nil)
    }()

    private static let account = Account(
        customer: Fixtures.customer, contacts: [Fixtures.contact], invoices: [Fixtures.overdue])

    private static func email(documents: [InvoiceDocument], converter: PDFConverter?) throws -> String {
        let message = try #require(
            try composer(converter: converter).compose(
                job, account: account, documents: documents, messageID: "<key@northwind.example>",
                threadParent: nil, on: Fixtures.asOf))
        return String(decoding: message.content, as: UTF8.self)
    }

    private static var converter: PDFConverter {
        get throws {
            try #require(
                PDFConverter(searchPath: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"),
                "no PDF converter: apt-get install chromium (see .ci/run)")
        }
    }

    @Test func theImportedOriginalGoesWithItsPDFCopy() throws {
        let ubl = InvoiceDocument(
            invoiceNumber: "INV-2026-009", fileName: "INV-2026-009.xml", mediaType: "application/xml",
            bytes: Array("<Invoice/>".utf8), addedOn: Fixtures.day("2026-02-10"))
        let email = try Self.email(documents: [ubl], converter: try Self.converter)
        #expect(email.contains("Content-Type: application/xml;\r\n name=\"INV-2026-009.xml\""), "\(email.prefix(3000))")
        #expect(email.components(separatedBy: "Content-Type: application/pdf").count - 1 == 1)
        // The client reads German: the copy is named in German.
        #expect(email.contains("Kopie der Rechnung INV-2026-009.pdf"))
    }

    @Test func anImportedPDFIsSentInPlaceOfACopy() throws {
        let pdf = InvoiceDocument(
            invoiceNumber: "INV-2026-009", fileName: "NW-009.pdf", mediaType: "application/pdf",
            bytes: Array("%PDF-1.7 original".utf8), addedOn: Fixtures.day("2026-02-10"))
        let email = try Self.email(documents: [pdf], converter: try Self.converter)
        #expect(email.components(separatedBy: "Content-Type: application/pdf").count - 1 == 1)
        #expect(email.contains("NW-009.pdf"))
        #expect(!email.contains("Kopie der Rechnung"))
    }

    @Test func withoutAConverterNothingIsComposedAndThePersonIsToldWhatToDo() {
        #expect(throws: AttachmentError.noConverter) {
            _ = try Self.email(documents: [], converter: nil)
        }
        #expect(AttachmentError.noConverter.description.contains("duly init --attach none"))
    }
}
