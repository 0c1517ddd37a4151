import DulyCore
import DulyImport
import DulyStore

extension UBLDocument {
    /// What the store keeps of one UBL document (`DocumentStore.importDocuments`): the invoice or credit note, its
    /// buyer to match or create, and the file itself, kept with its invoice. `duly import ubl` and the web app's
    /// imports both build their batches with it.
    public func documentImport(fileName: String, bytes: [UInt8], on date: LocalDate) -> DocumentImport {
        let contact =
            buyer.email == nil && buyer.contactName == nil
            ? nil : Contact(role: .billing, name: buyer.contactName, email: buyer.email)
        let entry: DocumentImport.Entry
        let invoiceNumber: String
        switch kind {
        case .invoice:
            invoiceNumber = number
            entry = .invoice(
                Invoice(
                    number: number, customerID: buyer.customerID, issueDate: issueDate,
                    dueDate: dueDate ?? issueDate, total: payable, terms: terms),
                paymentReference: paymentID, termsNote: termsNote)
        case .creditNote:
            invoiceNumber = creditedInvoice ?? ""
            entry = .creditNote(
                CreditNote(
                    id: number, invoiceNumber: invoiceNumber, date: issueDate, amount: payable, kind: .creditNote))
        }
        return DocumentImport(
            entry: entry,
            buyer: DocumentBuyer(
                candidateIDs: buyer.candidateIDs, name: buyer.legalName, newCustomerID: buyer.customerID,
                country: buyer.country, contact: contact, address: buyer.address),
            document: InvoiceDocument(
                invoiceNumber: invoiceNumber, fileName: fileName, mediaType: "application/xml", bytes: bytes,
                addedOn: date))
    }
}
