import DulyCore
import Testing

@Suite("Timeline hash chain")
struct TimelineTests {
    private func date(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> LocalDate {
        try #require(LocalDate(iso: text), "'\(text)' is not a valid date", sourceLocation: sourceLocation)
    }

    /// Five entries on one account, each chained to the one before.
    private func chain() throws -> [TimelineEntry] {
        let events: [(String, String, [String: String])] = [
            ("invoice_added", "Invoice INV-1 added", ["number": "INV-1", "total": "EUR 100.00"]),
            ("action_planned", "Reminder planned", ["step": "pre_due_reminder", "invoice": "INV-1"]),
            ("action_sent", "Reminder sent by email", ["step": "pre_due_reminder", "to": "ap@example.com"]),
            ("payment_recorded", "Payment of EUR 40.00", ["payment": "P1", "amount": "EUR 40.00"]),
            ("promise_recorded", "Promise to pay the rest by 2026-03-20", [:]),
        ]
        var entries: [TimelineEntry] = []
        for (offset, (kind, summary, details)) in events.enumerated() {
            entries.append(
                TimelineEntry(
                    after: entries.last, customerID: "C1", date: try date("2026-03-10").adding(days: offset),
                    recordedAt: "2026-03-1\(offset)T09:00:00Z", kind: kind, summary: summary, details: details))
        }
        return entries
    }

    /// A copy of `entry` as stored, with its hash kept as it was.
    private func stored(_ entry: TimelineEntry) -> TimelineEntry {
        TimelineEntry(
            sequence: entry.sequence, customerID: entry.customerID, date: entry.date, recordedAt: entry.recordedAt,
            kind: entry.kind, summary: entry.summary, details: entry.details, previousHash: entry.previousHash,
            hash: entry.hash)
    }

    private func brokenAt(_ verification: ChainVerification) -> Int? {
        guard case .broken(let sequence, _) = verification else { return nil }
        return sequence
    }

    // MARK: - Building

    @Test func theFirstEntryFollowsTheGenesisHash() throws {
        let first = try #require(chain().first)
        #expect(first.sequence == 1)
        #expect(first.previousHash == TimelineEntry.genesisHash)
        #expect(TimelineEntry.genesisHash == String(repeating: "0", count: 64))
    }

    @Test func eachEntryLinksToTheHashOfTheOneBefore() throws {
        let entries = try chain()
        #expect(entries.map(\.sequence) == [1, 2, 3, 4, 5])
        for (previous, next) in zip(entries, entries.dropFirst()) {
            #expect(next.previousHash == previous.hash)
        }
        #expect(Set(entries.map(\.hash)).count == 5)
    }

    @Test func hashesAre64LowerCaseHexCharacters() throws {
        for entry in try chain() {
            #expect(entry.hash.count == 64)
            #expect(entry.hash.allSatisfy { "0123456789abcdef".contains($0) }, "\(entry.hash)")
            #expect(entry.hash == entry.computedHash())
        }
    }

    @Test func theHashOfAKnownEntryNeverChanges() throws {
        // Stored chains are verified against this format for ever: a change here breaks every existing timeline.
        // Expected value computed independently: sha256("0"*64 + "16:duly-timeline-v1" "1:1" "2:C1" …).
        let entry = TimelineEntry(
            after: nil, customerID: "C1", date: try date("2026-03-10"), recordedAt: "2026-03-10T09:00:00Z",
            kind: "invoice_added", summary: "Invoice INV-1 added", details: ["total": "EUR 100.00", "number": "INV-1"])
        #expect(
            String(decoding: entry.canonicalBytes, as: UTF8.self)
                == "16:duly-timeline-v11:12:C110:2026-03-1020:2026-03-10T09:00:00Z13:invoice_added"
                + "19:Invoice INV-1 added6:number5:INV-15:total10:EUR 100.00")
        #expect(entry.hash == "0f395e3b2923696dc23fac4859985f2abbc8f51d4d2b51443082a930b7cc0ee1")
    }

    // MARK: - Canonical bytes

    @Test func lengthPrefixesKeepKeysAndValuesApart() throws {
        let day = try date("2026-03-10")
        let split = TimelineEntry(
            after: nil, customerID: "C1", date: day, recordedAt: "t", kind: "k", summary: "s", details: ["a": "b:c"])
        let joined = TimelineEntry(
            after: nil, customerID: "C1", date: day, recordedAt: "t", kind: "k", summary: "s", details: ["a:b": "c"])
        #expect(split.canonicalBytes != joined.canonicalBytes)
        #expect(split.hash != joined.hash)
        #expect(String(decoding: split.canonicalBytes, as: UTF8.self).hasSuffix("1:a3:b:c"))
        #expect(String(decoding: joined.canonicalBytes, as: UTF8.self).hasSuffix("3:a:b1:c"))
    }

    @Test func movingTextBetweenFieldsChangesTheHash() throws {
        let day = try date("2026-03-10")
        let one = TimelineEntry(after: nil, customerID: "C1", date: day, recordedAt: "t", kind: "ab", summary: "c")
        let two = TimelineEntry(after: nil, customerID: "C1", date: day, recordedAt: "t", kind: "a", summary: "bc")
        #expect(one.hash != two.hash)
    }

    @Test func lengthPrefixesCountUTF8BytesNotCharacters() throws {
        let entry = TimelineEntry(
            after: nil, customerID: "C1", date: try date("2026-03-10"), recordedAt: "t", kind: "k",
            summary: "Mahnung für Müller – 100 €")
        #expect(String(decoding: entry.canonicalBytes, as: UTF8.self).hasSuffix("32:Mahnung für Müller – 100 €"))
    }

    @Test func detailsAreHashedInKeyOrderWhateverOrderTheyWereGivenIn() throws {
        let day = try date("2026-03-10")
        var details: [String: String] = [:]
        for key in ["z", "a", "m", "b"] { details[key] = key.uppercased() }
        let entry = TimelineEntry(
            after: nil, customerID: "C1", date: day, recordedAt: "t", kind: "k", summary: "s", details: details)
        #expect(String(decoding: entry.canonicalBytes, as: UTF8.self).hasSuffix("1:a1:A1:b1:B1:m1:M1:z1:Z"))
    }

    // MARK: - Appending an event

    @Test func anEventAppendedIsHashedAsTheEntryBuiltFromItWouldBe() throws {
        let previous = try #require(try chain().last)
        var details: [String: String] = [:]
        for key in ["to", "action", "status", "by"] { details[key] = "\(key) value" }
        let event = TimelineEvent(
            customerID: "C1", date: try date("2026-03-16"), kind: .actionSent, summary: "Action 7 sent",
            details: details)
        let entry = TimelineEntry(
            after: previous, customerID: event.customerID, date: event.date, recordedAt: "2026-03-16T09:00:00Z",
            kind: event.kind.rawValue, summary: event.summary, details: event.details)
        let link = TimelineEntry.link(
            event, after: (previous.sequence, previous.hash), recordedAt: "2026-03-16T09:00:00Z")
        #expect(link.sequence == entry.sequence)
        #expect(link.previousHash == previous.hash)
        #expect(link.hash == entry.hash)
        #expect(event.sortedDetails.map(\.key) == ["action", "by", "status", "to"])
    }

    @Test func aPlannedActionsEntryNamesItsDetailsInKeyOrderAndHashesAsADictionaryWould() throws {
        let day = try date("2026-03-16")
        let action = PlannedAction(
            customerID: "C1", date: day, channel: .email, stage: .delayed, stepID: "second_follow_up",
            template: "second_follow_up", requiresApproval: false, escalatesTo: nil,
            steps: [
                InvoiceStep(invoiceNumber: "INV-2", stepID: "second_follow_up"),
                InvoiceStep(invoiceNumber: "INV-3", stepID: "first_follow_up"),
            ],
            status: .planned, idempotencyKey: "k-1")
        let event = TimelineEvent.actionPlanned(action, id: 42)
        #expect(event.sortedDetails.map(\.key) == event.details.keys.sorted())
        #expect(event.details["invoices"] == "INV-2,INV-3")
        #expect(event.details["action"] == "42")
        let fromDictionary = TimelineEntry(
            after: nil, customerID: "C1", date: day, recordedAt: "2026-03-16T09:00:00Z", kind: event.kind.rawValue,
            summary: event.summary, details: event.details)
        let link = TimelineEntry.link(event, after: nil, recordedAt: "2026-03-16T09:00:00Z")
        #expect(link.sequence == 1)
        #expect(link.previousHash == TimelineEntry.genesisHash)
        #expect(link.hash == fromDictionary.hash)
    }

    @Test func changingAnEventsDetailsKeepsThemInKeyOrder() throws {
        var event = TimelineEvent(
            customerID: "C1", date: try date("2026-03-16"), kind: .actionSent, summary: "s", details: ["m": "1"])
        event.details["z"] = "2"
        event.details["a"] = "3"
        #expect(event.sortedDetails == [TimelineDetail("a", "3"), TimelineDetail("m", "1"), TimelineDetail("z", "2")])
    }

    // MARK: - Verification

    @Test func anUntouchedChainOfFiveVerifies() throws {
        let entries = try chain().map(stored)
        #expect(TimelineVerifier.verify(entries) == .valid(entries: 5))
    }

    @Test func anEmptyChainIsValid() {
        #expect(TimelineVerifier.verify([]) == .valid(entries: 0))
    }

    @Test func alteringASummaryBreaksTheChainAtThatEntry() throws {
        var entries = try chain().map(stored)
        entries[2].summary = "Reminder sent by letter"
        let result = TimelineVerifier.verify(entries)
        #expect(brokenAt(result) == 3)
        guard case .broken(_, let reason) = result else { return }
        #expect(reason.contains("altered"))
    }

    @Test func alteringADetailValueBreaksTheChainAtThatEntry() throws {
        var entries = try chain().map(stored)
        entries[3].details["amount"] = "EUR 400.00"
        #expect(brokenAt(TimelineVerifier.verify(entries)) == 4)
    }

    @Test func addingADetailBreaksTheChainAtThatEntry() throws {
        var entries = try chain().map(stored)
        entries[4].details["note"] = "added later"
        #expect(brokenAt(TimelineVerifier.verify(entries)) == 5)
    }

    @Test(arguments: ["customerID", "recordedAt", "kind"])
    func alteringAnyOtherFieldBreaksTheChainAtThatEntry(field: String) throws {
        var entries = try chain().map(stored)
        switch field {
        case "customerID": entries[1].customerID = "C2"
        case "recordedAt": entries[1].recordedAt = "2026-03-11T09:00:01Z"
        default: entries[1].kind = "action_cancelled"
        }
        #expect(brokenAt(TimelineVerifier.verify(entries)) == 2)
    }

    @Test func alteringADateBreaksTheChainAtThatEntry() throws {
        var entries = try chain().map(stored)
        entries[0].date = try date("2026-03-01")
        #expect(brokenAt(TimelineVerifier.verify(entries)) == 1)
    }

    @Test func alteringAnEntryAndRehashingItBreaksTheChainAtTheNextEntry() throws {
        // Given an edit whose author also recomputed that entry's hash
        var entries = try chain().map(stored)
        entries[1].summary = "Nothing planned"
        entries[1].hash = entries[1].computedHash()
        // Then the entry itself holds, but the next one no longer links to it
        let result = TimelineVerifier.verify(entries)
        #expect(brokenAt(result) == 3)
        guard case .broken(_, let reason) = result else { return }
        #expect(reason.contains("does not link"))
    }

    @Test func reorderingEntriesBreaksTheChainWhereTheOrderFirstDiffers() throws {
        var entries = try chain().map(stored)
        entries.swapAt(1, 2)
        let result = TimelineVerifier.verify(entries)
        // The entry numbered 3 stands where entry 2 belongs
        #expect(brokenAt(result) == 3)
        guard case .broken(_, let reason) = result else { return }
        #expect(reason.contains("expected entry 2"))
    }

    @Test func deletingTheMiddleEntryBreaksTheChainAtTheEntryAfterIt() throws {
        var entries = try chain().map(stored)
        entries.remove(at: 2)
        let result = TimelineVerifier.verify(entries)
        #expect(brokenAt(result) == 4)
        guard case .broken(_, let reason) = result else { return }
        #expect(reason.contains("expected entry 3"))
    }

    @Test func deletingTheMiddleEntryAndRenumberingBreaksTheLink() throws {
        var entries = try chain().map(stored)
        entries.remove(at: 2)
        entries[2].sequence = 3
        entries[3].sequence = 4
        #expect(brokenAt(TimelineVerifier.verify(entries)) == 3)
    }

    @Test func deletingTheFirstEntryBreaksTheChainAtTheStart() throws {
        let entries = Array(try chain().map(stored).dropFirst())
        #expect(brokenAt(TimelineVerifier.verify(entries)) == 2)
    }

    @Test func truncatingTheEndIsNotDetectableFromTheEntriesAlone() throws {
        // What the chain proves: nothing was changed, inserted or removed before the last entry. Its length is
        // checked against the stored count elsewhere.
        let entries = Array(try chain().map(stored).prefix(3))
        #expect(TimelineVerifier.verify(entries) == .valid(entries: 3))
    }

    @Test(arguments: [0, 2, 4])
    func changingAPreviousHashBreaksTheChainAtThatEntry(index: Int) throws {
        var entries = try chain().map(stored)
        entries[index].previousHash = String(repeating: "f", count: 64)
        let result = TimelineVerifier.verify(entries)
        #expect(brokenAt(result) == index + 1)
        guard case .broken(_, let reason) = result else { return }
        #expect(reason.contains("does not link"))
    }

    @Test func changingAStoredHashBreaksTheChainAtThatEntry() throws {
        var entries = try chain().map(stored)
        entries[4].hash = String(repeating: "a", count: 64)
        #expect(brokenAt(TimelineVerifier.verify(entries)) == 5)
    }

    @Test func insertingAnEntryBreaksTheChain() throws {
        var entries = try chain().map(stored)
        let forged = TimelineEntry(
            after: entries[1], customerID: "C1", date: try date("2026-03-11"), recordedAt: "2026-03-11T10:00:00Z",
            kind: "note", summary: "forged")
        entries.insert(forged, at: 2)
        // The forged entry takes number 3 legitimately; the old entry 3 now stands where 4 belongs
        #expect(brokenAt(TimelineVerifier.verify(entries)) == 3)
    }
}
