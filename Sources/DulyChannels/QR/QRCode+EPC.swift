import DulyCore

extension QRCode {
    /// The EPC payment QR code of a transfer, for letters and PDFs of EUR invoices: level M and at most version 13,
    /// as EPC069-12 requires.
    public init(payment: EPCPayment) {
        // EPCPayment refuses payloads over 331 bytes, which is exactly what version 13 holds at level M.
        self = try! QRCode(bytes: Array(payment.payload.utf8), maximumVersion: 13)
    }
}
