import DulyCore
import DulyStore
import Hummingbird

/// `/customers/{customer_id}/contacts`: the people Duly writes to and calls, read, and replaced as a whole list
/// (`PUT`). What Duly learned about a person (a bouncing address, a channel opted out of) stays with them
/// (`Contact.replacing`), and the change is on the customer's timeline as an import's update is.
struct ContactsController<Store: ServerStore> {
    let api: API<Store>

    static var fields: [String] { ["role", "name", "email", "phone", "preferred_channel"] }

    func add(to group: RouterGroup<APIContext>) {
        group.get("customers/{customer_id}/contacts", use: list)
        group.put("customers/{customer_id}/contacts") { request, context in
            let customerID = try context.parameters.require("customer_id")
            return try await api.post.answer(request, context: context, role: .manager) { bytes, identity in
                try await replace(customerID, bytes, identity: identity)
            }
        }
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.viewer)
        let record = try await find(try context.parameters.require("customer_id"), identity: identity)
        return .json(try Page.positional(record.contacts.map(Self.json), request).json)
    }

    /// Replaces the customer's contacts with `contacts`, in order: the first billing contact gets the reminders,
    /// the first senior one the escalations.
    func replace(_ customerID: String, _ bytes: [UInt8], identity: TokenIdentity) async throws -> APIResponse {
        let record = try await find(customerID, identity: identity)
        let body = try BodyFields(bytes, allowed: ["contacts"])
        guard case .array(let items) = body.object["contacts"] ?? .null else {
            throw Problem(.unprocessableContent, "give an array of contacts", field: "contacts")
        }
        let contacts = try items.enumerated().map { index, item in try Self.contact(item, field: "contacts[\(index)]") }
        var updated = record
        updated.contacts = Contact.replacing(record.contacts, with: contacts)
        let organisation = try await api.organisation(identity)
        _ = try await api.store.importCustomers(
            [updated], organisationID: organisation.id, context: api.recording(organisation))
        let stored = try await find(customerID, identity: identity)
        return .json(Page(items: stored.contacts.map(Self.json), nextCursor: nil).json)
    }

    private func find(_ customerID: String, identity: TokenIdentity) async throws -> CustomerRecord {
        guard let record = try await api.store.customer(organisationID: identity.organisationID, customerID: customerID)
        else { throw Problem.notFound("customer '\(customerID)'") }
        return record
    }

    // One contact of the body; its problems name it (`contacts[1].email`).
    private static func contact(_ item: JSONNode, field: String) throws -> Contact {
        guard case .object(let object) = item else {
            throw Problem(.unprocessableContent, "must be an object with role, name, email, phone", field: field)
        }
        do {
            let fields = try BodyFields(JSONBody.encode(object), allowed: Self.fields)
            let chosen: Contact.Role? = try fields.choice("role", default: nil)
            guard let role = chosen else { throw Problem(.unprocessableContent, "is required", field: "role") }
            let email = try fields.string("email").flatMap { $0.isEmpty ? nil : $0 }
            if let email {
                do {
                    _ = try EmailAddress(parsing: email)
                } catch {
                    throw Problem(.unprocessableContent, "'\(email)' is not an email address: \(error)", field: "email")
                }
            }
            return Contact(
                role: role, name: try fields.string("name"), email: email, phone: try fields.string("phone"),
                preferredChannel: try fields.choice("preferred_channel", default: nil))
        } catch let problem as Problem {
            throw Problem(problem.status, problem.detail, field: "\(field).\(problem.field ?? "")")
        }
    }

    static func json(_ contact: Contact) -> JSONNode {
        .object([
            "role": .string(contact.role.rawValue), "name": .text(contact.name), "email": .text(contact.email),
            "phone": .text(contact.phone), "preferred_channel": .text(contact.preferredChannel?.rawValue),
            "email_bouncing": .bool(contact.emailBouncing),
            "opted_out": .array(contact.optedOut.map(\.rawValue).sorted().map(JSONNode.string)),
        ])
    }
}
