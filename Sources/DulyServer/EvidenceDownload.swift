import DulyCore
import DulyEvidence
import DulyImport
import DulyStore
import Foundation

/// An account's evidence pack as a download: the zip `duly evidence` writes, with a file name a browser keeps and
/// whether the timeline's chain held. The API's evidence route and the web account page both serve this.
public struct EvidenceDownload: Sendable {
    /// `evidence-C001-2026-03-20.zip`: the customer's id made safe for a file system, and the pack's date.
    public var fileName: String
    public var bytes: [UInt8]
    /// `intact`, or `broken at entry N`.
    public var verification: String

    /// The pack of `customerID`'s account on `date`, its interest worked out under `regime` (the organisation's
    /// country's law when nil; no interest section when no law applies) with `rates`; nil when the organisation has
    /// no such customer.
    public static func make(
        store: some DeliveryStore, organisation: Organisation, customerID: String, on date: LocalDate,
        regime: InterestRegime?, contractualRate: AnnualRate?, rates: LoadedRates, generatedAt: String
    ) async throws -> EvidenceDownload? {
        let terms = (regime ?? InterestRegime.forCountry(organisation.country)).map {
            EvidenceInterestTerms(
                regime: $0, rates: rates.table, ratesSource: rates.source, contractualRate: contractualRate)
        }
        guard
            let records = try await EvidenceRecords.gather(
                from: store, organisation: organisation, customerID: customerID, interest: terms, on: date)
        else { return nil }
        let pack = try EvidencePack(records: records, generatedFor: date, generatedAt: generatedAt)
        let stamp = try Date(generatedAt, strategy: .iso8601)
        let safe = String(customerID.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
        let verification: String
        switch pack.verification {
        case .valid: verification = "intact"
        case .broken(let sequence, _): verification = "broken at entry \(sequence)"
        }
        return EvidenceDownload(
            fileName: "evidence-\(safe)-\(date).zip",
            bytes: try EvidenceArchive.bytes(pack.files, modificationDate: stamp), verification: verification)
    }
}
