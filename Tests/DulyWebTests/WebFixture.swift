import DulyCore
import DulyServer
import DulyStore
import DulyStoreSQLite
import Foundation
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Logging
import Synchronization

@testable import DulyWeb

/// A real SQLite file with two organisations and the web screens over it, in process.
///
/// `studio` has customer C-100, whose name is an XSS payload, with INV-100 (EUR 300.00, due 2026-03-03), a call
/// planned for today and an escalation awaiting approval; a member per role (`viewer@studio.example`, …), and
/// `both@studio.example`, a collector in `studio` and a viewer in `other`. `other` has C-900. Today is 2026-03-20.
struct WebFixture {
    let store: SQLiteStore
    let callID: Int64
    let escalationID: Int64
    /// The clock's now, which a test may move.
    let now: Now

    static let password = "correct horse battery"
    static let customerName = "<script>alert('name')</script> & Co"
    static let today = LocalDate(year: 2026, month: 3, day: 20)!

    static func make() async throws -> WebFixture {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duly-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: folder.appendingPathComponent("duly.sqlite").path)
        try await store.migrate()
        let context = RecordingContext(date: today, recordedAt: "2026-03-20T08:00:00Z")
        let eur = Currency(code: "EUR")!
        for (id, customer, invoice, name) in [
            ("studio", "C-100", "INV-100", customerName), ("other", "C-900", "INV-900", "Other Customer"),
        ] {
            try await store.saveOrganisation(
                Organisation(id: id, name: id, baseCurrency: eur, country: "NL", timeZone: "Europe/Amsterdam"))
            _ = try await store.importCustomers(
                [
                    CustomerRecord(
                        customer: Customer(id: customer, name: name, country: "NL", language: "en"),
                        contacts: [
                            Contact(
                                role: .billing, name: "Ann", email: "ann@\(customer.lowercased()).example",
                                phone: "+31 20 123 4567")
                        ])
                ], organisationID: id, context: context)
            _ = try await store.importInvoices(
                [
                    Invoice(
                        number: invoice, customerID: customer, issueDate: LocalDate(year: 2026, month: 2, day: 1)!,
                        dueDate: LocalDate(year: 2026, month: 3, day: 3)!,
                        total: Money(minorUnits: 30_000, currency: eur))
                ], organisationID: id, context: context)
        }
        // A low cost: the tests need members, not the cost of a real hash per sign-in.
        let hash = Bcrypt.hash(password, cost: 4)
        for role in Role.allCases {
            _ = try await store.addMember(
                email: "\(role.rawValue)@studio.example", passwordHash: hash, organisationID: "studio", role: role)
        }
        _ = try await store.addMember(
            email: "both@studio.example", passwordHash: hash, organisationID: "studio", role: .collector)
        _ = try await store.addMember(
            email: "both@studio.example", passwordHash: nil, organisationID: "other", role: .viewer)
        let call = PlannedAction(
            customerID: "C-100", date: today, channel: .call, stage: .delayed, stepID: "call_offer_plan",
            template: "call_offer_plan", requiresApproval: false, escalatesTo: nil,
            steps: [InvoiceStep(invoiceNumber: "INV-100", stepID: "call_offer_plan")],
            status: .planned, idempotencyKey: "studio-call")
        let escalation = PlannedAction(
            customerID: "C-100", date: today, channel: .email, stage: .delayed, stepID: "manager_review",
            template: "first_follow_up", requiresApproval: true, escalatesTo: .manager,
            steps: [InvoiceStep(invoiceNumber: "INV-100", stepID: "manager_review")], status: .awaitingApproval,
            idempotencyKey: "studio-manager-review")
        _ = try await store.commitRun(
            actions: [call, escalation], cancellations: [], organisationID: "studio", context: context)
        let actions = try await store.actions(organisationID: "studio", customerID: "C-100")
        return WebFixture(
            store: store, callID: actions.first { $0.action.channel == .call }!.id,
            escalationID: actions.first { $0.action.status == .awaitingApproval }!.id,
            now: Now())
    }

    /// Runs `test` against the server (API and screens) in process.
    func test<Value>(
        publicURL: String? = nil, _ test: @escaping @Sendable (Browser) async throws -> Value
    ) async throws -> Value {
        let now = self.now
        let clock = ServerClock(
            today: { _ in Self.today }, timestamp: { [now] in now.value.withLock { $0 } },
            unixTime: { 1_773_997_200 })
        let screens = try await WebScreens(store: store, clock: clock, publicURL: publicURL)
        let router = try await buildRouter(store: store, clock: clock, screens: screens.mounted)
        let app = Application(router: router, logger: Logger(label: "duly.test"))
        return try await app.test(.router) { client in try await test(Browser(client: client)) }
    }

    /// Moves the clock to `timestamp`.
    func move(to timestamp: String) { now.value.withLock { $0 = timestamp } }
}

/// A timestamp tests move by hand.
final class Now: Sendable {
    let value = Mutex("2026-03-20T09:00:00Z")
}

/// An answer as the tests read it.
struct Page: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: String

    /// The CSRF token of the first form on the page.
    var csrf: String? {
        guard let range = body.range(of: #"name="csrf" value="([^"]+)""#, options: .regularExpression) else {
            return nil
        }
        let match = body[range]
        return String(match.dropFirst(#"name="csrf" value=""#.count).dropLast())
    }

    var setCookies: [String] { headers[values: .setCookie] }
}

/// A client that keeps cookies between requests, as a browser does.
final class Browser: Sendable {
    let client: any TestClientProtocol
    private let jar = Mutex<[String: String]>([:])

    init(client: any TestClientProtocol) { self.client = client }

    @discardableResult
    func get(_ uri: String) async throws -> Page { try await send(.get, uri, body: nil) }

    @discardableResult
    func post(_ uri: String, _ fields: [String: String]) async throws -> Page {
        let body = fields.map { "\(percentEncoded($0.key))=\(percentEncoded($0.value))" }.joined(separator: "&")
        return try await send(.post, uri, body: body)
    }

    /// Posts a `multipart/form-data` form, as a browser sends one with a file: `files` by field name, with their
    /// file names and contents.
    @discardableResult
    func post(
        _ uri: String, _ fields: [String: String], files: [String: (name: String, content: String)]
    ) async throws -> Page {
        let boundary = "duly-test-boundary-7c1f"
        var body = ""
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        for (name, file) in files {
            body +=
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(file.name)\"\r\n"
                + "Content-Type: text/csv\r\n\r\n\(file.content)\r\n"
        }
        body += "--\(boundary)--\r\n"
        return try await send(.post, uri, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    /// Signs in through the form; the answer is the redirect.
    @discardableResult
    func signIn(_ email: String, password: String = WebFixture.password) async throws -> Page {
        let form = try await get("/login")
        return try await post("/login", ["email": email, "password": password, "csrf": form.csrf ?? ""])
    }

    /// The CSRF token of the signed-in session, read from a page.
    func csrf() async throws -> String { try await get("/worklist").csrf ?? "" }

    private func send(
        _ method: HTTPRequest.Method, _ uri: String, body: String?,
        contentType: String = "application/x-www-form-urlencoded"
    ) async throws -> Page {
        var headers: HTTPFields = [:]
        let cookies = jar.withLock { $0.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if !cookies.isEmpty { headers[.cookie] = cookies }
        if body != nil { headers[.contentType] = contentType }
        let page = try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }
        ) { response in
            Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
        for cookie in page.setCookies {
            let pair = cookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0])
            let value = pair.count > 1 ? String(pair[1]) : ""
            jar.withLock { $0[name] = value.isEmpty ? nil : value }
        }
        return page
    }
}
