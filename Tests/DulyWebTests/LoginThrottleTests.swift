import Foundation
import Hummingbird
import Testing

@testable import DulyWeb

struct LoginThrottleTests {
    @Test func theSixthAttemptAfterFiveFailuresIsRefusedFor15Minutes() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            for _ in 0..<5 {
                #expect(
                    try await browser.signIn("owner@studio.example", password: "wrong password").status == .unauthorized
                )
            }
            // Even the right password waits: the limit is on attempts, not on failures alone.
            let refused = try await browser.signIn("owner@studio.example")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.body.contains("Try again in 15 minutes."))
        }
    }

    @Test func theAccountOpensAgainOnceTheWindowHasPassed() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            for _ in 0..<5 { try await browser.signIn("owner@studio.example", password: "wrong password") }
            fixture.move(to: "2026-03-20T09:10:00Z")
            #expect(try await browser.signIn("owner@studio.example").body.contains("Try again in 5 minutes."))
            fixture.move(to: "2026-03-20T09:15:01Z")
            #expect(try await browser.signIn("owner@studio.example").status == .seeOther)
        }
    }

    @Test func manyFailuresFromOneAddressAreRefusedWhateverTheAccount() async throws {
        let fixture = try await WebFixture.make()
        try await fixture.test { browser in
            // Four failures for each of five accounts: none reaches its own limit, the address reaches its.
            for email in ["viewer", "collector", "manager", "owner", "both"] {
                for _ in 0..<4 { try await browser.signIn("\(email)@studio.example", password: "wrong password") }
            }
            let refused = try await browser.signIn("collector@studio.example")
            #expect(refused.status == .tooManyRequests)
        }
    }

    @Test func aWaitIsSaidInWholeMinutesRoundedUp() {
        #expect(LoginThrottle.minutes(1) == 1)
        #expect(LoginThrottle.minutes(61) == 2)
        #expect(LoginThrottle.minutes(900) == 15)
    }
}
