import DulyCore
import DulyImport
import DulyStore
import Hummingbird

/// The organisation's playbook (README, "Web app"): the version in force shown step by step, its history, and for an
/// owner its YAML to edit. An edit is read and checked exactly as `duly playbook adopt` reads a file
/// (`PlaybookYAML.load`); a valid one is adopted as the next version, recorded as adopted by the user; an invalid one
/// is shown again with every problem at its line.
struct PlaybookScreen<Store: WebStore> {
    let web: WebScreens<Store>

    /// What the checked text is called in the problems listed (`playbook:12:5: steps[1].channel: …`).
    static var fileName: String { "playbook" }

    func add(to group: RouterGroup<WebContext>) {
        group.get("playbook", use: page)
        group.post("playbook", use: adopt)
    }

    @Sendable func page(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.require(.viewer)
        let adopted = request.uri.queryParameters.get("adopted")
        return try await render(user, draft: nil, issues: [], notice: adopted.map { "Adopted version \($0)." })
    }

    @Sendable func adopt(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.require(.owner)
        let form = try await web.form(request, context: context)
        // The text as typed: a browser sends a textarea's line breaks as CR LF.
        let source = (form.fields["source"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        let playbook: Playbook
        do {
            playbook = try PlaybookYAML.load(source, fileName: Self.fileName)
        } catch {
            return try await render(
                user, draft: source, issues: error.issues, notice: nil, status: .unprocessableContent)
        }
        let organisation = try await web.organisation(user)
        let kept = try await web.store.adoptPlaybook(
            name: playbook.name, source: source, adoptedBy: user.email, organisationID: organisation.id,
            context: RecordingContext(
                date: web.clock.today(organisation.timeZone), recordedAt: web.clock.timestamp()))
        return seeOther("/playbook?adopted=\(kept.version)")
    }

    /// The page: the playbook in force, or `draft` with its `issues` when an edit was refused.
    private func render(
        _ user: WebUser, draft: String?, issues: [ImportIssue], notice: String?, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let store = web.store
        let organisation = try await web.organisation(user)
        let adopted = try await store.adoptedPlaybook(organisationID: organisation.id)
        let playbook = try PlaybookYAML.playbook(adopted: adopted)
        let source = adopted?.source ?? PlaybookYAML.render(.standard)
        var values = try await web.frame(user, title: "Playbook", section: "playbook")
        values["name"] = playbook.name
        values["in_force"] =
            adopted.map {
                "version \($0.version), adopted on \($0.adoptedOn)" + ($0.adoptedBy.map { " by \($0)" } ?? "")
            }
            ?? "the built-in playbook (none adopted yet)"
        values["steps"] = playbook.steps.map(Self.step)
        values["rules"] = Self.rules(playbook)
        values["history"] = try await store.playbookHistory(organisationID: organisation.id).reversed().map {
            [
                "version": $0.version, "name": $0.name, "on": $0.adoptedOn.description,
                "by": $0.adoptedBy ?? "", "current": $0.version == adopted?.version,
            ] as [String: Any]
        }
        values["can_edit"] = user.role >= .owner
        values["source"] = draft ?? source
        values["notice"] = notice
        values["refused"] = !issues.isEmpty
        values["issues"] = issues.map { issue in
            ["line": issue.line, "column": issue.column, "field": issue.field ?? "", "message": issue.message]
                as [String: Any]
        }
        values["listing"] = draft.map { Self.listing($0, issues: issues) } ?? []
        return web.pages.render("playbook", values, status: status)
    }

    /// One step as a row of the steps table.
    static func step(_ step: PlaybookStep) -> [String: Any] {
        let anchor = step.anchor == .dueDate ? "due date" : "start of its stage"
        var when = step.offsetDays == 0 ? "on the \(anchor)" : "\(abs(step.offsetDays)) days "
        if step.offsetDays != 0 { when += (step.offsetDays < 0 ? "before" : "after") + " the \(anchor)" }
        var notes: [String] = []
        if step.requiresApproval { notes.append("needs approval") }
        if let target = step.escalatesTo {
            notes.append("escalates to " + target.rawValue.replacingOccurrences(of: "_", with: " "))
        }
        if let points = step.settlementOfferBasisPoints {
            notes.append("offers settlement at \(points / 100)% for \(step.offerValidDays) days")
        }
        if !step.customerTags.isEmpty { notes.append("for tags " + step.customerTags.sorted().joined(separator: ", ")) }
        return [
            "id": step.id, "stage": step.stage.rawValue.replacingOccurrences(of: "_", with: " "), "when": when,
            "gap": step.gapDays, "channel": step.channel.rawValue, "template": step.template,
            "notes": notes.joined(separator: "; "),
        ]
    }

    /// The playbook's rules besides its steps, as sentences.
    static func rules(_ playbook: Playbook) -> [String] {
        let days = Weekday.allCases.filter { playbook.workingDays.contains($0) }.map(\.rawValue)
        return [
            "Non-payment after \(playbook.nonPaymentAfterDaysPastDue) days past due or "
                + "\(playbook.nonPaymentAfterBrokenPromises) broken promises.",
            "At most \(playbook.maxContactsPerSevenDays) contacts in seven days, on "
                + days.joined(separator: ", ") + ", between \(playbook.businessHours.lowerBound):00 and "
                + "\(playbook.businessHours.upperBound):00.",
            "Promises get \(playbook.promiseGraceDays) days' grace; instalment reminders "
                + "\(playbook.instalmentReminderDays) days ahead.",
            "At most \(playbook.maxExternalEscalationsPerMonth) hand-overs to an agency or lawyer a month.",
            playbook.thankYou ? "Clients are thanked when a chased invoice is paid in full." : "No thank-you messages.",
        ]
    }

    /// The submitted text line by line, each line with the problems found on it, so a refusal is read where it is.
    static func listing(_ text: String, issues: [ImportIssue]) -> [[String: Any]] {
        let byLine = Dictionary(grouping: issues, by: \.line)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        // A problem past the end (a missing key in an empty text) still shows, on the last line.
        let last = max(lines.count, byLine.keys.max() ?? 0)
        return (0..<last).map { index in
            let number = index + 1
            let found = byLine[number] ?? []
            return [
                "number": number, "text": index < lines.count ? lines[index] : "", "bad": !found.isEmpty,
                "problems": found.map { ($0.field.map { "\($0): " } ?? "") + $0.message },
            ] as [String: Any]
        }
    }
}
