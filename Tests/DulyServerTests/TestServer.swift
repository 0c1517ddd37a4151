import Crypto
import DulyCore
import DulyImport
import DulyStore
import DulyStoreSQLite
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging

@testable import DulyServer

/// A real SQLite file in a fresh folder with two organisations, and the API over it in process.
///
/// `studio` (EUR, NL) has customer C-100 with invoice INV-100 (EUR 300.00, due 2026-03-03) and a token for each
/// role; `other` has customer C-900 with invoice INV-900 and an owner's token. Today is 2026-03-20.
struct TestServer {
    let store: SQLiteStore
    /// The SQLite file's path, for tests that read what the store wrote.
    let path: String
    /// Studio's tokens by role.
    let tokens: [Role: String]
    /// The owner of the other organisation.
    let otherToken: String

    static let today = LocalDate(year: 2026, month: 3, day: 20)!
    static let clock = ServerClock(
        today: { _ in today }, timestamp: { "2026-03-20T09:00:00Z" }, unixTime: { 1_773_997_200 })
    // A bcrypt hash made once: the fixtures need members, not the cost of hashing a password per test.
    static let fixedHash = "$2b$04$abcdefghijklmnopqrstuu5Kxd0pHgq3hhxUh4AG3nAq3X5/TB1Yu"

    static func make() async throws -> TestServer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duly-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("duly.sqlite").path
        let store = try SQLiteStore(path: path)
        try await store.migrate()
        let context = RecordingContext(date: today, recordedAt: "2026-03-20T08:00:00Z")
        let eur = Currency(code: "EUR")!
        for (id, customer, invoice) in [("studio", "C-100", "INV-100"), ("other", "C-900", "INV-900")] {
            try await store.saveOrganisation(
                Organisation(id: id, name: id, baseCurrency: eur, country: "NL", timeZone: "Europe/Amsterdam"))
            _ = try await store.importCustomers(
                [
                    CustomerRecord(
                        customer: Customer(id: customer, name: "Customer \(customer)", country: "NL", language: "en"),
                        contacts: [Contact(role: .billing, name: "Ann", email: "ann@\(customer.lowercased()).example")])
                ], organisationID: id, context: context)
            _ = try await store.importInvoices(
                [
                    Invoice(
                        number: invoice, customerID: customer, issueDate: LocalDate(year: 2026, month: 2, day: 1)!,
                        dueDate: LocalDate(year: 2026, month: 3, day: 3)!,
                        total: Money(minorUnits: 30_000, currency: eur))
                ], organisationID: id, context: context)
        }
        var tokens: [Role: String] = [:]
        for role in Role.allCases {
            tokens[role] = try await member("\(role.rawValue)@studio.example", role: role, of: "studio", store: store)
        }
        let otherToken = try await member("owner@other.example", role: .owner, of: "other", store: store)
        return TestServer(store: store, path: path, tokens: tokens, otherToken: otherToken)
    }

    /// Adds a member with the fixed password hash and gives them a token.
    static func member(
        _ email: String, role: Role, of organisationID: String, store: SQLiteStore
    ) async throws
        -> String
    {
        _ = try await store.addMember(
            email: email, passwordHash: fixedHash, organisationID: organisationID, role: role)
        return try await Members.createToken(
            name: "\(email) token", email: email, organisationID: organisationID, createdAt: "2026-03-20T08:00:00Z",
            store: store)
    }

    /// Writes an escalation of INV-100 to the manager that awaits approval, as a run would.
    func escalationAwaitingApproval() async throws {
        let action = PlannedAction(
            customerID: "C-100", date: Self.today, channel: .email, stage: .delayed, stepID: "manager_review",
            template: "first_follow_up", requiresApproval: true, escalatesTo: .manager,
            steps: [InvoiceStep(invoiceNumber: "INV-100", stepID: "manager_review")], status: .awaitingApproval,
            idempotencyKey: "studio-manager-review")
        _ = try await store.commitRun(
            actions: [action], cancellations: [], organisationID: "studio",
            context: RecordingContext(date: Self.today, recordedAt: "2026-03-20T08:00:00Z"))
    }

    /// Changes the summary of one of C-100's timeline entries behind the store's back (its append-only trigger
    /// dropped first), as someone with the database file could.
    func alterTimelineEntry(_ sequence: Int) async throws {
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "DROP TRIGGER timeline_entries_refuse_update")
            try db.execute(
                sql: """
                    UPDATE timeline_entries SET summary = 'Nothing happened'
                    WHERE org_id = 'studio' AND customer_id = 'C-100' AND sequence = ?
                    """,
                arguments: [sequence])
        }
    }

    /// Runs `test` against the API in process (with `rates` as the reference rates, logging to `logger`).
    func test<Value>(
        rates: LoadedRates = .builtIn, logger: Logger = Logger(label: "duly.test"),
        _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let app = try await buildApplication(
            store: store, clock: Self.clock, address: ServerAddress(host: "127.0.0.1", port: 0),
            logger: logger, rates: rates)
        return try await app.test(.router) { client in try await test(client) }
    }
}

/// An answer as the tests read it.
struct Answer {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: [UInt8]

    /// The body as a JSON object (an empty one when it is not).
    var json: JSONObject {
        guard let value = try? JSONDecoder().decode(JSONNode.self, from: Data(body)), case .object(let object) = value
        else { return [:] }
        return object
    }

    var contentType: String? { headers[.contentType] }

    /// A string member, nil when absent or not a string.
    subscript(_ name: String) -> String? {
        if case .string(let text) = json[name] { return text }
        return nil
    }

    /// The items of a page.
    var items: [JSONObject] {
        guard case .array(let values) = json["data"] else { return [] }
        return values.compactMap { if case .object(let object) = $0 { object } else { nil } }
    }

    var isProblem: Bool { contentType == "application/problem+json" && json["status"] == .integer(status.code) }
}

extension TestClientProtocol {
    /// Sends a request with a bearer token (when given), a JSON body, an idempotency key and any other headers.
    func call(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, body: String? = nil, key: String? = nil,
        headers more: HTTPFields = [:]
    ) async throws -> Answer {
        var headers = more
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let key { headers[.idempotencyKey] = key }
        if body != nil { headers[.contentType] = "application/json" }
        return try await execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }
        ) { response in
            Answer(
                status: response.status, headers: response.headers,
                body: Array(response.body.readableBytesView))
        }
    }
}

/// Signs Stripe events as Stripe does: `t=UNIX,v1=HMAC-SHA256(secret, "UNIX.PAYLOAD")` in hex.
enum StripeSigning {
    static let secret = "whsec_studio_test_secret"

    /// The test clock's now, in Unix seconds.
    static var now: Int64 { try! StripeController<SQLiteStore>.seconds(TestServer.clock.timestamp()) }

    static func header(_ payload: String, secret: String = secret, at time: Int64 = now) -> HTTPFields {
        let code = HMAC<SHA256>.authenticationCode(
            for: Array("\(time).\(payload)".utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return [.stripeSignature: "t=\(time),v1=\(Hex.encode(code))"]
    }

    /// Gives studio its Stripe endpoint secret.
    static func configure(_ server: TestServer) async throws {
        try await server.store.setPaymentProviderSecret(
            secret, provider: .stripe, organisationID: "studio", setAt: "2026-03-20T08:00:00Z")
    }
}
