import DulyCore
import DulyStore

/// Why an organisation's stored template override no longer loads.
public struct StoredOverrideError: Error, CustomStringConvertible {
    public var description: String
}

extension TemplateLibrary {
    /// The built-in templates in the voice of `playbook`'s stages, with the organisation's stored overrides.
    public static func organisation(
        _ organisationID: String, playbook: Playbook, store: some TemplateStore
    ) async throws -> TemplateLibrary {
        // Each template keeps the voice of the stage the adopted playbook uses it in, and a template only its call
        // steps use is a script for the team.
        var library = TemplateLibrary(playbook: playbook)
        for override in try await store.templateOverrides(organisationID: organisationID) {
            guard let language = TemplateLanguage(tag: override.language) else { continue }
            do {
                try library.override(
                    template: override.template, language: language, subject: override.subject, text: override.text,
                    html: override.html)
            } catch {
                throw StoredOverrideError(
                    description:
                        "the stored override of \(override.template) (\(override.language)) no longer loads: \(error)")
            }
        }
        return library
    }
}

/// What to say on a call or at a meeting: whom to call, and the call's template for the client, in their language,
/// with the day's figures. `duly worklist --script` prints it; the web worklist shows it beside the call.
public struct CallScript: Sendable {
    /// `Call Acme BV, ask for Ann on +31 20 123 4567.`
    public var who: String
    public var subject: String
    public var text: String

    public init(
        action stored: StoredAction, account: Account, organisation: Organisation, library: TemplateLibrary,
        on date: LocalDate
    ) throws {
        let sender =
            organisation.sender
            ?? SenderIdentity(
                name: organisation.name, fromAddress: "", signature: organisation.name, paymentInstructions: "")
        let contact = account.contacts.first { !($0.phone ?? "").isEmpty } ?? account.contacts.first
        let context = MessageContext(
            organisation: organisation, sender: sender, customer: account.customer, contact: contact,
            action: stored.action,
            invoices: account.invoices.filter { stored.action.invoiceNumbers.contains($0.invoice.number) },
            disputes: account.disputes, asOf: date, portalLink: nil)
        let rendered = try library.render(
            template: stored.action.template, language: account.customer.language, context: context)
        let phone = contact?.phone.map { " on \($0)" } ?? ""
        who = "Call \(account.customer.name)\(contact?.name.map { ", ask for \($0)" } ?? "")\(phone)."
        subject = rendered.subject
        text = rendered.text
    }
}
