import DulyCore
import DulyStore
import Hummingbird

/// `POST /runs`: the collection day, by the same code as `duly run`, under `servedPlaybook(for:)`.
struct RunsController<Store: ServerStore> {
    let api: API<Store>

    func add(to group: RouterGroup<APIContext>) {
        group.post("runs") { request, context in
            try await api.post.answer(request, context: context, role: .manager, handler: create)
        }
    }

    /// Runs the day `as_of` (default today where the organisation is); `dry_run` decides without writing. Running
    /// a day again plans nothing new, as `duly run` does.
    @Sendable func create(_ bytes: [UInt8], identity: TokenIdentity) async throws -> APIResponse {
        let body = try BodyFields(bytes.isEmpty ? Array("{}".utf8) : bytes, allowed: ["as_of", "dry_run"])
        let dryRun = try body.bool("dry_run", default: false)
        let organisation = try await api.organisation(identity)
        let today = api.clock.today(organisation.timeZone)
        var date = today
        if let text = try body.string("as_of") {
            guard let given = LocalDate(iso: text) else {
                throw Problem(.unprocessableContent, "'\(text)' is not a date; write it as YYYY-MM-DD", field: "as_of")
            }
            date = given
        }
        // As `duly run` refuses it: a real run dates its actions on its day, and one after today would hold every
        // real day back.
        if !dryRun && date > today {
            throw Problem(
                .unprocessableContent,
                "\(date) is after today (\(today) in \(organisation.timeZone)): a real run would date its actions "
                    + "then; look ahead with dry_run: true",
                field: "as_of")
        }
        let day = CollectionDay(
            store: api.store, organisation: organisation,
            playbook: try await servedPlaybook(for: organisation, in: api.store))
        let finishedAt = api.clock.timestamp()
        let report = try await day.run(
            asOf: date, recordedAt: finishedAt, dryRun: dryRun, lease: .system(seconds: WorkLease.runSeconds))
        if !dryRun {
            let planned = report.planned + report.awaitingApproval
            try await api.store.recordServerRun(
                organisationID: organisation.id, date: date, source: .api, planned: planned, finishedAt: finishedAt)
            api.metrics.planned(planned, organisationID: organisation.id)
        }
        let held = report.deferred.sorted { $0.key.rawValue < $1.key.rawValue }.map {
            (name: $0.key.rawValue, value: JSONNode.integer($0.value))
        }
        let object: JSONObject = [
            "as_of": .string(report.asOf.description), "dry_run": .bool(dryRun), "accounts": .integer(report.accounts),
            "unchanged": .integer(report.unchanged), "planned": .integer(report.planned),
            "awaiting_approval": .integer(report.awaitingApproval), "skipped": .integer(report.skipped),
            "cancelled": .integer(report.cancelled), "held_back": .object(JSONObject(held)),
        ]
        return .json(object, status: dryRun ? .ok : .created)
    }
}
