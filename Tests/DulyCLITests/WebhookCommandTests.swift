import Foundation
import Testing

/// The test receiver (Support/webhook_receiver.py): it checks each signature with Python's hmac, on its own.
private final class WebhookReceiver {
    let server: LoopbackServer
    let log: URL

    init(secret: String, failFirst: Int = 0) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("duly-hooks-\(UUID().uuidString).jsonl")
        server = try LoopbackServer(
            script: "DulyCLITests/Support/webhook_receiver.py",
            arguments: [secret, log.path] + (failFirst > 0 ? ["--fail-first", String(failFirst)] : []))
    }

    var url: String { "http://127.0.0.1:\(server.port)/hooks" }

    /// Every request so far, in order.
    func received() throws -> [[String: Any]] {
        guard let data = FileManager.default.contents(atPath: log.path) else { return [] }
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(at: log)
    }
}

@Suite("Webhooks out, signed and retried")
struct WebhookCommandTests {
    static let secret = "whsec_test_0123456789abcdef"
    static let environment = ["DULY_TEST_WEBHOOK_SECRET": secret]

    private func initialise(_ duly: DulyProcess, org: String = "default") throws {
        let outcome = try duly.run([
            "init", "--org", org, "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone",
            "Europe/Amsterdam", "--from-address", "ar@studio.example", "--payment-instructions", "IBAN NL91",
        ])
        try #require(outcome.status == 0, "\(outcome.errors)")
    }

    private func subscribe(
        _ duly: DulyProcess, _ receiver: WebhookReceiver, events: String = "all", org: String = "default"
    )
        throws
    {
        let added = try duly.run(
            [
                "webhooks", "add", receiver.url, "--events", events, "--secret-env", "DULY_TEST_WEBHOOK_SECRET",
                "--org", org,
            ], environment: Self.environment)
        try #require(added.status == 0, "\(added.errors)")
        #expect(!added.output.contains(Self.secret))
    }

    private func importLedger(_ duly: DulyProcess, org: String = "default") throws {
        let customers = try duly.write(
            "c.csv",
            "customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email\n"
                + "C1,Acme,ap@acme.example,,NL,en,Europe/Amsterdam,Ann,\n"
                + "C2,Bolt,ap@bolt.example,,NL,en,Europe/Amsterdam,Bo,\n")
        let invoices = try duly.write(
            "i.csv",
            "invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number\n"
                + "INV-1,C1,2026-01-21,2026-02-20,EUR,100.00,net 30,\n"
                + "INV-2,C2,2026-03-01,2026-03-31,EUR,80.00,net 30,\n")
        let payments = try duly.write(
            "p.csv",
            "payment_id,customer_id,date,currency,amount,reference,invoice_number\n"
                + "P1,C2,2026-03-05,EUR,50.00,INV-2,INV-2\n")
        for (kind, file) in [("customers", customers), ("invoices", invoices), ("payments", payments)] {
            let outcome = try duly.run(["import", kind, file, "--org", org])
            try #require(outcome.status == 0, "\(outcome.errors)")
        }
    }

    private func bodies(_ requests: [[String: Any]], type: String) -> [[String: Any]] {
        requests.compactMap { $0["body"] as? [String: Any] }.filter { $0["type"] as? String == type }
    }

    private func data(_ body: [String: Any]) -> [String: Any] { body["data"] as? [String: Any] ?? [:] }

    @Test func eventsArriveSignedWithTheirDataAndStageChangesOnce() throws {
        // Given a subscriber to everything, a ledger, a collection day and the mail it planned sent
        let duly = try DulyProcess()
        let receiver = try WebhookReceiver(secret: Self.secret)
        try initialise(duly)
        try subscribe(duly, receiver)
        try importLedger(duly)
        let run = try duly.run(["run", "--as-of", "2026-03-09"])
        try #require(run.status == 0, "\(run.errors)")
        let sent = try duly.run(["deliver", "--as-of", "2026-03-09"])
        try #require(sent.status == 0, "\(sent.errors)")

        // When the webhooks are delivered
        let delivered = try duly.run(["webhooks", "deliver", "--now", "1773050000"])

        // Then every request carries a signature Python's hmac accepts, and the events say what happened
        #expect(delivered.status == 0, "\(delivered.errors)")
        let requests = try receiver.received()
        #expect(delivered.output.contains("\(requests.count) delivered"), "\(delivered.output)")
        #expect(!requests.isEmpty)
        for request in requests {
            #expect(request["verified"] as? Bool == true)
            #expect(request["timestamp"] as? Int == 1_773_050_000)
            #expect(request["content_type"] as? String == "application/json")
            let body = try #require(request["body"] as? [String: Any])
            #expect(request["event_id"] as? String == body["id"] as? String)
            #expect(request["event_type"] as? String == body["type"] as? String)
            #expect((body["id"] as? String)?.hasPrefix("evt_") == true)
            #expect(body["organisation"] as? String == "default")
        }
        let types = Set(requests.compactMap { ($0["body"] as? [String: Any])?["type"] as? String })
        for type in [
            "customer.created", "invoice.created", "payment.received", "invoice.stage_changed", "action.planned",
            "action.sent",
        ] {
            #expect(types.contains(type), "\(type) in \(types)")
        }
        let payment = try #require(bodies(requests, type: "payment.received").first)
        #expect(payment["customer_id"] as? String == "C2")
        #expect(payment["occurred_on"] as? String == "2026-03-05")
        #expect((data(payment)["amount"] as? [String: String]) == ["value": "50.00", "currency": "EUR"])
        let allocation = try #require((data(payment)["allocations"] as? [[String: Any]])?.first)
        #expect(allocation["invoice_number"] as? String == "INV-2")
        #expect((allocation["amount"] as? [String: String])?["value"] == "50.00")
        let stages = bodies(requests, type: "invoice.stage_changed").map(data)
        #expect(stages.count == 2)
        let first = try #require(stages.first { $0["invoice_number"] as? String == "INV-1" })
        #expect(first["stage"] as? String == "delayed")
        #expect(first["previous_stage"] is NSNull)
        #expect(stages.first { $0["invoice_number"] as? String == "INV-2" }?["stage"] as? String == "pre_due")
        let action = try #require(bodies(requests, type: "action.sent").first)
        #expect(data(action)["invoices"] as? [String] == ["INV-1"])
        #expect(data(action)["channel"] as? String == "email")

        // When the same day runs again, then a day after INV-2's due date
        _ = try duly.run(["run", "--as-of", "2026-03-09"])
        #expect(try duly.run(["webhooks", "deliver", "--now", "1773050100"]).output.contains("0 delivered"))
        _ = try duly.run(["run", "--as-of", "2026-04-06"])
        _ = try duly.run(["webhooks", "deliver", "--now", "1775450000"])

        // Then INV-2's move to delayed is announced once, after the first announcement
        let later = try receiver.received().dropFirst(requests.count)
        let moves = bodies(Array(later), type: "invoice.stage_changed").map(data).filter {
            $0["invoice_number"] as? String == "INV-2"
        }
        #expect(moves.count == 1)
        #expect(moves.first?["previous_stage"] as? String == "pre_due")
        #expect(moves.first?["stage"] as? String == "delayed")
        #expect(later.allSatisfy { $0["verified"] as? Bool == true })
    }

    @Test func aFailingReceiverIsRetriedWithBackoffAndTheLogShowsEachAttempt() throws {
        // Given a receiver that answers 500 twice and a subscriber to customer.created only
        let duly = try DulyProcess()
        let receiver = try WebhookReceiver(secret: Self.secret, failFirst: 2)
        try initialise(duly)
        try subscribe(duly, receiver, events: "customer.created")
        let customers = try duly.write(
            "c.csv",
            "customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email\n"
                + "C1,Acme,ap@acme.example,,NL,en,Europe/Amsterdam,Ann,\n")
        try #require(try duly.run(["import", "customers", customers]).status == 0)

        func log() throws -> [[String: Any]] {
            try duly.run(["webhooks", "log", "--json"]).lines.map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
        }

        // When the deliverer runs at T, again before the retry is due, then whenever the next one is due
        let start = 1_773_000_000
        #expect(try duly.run(["webhooks", "deliver", "--now", String(start)]).output.contains("1 to retry"))
        let firstRetry = try #require(try log().last?["next_attempt_at"] as? Int)
        #expect((start + 60...start + 66).contains(firstRetry), "\(firstRetry)")
        #expect(try duly.run(["webhooks", "deliver", "--now", String(firstRetry - 1)]).output.contains("0 delivered"))
        #expect(try receiver.received().count == 1)
        _ = try duly.run(["webhooks", "deliver", "--now", String(firstRetry)])
        let secondRetry = try #require(try log().last?["next_attempt_at"] as? Int)
        #expect((firstRetry + 120...firstRetry + 132).contains(secondRetry), "\(secondRetry)")
        let last = try duly.run(["webhooks", "deliver", "--now", String(secondRetry)])
        #expect(last.output.contains("1 delivered"), "\(last.output)")

        // Then the receiver saw one event three times, and the log shows the three attempts
        let requests = try receiver.received()
        #expect(requests.map { $0["status"] as? Int } == [500, 500, 200])
        #expect(Set(requests.compactMap { $0["event_id"] as? String }).count == 1)
        #expect(requests.allSatisfy { $0["verified"] as? Bool == true })
        let attempts = try log()
        #expect(attempts.map { $0["attempt"] as? Int } == [1, 2, 3])
        #expect(attempts.map { $0["status_code"] as? Int } == [500, 500, 200])
        #expect(attempts.map { $0["attempted_at"] as? Int } == [start, firstRetry, secondRetry])
        #expect(attempts.map { $0["next_attempt_at"] as? Int } == [firstRetry, secondRetry, nil])
        #expect(attempts.last?["state"] as? String == "delivered")
        #expect(try duly.run(["webhooks", "log"]).output.contains("delivered"))
    }

    @Test func aReplaySendsTheSameEventIdAgainAndTheLogSaysSo() throws {
        let duly = try DulyProcess()
        let receiver = try WebhookReceiver(secret: Self.secret)
        try initialise(duly)
        try subscribe(duly, receiver, events: "customer.created,invoice.created")
        try importLedger(duly)
        _ = try duly.run(["webhooks", "deliver", "--now", "1773000000"])
        let first = try #require(try receiver.received().first)
        let eventID = try #require(first["event_id"] as? String)

        // When the event is replayed and delivered
        let replay = try duly.run(["webhooks", "replay", eventID])
        #expect(replay.status == 0, "\(replay.errors)")
        #expect(replay.output.contains("1 subscriber"))
        _ = try duly.run(["webhooks", "deliver", "--now", "1773000100"])

        // Then the receiver got the same id (and body) again, flagged as a replay, and the log shows it
        let again = try #require(try receiver.received().last)
        #expect(again["event_id"] as? String == eventID)
        #expect(again["replay"] as? Bool == true)
        #expect(again["verified"] as? Bool == true)
        #expect(
            (again["body"] as? NSDictionary)?.isEqual(to: first["body"] as? [String: Any] ?? [:]) == true)
        let log = try duly.run(["webhooks", "log", "--event", eventID, "--json"]).lines
        #expect(log.count == 2)
        #expect(log.last?.contains("\"replay\":true") == true)
        #expect(try duly.run(["webhooks", "log", "--event", eventID]).output.contains("(replay)"))
        #expect(try duly.run(["webhooks", "replay", "evt_999999"]).status != 0)
    }

    @Test func anotherOrganisationsSubscriberGetsNothing() throws {
        // Given two organisations, each with its own receiver
        let duly = try DulyProcess()
        let ours = try WebhookReceiver(secret: Self.secret)
        let theirs = try WebhookReceiver(secret: Self.secret)
        try initialise(duly, org: "ours")
        try initialise(duly, org: "theirs")
        try subscribe(duly, ours, org: "ours")
        try subscribe(duly, theirs, org: "theirs")

        // When only "ours" imports a ledger and both deliver
        try importLedger(duly, org: "ours")
        _ = try duly.run(["run", "--as-of", "2026-03-09", "--org", "ours"])
        for org in ["ours", "theirs"] {
            #expect(try duly.run(["webhooks", "deliver", "--now", "1773000000", "--org", org]).status == 0)
        }

        // Then "theirs" heard nothing, and "ours" only its own organisation's events
        #expect(try theirs.received().isEmpty)
        let received = try ours.received()
        #expect(!received.isEmpty)
        #expect(received.allSatisfy { ($0["body"] as? [String: Any])?["organisation"] as? String == "ours" })
        #expect(try duly.run(["webhooks", "log", "--org", "theirs"]).output.contains("No webhook deliveries"))
    }

    @Test func subscribersAreAddedListedAndRemovedAndAMadeUpSecretIsShownOnce() throws {
        let duly = try DulyProcess()
        try initialise(duly)
        let added = try duly.run(["webhooks", "add", "https://hooks.example/duly", "--events", "all", "--json"])
        #expect(added.status == 0, "\(added.errors)")
        let subscriber = try #require(
            try JSONSerialization.jsonObject(with: Data(added.output.utf8)) as? [String: Any])
        #expect((subscriber["secret"] as? String)?.hasPrefix("whsec_") == true)
        let secret = try #require(subscriber["secret"] as? String)
        let listed = try duly.run(["webhooks", "list", "--json"])
        #expect(listed.output.contains("https://hooks.example/duly"))
        #expect(!listed.output.contains(secret))
        #expect(try duly.run(["webhooks", "add", "ftp://hooks.example"]).status != 0)
        #expect(try duly.run(["webhooks", "add", "http://localhost:1/x", "--events", "invoice.paid"]).status != 0)
        let id = try #require(subscriber["id"] as? Int)
        #expect(try duly.run(["webhooks", "remove", String(id)]).status == 0)
        #expect(try duly.run(["webhooks", "remove", String(id)]).status != 0)
        #expect(try duly.run(["webhooks", "list"]).output.contains("No webhook subscribers"))
    }
}
