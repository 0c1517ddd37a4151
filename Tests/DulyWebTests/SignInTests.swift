import DulyStore
import Foundation
import Hummingbird
import Testing

@testable import DulyWeb

struct SignInTests {
    @Test func theRightPasswordOpensTheWorklist() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            let answer = try await browser.signIn("collector@studio.example")
            #expect(answer.status == .seeOther)
            #expect(answer.headers[.location] == "/worklist")
            let worklist = try await browser.get("/worklist")
            #expect(worklist.status == .ok)
            #expect(worklist.body.contains("Worklist for 2026-03-20"))
        }
    }

    @Test func aWrongPasswordIsRefusedWithAPlainSentence() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            let answer = try await browser.signIn("collector@studio.example", password: "not the password")
            #expect(answer.status == .unauthorized)
            #expect(answer.body.contains("That email address and password do not match"))
            #expect(try await browser.get("/worklist").status == .seeOther)
        }
    }

    @Test func withoutASessionAPageSendsToSignIn() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            let answer = try await browser.get("/approvals")
            #expect(answer.status == .seeOther)
            #expect(answer.headers[.location] == "/login")
        }
    }

    @Test func aBrowserAtTheRootIsSentToTheWorklistAndAnIntegrationGetsTheDocumentedJSON() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            let html = try await browser.client.execute(
                uri: "/", method: .get, headers: [.accept: "text/html,application/xhtml+xml,*/*;q=0.8"]
            ) { ($0.status, $0.headers[.location]) }
            #expect(html.0 == .seeOther)
            #expect(html.1 == "/worklist")
            let json = try await browser.client.execute(uri: "/", method: .get, headers: [.accept: "*/*"]) {
                ($0.status, $0.headers[.contentType])
            }
            #expect(json.0 == .ok)
            #expect(json.1 == "application/json")
        }
    }

    @Test func aSignInWithoutItsCSRFTokenIsForbidden() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.get("/login")
            let answer = try await browser.post(
                "/login", ["email": "collector@studio.example", "password": WebFixture.password])
            #expect(answer.status == .forbidden)
            #expect(try await browser.get("/worklist").status == .seeOther)
        }
    }

    @Test func theSessionCookieIsHttpOnlyAndSameSiteLaxAndNotSecureOverPlainHTTP() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            let answer = try await browser.signIn("collector@studio.example")
            let cookie = try #require(answer.setCookies.first { $0.hasPrefix("duly_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"))
        }
    }

    @Test func theSessionCookieIsSecureWhenThePublicURLIsHTTPS() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test(publicURL: "https://duly.example") { browser in
            let answer = try await browser.signIn("collector@studio.example")
            let cookie = try #require(answer.setCookies.first { $0.hasPrefix("duly_session=") })
            #expect(cookie.contains("; Secure"))
        }
    }

    @Test func aTamperedSessionCookieOpensNothing() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            let answer = try await browser.signIn("viewer@studio.example")
            let cookie = try #require(answer.setCookies.first { $0.hasPrefix("duly_session=") })
            let value = String(cookie.split(separator: ";")[0].dropFirst("duly_session=".count))
            let parts = value.split(separator: ".")
            // The same signature over claims that name the owner.
            let forged = SessionKeys.Claims(
                email: "owner@studio.example", organisationID: "studio", expires: 2_000_000_000, nonce: "x")
            let payload = String(decoding: try JSONEncoder().encode(forged), as: UTF8.self)
            let page = try await browser.client.execute(
                uri: "/worklist", method: .get,
                headers: [.cookie: "duly_session=\(Base64URLForTests.encode(payload)).\(parts[1])"]
            ) { $0.status }
            #expect(page == .seeOther)
        }
    }

    @Test func everyPageForbidsInlineScriptAndFraming() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("owner@studio.example")
            for path in ["/login", "/worklist", "/approvals", "/accounts/C-100"] {
                let page = try await browser.get(path)
                let policy = try #require(page.headers[.contentSecurityPolicy], "\(path)")
                #expect(policy.contains("default-src 'none'"))
                #expect(!policy.contains("script-src"))
                #expect(!policy.contains("unsafe-inline"))
                #expect(policy.contains("frame-ancestors 'none'"))
                #expect(!page.body.contains("<script"))
            }
        }
    }

    @Test func signingOutEndsTheSession() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("viewer@studio.example")
            let answer = try await browser.post("/logout", ["csrf": try await browser.csrf()])
            #expect(answer.headers[.location] == "/login")
            #expect(try await browser.get("/worklist").status == .seeOther)
        }
    }

    @Test func aMemberOfTwoOrganisationsSwitchesBetweenThem() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            // Signed in to the first of their organisations by id: `other`
            try await browser.signIn("both@studio.example")
            let before = try await browser.get("/worklist")
            #expect(before.body.contains(#"<option value="other" selected>other</option>"#))
            #expect(try await browser.get("/accounts/C-100").status == .notFound)
            let answer = try await browser.post("/organisation", ["organisation": "studio", "csrf": before.csrf ?? ""])
            #expect(answer.status == .seeOther)
            let after = try await browser.get("/accounts/C-100")
            #expect(after.status == .ok)
            #expect(after.body.contains(#"<option value="studio" selected>studio</option>"#))
            #expect(try await browser.get("/accounts/C-900").status == .notFound)
        }
    }

    @Test func switchingToAnOrganisationOneIsNotAMemberOfIsForbidden() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let answer = try await browser.post(
                "/organisation", ["organisation": "other", "csrf": try await browser.csrf()])
            #expect(answer.status == .forbidden)
        }
    }
}

/// The test's own base64url, so a forged cookie is made without the code under test.
enum Base64URLForTests {
    static func encode(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
