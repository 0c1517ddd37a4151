import DulyCore
import DulyStore
import Foundation
import Hummingbird
import Testing

@testable import DulyWeb

/// The account page's pause: it shows the pause and its last day, and a collector sets or ends one with its form.
/// Today is 2026-03-20.
struct PauseFormTests {
    @Test func aCollectorPausesTheAccountAndThePageShowsUntilWhen() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let page = try await browser.get("/accounts/C-100")
            #expect(page.body.contains("Not paused"))
            #expect(page.body.contains("action=\"/accounts/C-100/pause\""))
            let answer = try await browser.post(
                "/accounts/C-100/pause",
                ["until": "2026-03-27", "reason": "paid on <b>Friday</b>", "csrf": page.csrf ?? ""])
            #expect(answer.status == .seeOther)
            #expect(answer.headers[.location]?.hasPrefix("/accounts/C-100?logged=") == true)
            let account = try #require(try await fixture.store.account(organisationID: "studio", customerID: "C-100"))
            #expect(account.pause?.until == LocalDate(year: 2026, month: 3, day: 27))
            #expect(account.pause?.requestedBy == "collector@studio.example")
            let after = try await browser.get("/accounts/C-100")
            #expect(after.body.contains("The chase is paused until <strong>2026-03-27</strong>"))
            #expect(after.body.contains("Contact may resume on 2026-03-28"))
            #expect(after.body.contains("paid on &lt;b&gt;Friday&lt;/b&gt;"))
            #expect(after.body.contains("chase paused</span>"))
        }
    }

    @Test func aCollectorEndsThePauseFromTheAccountPage() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let csrf = try await browser.csrf()
            try await browser.post("/accounts/C-100/pause", ["until": "2026-03-27", "reason": "r", "csrf": csrf])
            #expect(try await browser.get("/accounts/C-100").body.contains("End the pause now"))
            let answer = try await browser.post("/accounts/C-100/pause", ["end": "1", "csrf": csrf])
            #expect(answer.status == .seeOther)
            let account = try #require(try await fixture.store.account(organisationID: "studio", customerID: "C-100"))
            #expect(account.pause == nil)
            #expect(try await browser.get("/accounts/C-100").body.contains("Not paused"))
        }
    }

    @Test func aLastDayThatHasPassedIsRefusedNamingTheField() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let answer = try await browser.post(
                "/accounts/C-100/pause", ["until": "2026-03-01", "reason": "r", "csrf": try await browser.csrf()])
            #expect(answer.status == .badRequest)
            #expect(answer.body.contains("until: 2026-03-01 has passed"))
            let account = try #require(try await fixture.store.account(organisationID: "studio", customerID: "C-100"))
            #expect(account.pause == nil)
        }
    }

    @Test func aViewerSeesThePauseFormNowhereAndCannotPause() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("viewer@studio.example")
            #expect(!(try await browser.get("/accounts/C-100").body.contains("/accounts/C-100/pause")))
            let answer = try await browser.post(
                "/accounts/C-100/pause", ["until": "2026-03-27", "reason": "r", "csrf": try await browser.csrf()])
            #expect(answer.status == .forbidden)
        }
    }

    @Test func aPauseWithoutCSRFIsForbiddenAndSetsNothing() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let answer = try await browser.post("/accounts/C-100/pause", ["until": "2026-03-27", "reason": "r"])
            #expect(answer.status == .forbidden)
            let account = try #require(try await fixture.store.account(organisationID: "studio", customerID: "C-100"))
            #expect(account.pause == nil)
        }
    }

    @Test func anotherOrganisationsCustomerCannotBePaused() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            try await browser.signIn("collector@studio.example")
            let answer = try await browser.post(
                "/accounts/C-900/pause", ["until": "2026-03-27", "reason": "r", "csrf": try await browser.csrf()])
            #expect(answer.status == .notFound)
        }
    }
}
