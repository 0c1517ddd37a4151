import DulyCore
import DulyImport
import DulyStore
import Hummingbird

/// `/customers`: list, read and create the accounts chased, with the fields of `customers.csv`.
struct CustomersController<Store: ServerStore> {
    let api: API<Store>
    var store: Store { api.store }

    func add(to group: RouterGroup<APIContext>) {
        group.get("customers", use: list)
        group.get("customers/{customer_id}", use: get)
        group.post("customers") { request, context in
            try await api.post.answer(request, context: context, role: .manager, handler: create)
        }
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.viewer)
        let limit = try Page.limit(request)
        let after = try Page.cursor(request, parts: 1)?.first
        // One more than the page holds tells whether there is a next page.
        let records = try await store.customerPage(
            organisationID: identity.organisationID, after: after, limit: limit + 1)
        let shown = records.prefix(limit)
        let page = Page(
            items: shown.map { .object(Self.json($0)) },
            nextCursor: records.count > limit ? shown.last.map { [$0.customer.id] } : nil)
        return .json(page.json)
    }

    @Sendable func get(_ request: Request, context: APIContext) async throws -> APIResponse {
        let identity = try context.require(.viewer)
        let customerID = try context.parameters.require("customer_id")
        guard
            let record = try await store.customer(organisationID: identity.organisationID, customerID: customerID)
        else { throw Problem.notFound("customer '\(customerID)'") }
        return .json(Self.json(record))
    }

    /// Creates a customer. The same customer posted again answers 200 with it; another customer under an id
    /// already taken is a conflict (409): the API creates, it does not overwrite.
    @Sendable func create(_ bytes: [UInt8], identity: TokenIdentity) async throws -> APIResponse {
        let body = try BodyFields(bytes, allowed: DulyCSV.customerColumns)
        let record = try CSVFields.record(body, columns: DulyCSV.customerColumns, read: DulyCSV.customers)
        let organisationID = identity.organisationID
        if let stored = try await store.customer(organisationID: organisationID, customerID: record.customer.id) {
            guard Self.fields(stored).map(\.value) == Self.fields(record).map(\.value) else {
                throw Problem(
                    .conflict, "customer '\(record.customer.id)' already exists with other details",
                    field: "customer_id")
            }
            return .json(Self.json(stored))
        }
        let organisation = try await api.organisation(identity)
        _ = try await store.importCustomers(
            [record], organisationID: organisationID, context: api.recording(organisation))
        let created = try await store.customer(organisationID: organisationID, customerID: record.customer.id)
        return .json(Self.json(created ?? record), status: .created)
    }

    // MARK: - JSON

    /// A customer as the API shows it: the columns of `customers.csv`, then what Duly keeps besides.
    static func json(_ record: CustomerRecord) -> JSONObject {
        var object = JSONObject(fields(record).map { ($0.name, JSONNode.text($0.value)) })
        object.members.append(("collector", .text(record.customer.collector)))
        object.members.append(("tags", .array(record.customer.tags.sorted().map(JSONNode.string))))
        return object
    }

    // The record as the columns of `customers.csv`: the billing contact's name, email and phone, the senior
    // contact's email as the escalation address.
    private static func fields(_ record: CustomerRecord) -> [(name: String, value: String?)] {
        let customer = record.customer
        let billing = record.contacts.first { $0.role == .billing }
        let senior = record.contacts.first { $0.role == .senior }
        let values: [String: String?] = [
            "customer_id": customer.id, "name": customer.name, "email": billing?.email, "phone": billing?.phone,
            "country": customer.country, "language": customer.language, "timezone": customer.timeZone,
            "contact_name": billing?.name, "escalation_email": senior?.email,
            "address_line1": customer.address?.line1, "address_line2": customer.address?.line2,
            "postal_code": customer.address?.postalCode, "city": customer.address?.city,
            "region": customer.address?.region, "title": customer.title,
        ]
        return DulyCSV.customerColumns.map { (name: $0, value: values[$0] ?? nil) }
    }
}
