import DulyCore
import DulyEvidence
import DulyStore
import Foundation
import Hummingbird

/// `GET /customers/{customer_id}/evidence`: the account's evidence pack, the zip `duly evidence` writes, as a
/// download. It takes the parameters of `duly interest` (`as_of`, `regime`, `contract_rate`) for its interest
/// section. The timeline is verified as the pack is made: `Duly-Timeline-Verification` says `intact` or
/// `broken at entry N`, and a broken chain is recorded in the pack itself, as the command records it.
struct EvidenceController<Store: ServerStore> {
    let api: API<Store>
    var store: Store { api.store }

    func add(to group: RouterGroup<APIContext>) {
        group.get("customers/{customer_id}/evidence", use: pack)
    }

    @Sendable func pack(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.viewer)
        let customerID = try context.parameters.require("customer_id")
        let organisation = try await api.organisation(identity)
        let terms = try InterestController<Store>.Terms(
            request, organisation: organisation, today: api.clock.today(organisation.timeZone))
        guard
            let records = try await EvidenceRecords.gather(
                from: store, organisation: organisation, customerID: customerID,
                interest: terms.evidence(api.rates), on: terms.date)
        else { throw Problem.notFound("customer '\(customerID)'") }
        let generatedAt = api.clock.timestamp()
        let pack = try EvidencePack(records: records, generatedFor: terms.date, generatedAt: generatedAt)
        let stamp = try Date(generatedAt, strategy: .iso8601)
        var response = APIResponse(
            status: .ok, contentType: "application/zip",
            body: try EvidenceArchive.bytes(pack.files, modificationDate: stamp))
        // A file name a browser or `curl -OJ` keeps: the customer's id made safe for a file system, and the date.
        let safe = String(customerID.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
        response.headers[.contentDisposition] = "attachment; filename=\"evidence-\(safe)-\(terms.date).zip\""
        switch pack.verification {
        case .valid: response.headers[.timelineVerification] = "intact"
        case .broken(let sequence, _): response.headers[.timelineVerification] = "broken at entry \(sequence)"
        }
        return response
    }
}

extension HTTPFields.Element.Name {
    /// Whether an evidence pack's timeline chain held when the pack was made.
    static let timelineVerification = Self("Duly-Timeline-Verification")!
}
