import DulyChannels
import DulyCore
import DulyImport
import DulyServer
import DulyStore
import Foundation
import Hummingbird
import NIOPosix

/// What a store must offer the web screens: the server's, plus the bank credits that matched nothing and the
/// organisation's own templates (for call scripts).
public typealias WebStore = ServerStore & StatementStore & TemplateStore & PortalStore

/// The collector's web screens (README, "Web app"): sign-in, the worklist, approvals and the account page, served
/// beside the API by `duly serve`.
public struct WebScreens<Store: WebStore>: Sendable {
    let store: Store
    let clock: ServerClock
    let pages: Pages
    let keys: SessionKeys
    let throttle: LoginThrottle
    /// Cookies carry `Secure` when clients reach the server over https.
    let secureCookies: Bool
    /// The reference rates an evidence pack's interest is worked out with (the API's).
    let rates: LoadedRates

    /// The screens over `store`; `publicURL` is the address clients reach (its scheme decides `Secure` cookies).
    public init(store: Store, clock: ServerClock, publicURL: String?, rates: LoadedRates = .builtIn) async throws {
        try await self.init(store: store, clock: clock, publicURL: publicURL, throttle: LoginThrottle(), rates: rates)
    }

    init(
        store: Store, clock: ServerClock, publicURL: String?, throttle: LoginThrottle, rates: LoadedRates = .builtIn
    ) async throws {
        self.rates = rates
        self.store = store
        self.clock = clock
        self.pages = try await Pages.load()
        // Its own secret, kept in the database so every node signs and checks sessions alike.
        self.keys = SessionKeys(secret: try await store.serverSecret(named: "web_sessions", generated: randomBytes(32)))
        self.throttle = throttle
        self.secureCookies = publicURL?.lowercased().hasPrefix("https://") == true
    }

    /// The screens as `buildApplication` mounts them: `/` sends a browser to the worklist.
    public var mounted: Screens { Screens(home: "/worklist") { add(to: $0) } }

    /// Adds the screens to the server's router.
    public func add(to router: Router<APIContext>) {
        let stylesheet = pages.stylesheet
        router.get("static/duly.css") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(bytes: stylesheet)))
        }
        let group = router.group(context: WebContext.self)
            .add(middleware: SecurityHeadersMiddleware())
            .add(middleware: WebErrorMiddleware(pages: pages))
            .add(middleware: SessionMiddleware(store: store, keys: keys, clock: clock))
        group.get("login", use: signInPage)
        group.post("login", use: signIn)
        group.post("logout", use: signOut)
        group.post("organisation", use: switchOrganisation)
        WorklistScreen(web: self).add(to: group)
        ApprovalsScreen(web: self).add(to: group)
        AccountScreen(web: self).add(to: group)
        DashboardScreen(web: self).add(to: group)
        PlaybookScreen(web: self).add(to: group)
        TemplatesScreen(web: self).add(to: group)
        ImportsScreen(web: self).add(to: group)
        PortalScreen(web: self).add(to: group)
    }

    // MARK: - Forms and pages

    /// The form of a POST, once its CSRF token is checked: a missing or wrong token answers 403.
    func form(_ request: Request, context: WebContext) async throws -> Form {
        let body = try await request.body.collect(upTo: 64 * 1024)
        let form = Form(String(buffer: body))
        guard let nonce = context.user?.nonce ?? context.signInNonce, let token = form["csrf"],
            keys.isValidCSRF(token, nonce: nonce)
        else {
            throw WebError(
                .forbidden,
                "This form has expired or did not come from Duly. Go back, reload the page and send it again.")
        }
        return form
    }

    /// What every signed-in page shows around its content: who is signed in, where, the switcher, the CSRF token.
    func frame(_ user: WebUser, title: String, section: String) async throws -> [String: Any] {
        var organisations: [[String: Any]] = []
        for id in try await store.organisationIDs() {
            guard try await store.role(email: user.email, organisationID: id) != nil,
                let organisation = try await store.organisation(id: id)
            else { continue }
            organisations.append(["id": id, "name": organisation.name, "current": id == user.organisationID])
        }
        let current = organisations.first { ($0["current"] as? Bool) == true }?["name"] as? String
        return [
            "title": title, "email": user.email, "role": user.role.rawValue,
            "organisation": current ?? user.organisationID, "organisations": organisations,
            "switcher": organisations.count > 1, "csrf": keys.csrfToken(nonce: user.nonce),
            "nav_" + section: true,
            "can_import": user.role >= .manager,
        ]
    }

    /// The signed-in user's organisation, its today, and the playbook it plans with: what every screen reads first.
    func workday(_ user: WebUser) async throws -> (organisation: Organisation, today: LocalDate, playbook: Playbook) {
        let organisation = try await organisation(user)
        return (
            organisation, clock.today(organisation.timeZone), try await servedPlaybook(for: organisation, in: store)
        )
    }

    /// The signed-in user's organisation, as it stands.
    func organisation(_ user: WebUser) async throws -> Organisation {
        guard let organisation = try await store.organisation(id: user.organisationID) else {
            throw WebError.signInNeeded
        }
        return organisation
    }

    func cookie(_ name: String, _ value: String, maxAge: Int? = nil) -> String {
        "\(name)=\(value); Path=/; HttpOnly; SameSite=Lax" + (maxAge.map { "; Max-Age=\($0)" } ?? "")
            + (secureCookies ? "; Secure" : "")
    }

    // MARK: - Signing in and out

    @Sendable func signInPage(_ request: Request, context: WebContext) async throws -> Response {
        if context.user != nil { return seeOther("/worklist") }
        return signInForm(message: nil, email: "", status: .ok)
    }

    /// The sign-in form with a fresh CSRF cookie.
    func signInForm(message: String?, email: String, status: HTTPResponse.Status) -> Response {
        let nonce = SessionKeys.nonce()
        var values: [String: Any] = ["title": "Sign in", "email": email, "csrf": keys.csrfToken(nonce: nonce)]
        values["message"] = message
        var response = pages.render("login", values, status: status)
        response.headers[values: .setCookie].append(cookie(SessionKeys.signInCookieName, nonce))
        return response
    }

    @Sendable func signIn(_ request: Request, context: WebContext) async throws -> Response {
        let form = try await form(request, context: context)
        let email = form["email"] ?? ""
        let password = form.fields["password"] ?? ""
        let now = clock.now
        if let wait = await throttle.wait(email: email, address: context.remoteAddress, now: now) {
            let minutes = LoginThrottle.minutes(wait)
            return pages.render(
                "error",
                [
                    "title": "Too many attempts",
                    "message":
                        "Too many failed sign-ins. Try again in \(minutes) minute\(minutes == 1 ? "" : "s").",
                ], status: .tooManyRequests)
        }
        let hash = try await store.passwordHash(email: email)
        // bcrypt takes a good part of a second on purpose: off the event loop.
        // An unknown address costs a check as long as a known one, so the answer's time does not tell which exist.
        let checked = hash ?? absentHash
        let verified = try await NIOThreadPool.singleton.runIfActive { Password.verify(password, hash: checked) }
        let matches = hash != nil && verified
        guard matches else {
            await throttle.fail(email: email, address: context.remoteAddress, now: now)
            return signInForm(
                message: "That email address and password do not match. Check both and try again.", email: email,
                status: .unauthorized)
        }
        await throttle.succeed(email: email)
        var first: String?
        for id in try await store.organisationIDs() where try await store.role(email: email, organisationID: id) != nil
        {
            first = id
            break
        }
        guard let organisationID = first else {
            return signInForm(
                message: "\(email) is not a member of any organisation yet: ask an owner to add you (`duly user add`).",
                email: email, status: .forbidden)
        }
        return seeOther("/worklist", cookies: [session(email: email, organisationID: organisationID, now: now)])
    }

    /// A new session cookie: a fresh random part, so a switch or a sign-in never keeps an old CSRF token.
    func session(email: String, organisationID: String, now: Date) -> String {
        let claims = SessionKeys.Claims(
            email: email, organisationID: organisationID,
            expires: Int(now.timeIntervalSince1970 + SessionKeys.lifetime), nonce: SessionKeys.nonce())
        return cookie(SessionKeys.cookieName, keys.seal(claims))
    }

    @Sendable func signOut(_ request: Request, context: WebContext) async throws -> Response {
        _ = try await form(request, context: context)
        return seeOther("/login", cookies: [cookie(SessionKeys.cookieName, "", maxAge: 0)])
    }

    @Sendable func switchOrganisation(_ request: Request, context: WebContext) async throws -> Response {
        let user = try context.require(.viewer)
        let form = try await form(request, context: context)
        guard let id = form["organisation"], try await store.role(email: user.email, organisationID: id) != nil else {
            throw WebError(.forbidden, "You are not a member of that organisation.")
        }
        return seeOther("/worklist", cookies: [session(email: user.email, organisationID: id, now: clock.now)])
    }
}

// What a password is checked against when no user has the address given: made once, at the cost every stored hash
// has.
private let absentHash = Password.hash("no user has this address")
