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
            let download = try await EvidenceDownload.make(
                store: store, organisation: organisation, customerID: customerID, on: terms.date,
                regime: terms.regime, contractualRate: terms.contractualRate, rates: api.rates,
                generatedAt: api.clock.timestamp())
        else { throw Problem.notFound("customer '\(customerID)'") }
        var response = APIResponse(status: .ok, contentType: "application/zip", body: download.bytes)
        // A file name a browser or `curl -OJ` keeps.
        response.headers[.contentDisposition] = "attachment; filename=\"\(download.fileName)\""
        response.headers[.timelineVerification] = download.verification
        return response
    }
}

extension HTTPFields.Element.Name {
    /// Whether an evidence pack's timeline chain held when the pack was made.
    static let timelineVerification = Self("Duly-Timeline-Verification")!
}
