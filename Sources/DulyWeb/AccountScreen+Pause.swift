import DulyCore
import DulyStore
import Hummingbird

// The account page's pause: what it shows (the pause and its last day, or none) and its form, which sets a pause or
// ends one through the rule `duly pause` and the API use (`PauseStore.pauseChase`, `endPause`).
extension AccountScreen {
    /// The page's values for the pause: `pause` when one holds today (its last day, why, who asked, whether it was
    /// the client's word), and the form's fields for a collector.
    func pauseValues(
        _ account: Account?, user: WebUser, today: LocalDate, customerID: String
    ) -> [String: Any] {
        var values: [String: Any] = [:]
        if let pause = account?.pause(on: today) {
            values["pause"] = [
                "until": pause.until.description, "resumes": pause.until.adding(days: 1).description,
                "reason": pause.reason, "by": pause.requestedBy, "by_client": pause.byClient,
                "ends_today": pause.until == today,
            ]
        }
        if user.role >= .collector {
            values["pause_form"] = [
                "action": "/accounts/\(percentEncoded(customerID))/pause", "today": today.description,
                "latest": today.adding(days: ChasePause.longestDays).description, "by": user.email,
            ]
        }
        return values
    }

    /// Sets the customer's pause (`until`, `reason`, `by`) or ends it (`end`), then shows the account again.
    @Sendable func pause(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.require(.collector)
        let form = try await web.form(request, context: context)
        let organisation = try await web.organisation(user)
        guard let customerID = context.parameters.get("customer"),
            try await web.store.customer(organisationID: organisation.id, customerID: customerID) != nil
        else { throw WebError.notFound }
        let recording = RecordingContext(
            date: web.clock.today(organisation.timeZone), recordedAt: web.clock.timestamp())
        let person = form["by"] ?? user.email
        let said: String
        if form["end"] != nil {
            let ended = try await web.store.endPause(
                customerID: customerID, by: person, organisationID: organisation.id, context: recording)
            said =
                ended.map { "The pause until \($0.until) is withdrawn; the next run chases again." }
                ?? "There was no pause to end."
        } else {
            guard let text = form["until"] else {
                throw WebError(.badRequest, "until: give the last day of the pause, then send the form again.")
            }
            guard let until = LocalDate(iso: text) else {
                throw WebError(.badRequest, "until: '\(text)' is not a date; write YYYY-MM-DD.")
            }
            do {
                let pause = try await web.store.pauseChase(
                    customerID: customerID, until: until, reason: form["reason"] ?? "", by: person,
                    organisationID: organisation.id, context: recording)
                said = "Paused until \(pause.until); contact may resume on \(pause.until.adding(days: 1))."
            } catch let refusal as PauseRefusal {
                throw WebError(.badRequest, "\(refusal.field): \(refusal.description).")
            }
        }
        return seeOther("/accounts/\(percentEncoded(customerID))?logged=" + percentEncoded(said))
    }
}
