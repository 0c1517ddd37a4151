import DulyStore
import Foundation
import Testing
import ZIPFoundation

@testable import DulyServer

@Suite struct EvidenceRouteTests {
    /// The zip's entries by path.
    static func entries(_ body: [UInt8]) throws -> [String: [UInt8]] {
        let archive = try Archive(data: Data(body), accessMode: .read)
        var found: [String: [UInt8]] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            found[entry.path] = Array(data)
        }
        return found
    }

    @Test func thePackIsAZipDownloadNamedForTheCustomerAndTheDay() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.get, "/api/v1/customers/C-100/evidence", token: server.tokens[.viewer]!)
            #expect(answer.status == .ok)
            #expect(answer.contentType == "application/zip")
            #expect(answer.headers[.contentDisposition] == #"attachment; filename="evidence-C-100-2026-03-20.zip""#)
            #expect(answer.headers[.timelineVerification] == "intact")
            let entries = try Self.entries(answer.body)
            for path in ["manifest.json", "index.html", "SHA256SUMS", "timeline/timeline.jsonl", "timeline/VERIFY.txt"]
            {
                #expect(entries[path] != nil, "\(path) is missing")
            }
            // Studio is Dutch and INV-100 is late: the pack claims the statutory interest, as `duly evidence` does.
            #expect(entries.keys.contains { $0.hasPrefix("interest/") })
        }
    }

    @Test func thePackOfOneDayIsTheSameBytesEachTime() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let first = try await client.call(.get, "/api/v1/customers/C-100/evidence", token: server.tokens[.viewer]!)
            let second = try await client.call(.get, "/api/v1/customers/C-100/evidence", token: server.tokens[.viewer]!)
            #expect(first.body == second.body)
        }
    }

    @Test func aBrokenChainIsSaidInAHeaderAndThePackStillRecordsIt() async throws {
        let server = try await TestServer.make()
        try await server.alterTimelineEntry(1)
        try await server.test { client in
            let answer = try await client.call(.get, "/api/v1/customers/C-100/evidence", token: server.tokens[.viewer]!)
            #expect(answer.status == .ok)
            #expect(answer.headers[.timelineVerification] == "broken at entry 1")
            let verify = try #require(try Self.entries(answer.body)["timeline/VERIFY.txt"])
            #expect(String(decoding: verify, as: UTF8.self).contains("1"))
        }
    }

    @Test func anotherOrganisationsCustomerHasNoPackHere() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(.get, "/api/v1/customers/C-900/evidence", token: server.tokens[.viewer]!)
            #expect(answer.status == .notFound)
            #expect(answer.isProblem)
            #expect(answer["detail"] == "no customer 'C-900' in this organisation")
        }
    }

    @Test func aBadDateIsRefusedNamingIt() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let answer = try await client.call(
                .get, "/api/v1/customers/C-100/evidence?as_of=yesterday", token: server.tokens[.viewer]!)
            #expect(answer.status == .badRequest)
            #expect(answer["field"] == "as_of")
        }
    }
}
