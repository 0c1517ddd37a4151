import DulyChannels
import DulyCore
import DulyServer
import DulyStore
import Hummingbird

/// The organisation's message templates (README, "Web app"): every template and language, the built-in wording
/// where it has none of its own, and an editor with the tone guard's findings beside each part and a preview on one
/// of its real accounts, composed as the deliverer composes it (`TemplateComposer.preview`). Saving follows
/// `duly templates set`: the draft is checked against everything in use (`TemplateLibrary.override`) and refused,
/// with the findings, when the tone guard or a check refuses it. A manager edits; everyone else reads.
struct TemplatesScreen<Store: WebStore> {
    let web: WebScreens<Store>

    func add(to group: RouterGroup<WebContext>) {
        group.get("templates", use: list)
        group.get("templates/:template/:language", use: editor)
        group.post("templates/:template/:language", use: submit)
    }

    @Sendable func list(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.require(.viewer)
        let (organisation, _, playbook) = try await web.workday(user)
        let library = try await TemplateLibrary.organisation(organisation.id, playbook: playbook, store: web.store)
        let overridden = Set(
            try await web.store.templateOverrides(organisationID: organisation.id).map {
                "\($0.template)/\($0.language)"
            })
        var values = try await web.frame(user, title: "Templates", section: "templates")
        values["templates"] = library.templateNames.map { name in
            [
                "name": name, "stage": library.stage(of: name).rawValue.replacingOccurrences(of: "_", with: " "),
                "for": library.speaksToClient(name) ? "the client" : "the team",
                "languages": library.languages(of: name).map { language in
                    [
                        "language": language.rawValue, "template": name,
                        "own": overridden.contains("\(name)/\(language.rawValue)"),
                    ] as [String: Any]
                },
            ] as [String: Any]
        }
        values["notice"] = request.uri.queryParameters.get("saved")
        return web.pages.render("templates", values)
    }

    @Sendable func editor(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.require(.viewer)
        let (template, language) = try Self.key(context)
        let query = request.uri.queryParameters
        return try await render(
            user, template: template, language: language, draft: nil, accountID: query.get("account"),
            notice: query.get("saved"), status: .ok)
    }

    /// Preview, save or reset, by the button pressed (`intent`).
    @Sendable func submit(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.require(.manager)
        let form = try await web.form(request, context: context)
        let (template, language) = try Self.key(context)
        let organisation = try await web.organisation(user)
        let path = "/templates/\(percentEncoded(template))/\(language.rawValue)"
        switch form["intent"] {
        case "reset":
            let removed = try await web.store.removeTemplateOverride(
                template: template, language: language.rawValue, organisationID: organisation.id)
            let said = removed ? "Back to the built-in wording." : "It already had the built-in wording."
            return seeOther(path + "?saved=" + percentEncoded(said))
        case "save":
            let draft = Self.draft(form)
            let checked = try await check(draft, template: template, language: language, organisation: organisation)
            guard checked.problems.isEmpty else {
                return try await render(
                    user, template: template, language: language, draft: draft, accountID: form["account"],
                    notice: nil, status: .unprocessableContent)
            }
            try await web.store.saveTemplateOverride(
                TemplateOverride(
                    template: template, language: language.rawValue, subject: draft.subject, text: draft.text,
                    html: draft.html), organisationID: organisation.id)
            let account = form["account"].map { "&account=" + percentEncoded($0) } ?? ""
            return seeOther(path + "?saved=" + percentEncoded("Saved: deliveries now use this wording.") + account)
        default:
            return try await render(
                user, template: template, language: language, draft: Self.draft(form), accountID: form["account"],
                notice: nil, status: .ok)
        }
    }

    // MARK: - Checking and previewing

    /// A draft's problems: what refuses it (a part that does not compile, an unknown field, the tone guard's
    /// errors), and the tone guard's warnings, which do not; with the library that would be in use if it were kept.
    struct Checked {
        var problems: [String] = []
        var findings: [ToneFinding] = []
        var library: TemplateLibrary
    }

    private func check(
        _ draft: TemplateSource, template: String, language: TemplateLanguage, organisation: Organisation
    ) async throws -> Checked {
        let playbook = try await servedPlaybook(for: organisation, in: web.store)
        var library = try await TemplateLibrary.organisation(organisation.id, playbook: playbook, store: web.store)
        guard library.templateNames.contains(template) else { throw WebError.notFound }
        var checked = Checked(library: library)
        do {
            // As `duly templates set` checks it: against everything already in use, as delivery loads it.
            try library.override(
                template: template, language: language, subject: draft.subject, text: draft.text, html: draft.html)
            checked.library = library
            checked.findings = library.lint().filter { $0.template == template && $0.language == language.rawValue }
        } catch TemplateError.tone(let errors) {
            checked.findings = errors + Self.warnings(draft, template: template, language: language, in: library)
            checked.problems = ["The tone guard refuses this wording: see its findings beside each part."]
        } catch {
            checked.problems = ["\(error)"]
        }
        return checked
    }

    // The tone guard's warnings in a draft it refuses: shown with its errors, so the editor sees everything at once.
    private static func warnings(
        _ draft: TemplateSource, template: String, language: TemplateLanguage, in library: TemplateLibrary
    ) -> [ToneFinding] {
        TemplatePart.allCases.flatMap { part in
            ToneGuard.check(
                draft[part], at: TemplateLocation(template: template, language: language.rawValue, part: part),
                stage: library.stage(of: template)
            ).filter { $0.severity == .warning }
        }
    }

    /// The editor: the draft (else the wording in use) by part, each with its findings, and the preview on the
    /// chosen account.
    private func render(
        _ user: WebUser, template: String, language: TemplateLanguage, draft given: TemplateSource?,
        accountID: String?, notice: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        let store = web.store
        let (organisation, today, playbook) = try await web.workday(user)
        let library = try await TemplateLibrary.organisation(organisation.id, playbook: playbook, store: store)
        guard let inUse = library.source(of: template, language: language) else { throw WebError.notFound }
        let draft = given ?? inUse
        let checked = try await check(draft, template: template, language: language, organisation: organisation)
        let overrides = try await store.templateOverrides(organisationID: organisation.id)
        // Accounts with something open, where a reminder has something to say; the first in the language edited
        // unless one is chosen.
        let owing = Set(
            try await store.invoices(organisationID: organisation.id, customerID: nil, openOnly: true).map(
                \.invoice.customerID))
        let all = try await store.customers(organisationID: organisation.id)
            .sorted { NaturalOrder.precedes($0.name, $1.name) }
        let customers = all.contains { owing.contains($0.id) } ? all.filter { owing.contains($0.id) } : all
        let chosen =
            customers.first { $0.id == accountID }
            ?? customers.first { TemplateLanguage(tag: $0.language) == language } ?? customers.first

        var values = try await web.frame(
            user, title: "Template \(template) (\(language.rawValue))", section: "templates")
        values["template"] = template
        values["language"] = language.rawValue
        values["stage"] = library.stage(of: template).rawValue.replacingOccurrences(of: "_", with: " ")
        values["for"] = library.speaksToClient(template) ? "the client" : "the team"
        values["own"] = overrides.contains { $0.template == template && $0.language == language.rawValue }
        values["can_edit"] = user.role >= .manager
        values["notice"] = notice
        values["problems"] = checked.problems
        values["refused"] = !checked.problems.isEmpty
        values["draft"] = given != nil
        values["parts"] = TemplatePart.allCases.map { part in
            let findings = checked.findings.filter { $0.location.part == part }
            return [
                "part": part.rawValue, "label": Self.label(part), "source": draft[part],
                "rows": part == .subject ? 2 : 14, "has_findings": !findings.isEmpty,
                "findings": findings.map(Self.finding),
            ] as [String: Any]
        }
        values["accounts"] = customers.map {
            ["id": $0.id, "name": "\($0.name) (\($0.id), \($0.language ?? "en"))", "selected": $0.id == chosen?.id]
                as [String: Any]
        }
        if let chosen, checked.problems.isEmpty,
            let account = try await store.account(organisationID: organisation.id, customerID: chosen.id)
        {
            let composer = TemplateComposer(
                library: checked.library, organisation: organisation,
                sender: organisation.sender
                    ?? SenderIdentity(
                        name: organisation.name, fromAddress: "", signature: organisation.name,
                        paymentInstructions: ""),
                dateHeader: "", playbook: playbook,
                collectors: try await store.collectors(organisationID: organisation.id))
            do {
                let message = try composer.preview(
                    template: template, language: language, account: account, on: today)
                values["preview"] = [
                    "customer": account.customer.name, "language": message.language.rawValue,
                    "subject": message.subject, "text": message.text, "html": message.html,
                ]
            } catch TemplateError.tone(let findings) {
                values["preview_findings"] = findings.map(Self.finding)
                values["has_preview_findings"] = true
            } catch {
                values["preview_problem"] = "\(error)"
            }
        }
        return web.pages.render("template", values, status: status)
    }

    // MARK: - Reading the request

    private static func key(_ context: WebContext) throws -> (String, TemplateLanguage) {
        guard let template = context.parameters.get("template"),
            let language = context.parameters.get("language").flatMap(TemplateLanguage.init(rawValue:))
        else { throw WebError.notFound }
        return (template, language)
    }

    /// The parts as typed; a browser sends a textarea's line breaks as CR LF.
    private static func draft(_ form: Form) -> TemplateSource {
        func part(_ name: String) -> String {
            (form.fields[name] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        }
        return TemplateSource(subject: part("subject"), text: part("text"), html: part("html"))
    }

    private static func label(_ part: TemplatePart) -> String {
        switch part {
        case .subject: "Subject"
        case .text: "Plain text"
        case .html: "HTML"
        }
    }

    private static func finding(_ finding: ToneFinding) -> [String: Any] {
        [
            "severity": finding.severity.rawValue, "error": finding.severity == .error,
            "where": finding.rule == .noWayForward
                ? "the message" : "line \(finding.line): \u{201C}\(finding.phrase)\u{201D}",
            "filled_in": finding.asFilledIn, "reason": finding.reason,
        ]
    }
}
