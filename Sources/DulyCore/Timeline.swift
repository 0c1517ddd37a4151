import Crypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One event on an account's timeline: append-only, and chained to the entry before it by a SHA-256 hash, so any
/// later edit, insertion or deletion is detectable (docs/PRODUCT.md, "Concepts").
public struct TimelineEntry: Hashable, Sendable, Codable {
    /// Position in the account's chain, from 1.
    public var sequence: Int
    public var customerID: String
    /// The business date the event belongs to (a run's as-of date, a payment's date).
    public var date: LocalDate
    /// When it was recorded, as an RFC 3339 UTC timestamp supplied by the caller (the core reads no clock).
    public var recordedAt: String
    /// `invoice_added`, `payment_recorded`, `action_planned`, `action_cancelled`, …
    public var kind: String
    /// A one-line human summary.
    public var summary: String
    /// Details as string pairs; part of the hash.
    public var details: [String: String]
    /// Hex SHA-256 of the previous entry (64 zeros for the first).
    public var previousHash: String
    /// Hex SHA-256 of `previousHash` and this entry's canonical bytes.
    public var hash: String

    /// The hash before the first entry.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Builds the entry that follows `previous` (nil for the first), computing its hash.
    public init(
        after previous: TimelineEntry?, customerID: String, date: LocalDate, recordedAt: String, kind: String,
        summary: String, details: [String: String] = [:]
    ) {
        self.sequence = (previous?.sequence ?? 0) + 1
        self.customerID = customerID
        self.date = date
        self.recordedAt = recordedAt
        self.kind = kind
        self.summary = summary
        self.details = details
        self.previousHash = previous?.hash ?? TimelineEntry.genesisHash
        self.hash = ""
        self.hash = computedHash()
    }

    /// Restores a stored entry as it is, without recomputing anything (verification does that).
    public init(
        sequence: Int, customerID: String, date: LocalDate, recordedAt: String, kind: String, summary: String,
        details: [String: String], previousHash: String, hash: String
    ) {
        self.sequence = sequence
        self.customerID = customerID
        self.date = date
        self.recordedAt = recordedAt
        self.kind = kind
        self.summary = summary
        self.details = details
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The bytes that are hashed: every field but the hash, in a fixed order, each as a length-prefixed UTF-8
    /// string, details sorted by key. Length prefixes make the encoding unambiguous whatever the text contains.
    public var canonicalBytes: [UInt8] {
        TimelineEntry.canonicalBytes(
            sequence: sequence, customerID: customerID, date: date, recordedAt: recordedAt, kind: kind,
            summary: summary, sortedDetails: TimelineDetail.sorted(details))
    }

    /// SHA-256 over the previous hash's text and the canonical bytes, as lower-case hex.
    public func computedHash() -> String {
        TimelineEntry.hash(previousHash: previousHash, canonicalBytes: canonicalBytes)
    }

    /// Where `event` goes in its chain after `head` (the last entry's sequence and hash; nil for an empty chain): its
    /// sequence, the hash it links to and its own hash, as `init(after:…)` computes them, from the event's details as
    /// they are already sorted. A store appending a hundred thousand entries builds neither the entry nor a
    /// dictionary of its details.
    public static func link(
        _ event: TimelineEvent, after head: (sequence: Int, hash: String)?, recordedAt: String
    ) -> (sequence: Int, previousHash: String, hash: String) {
        let sequence = (head?.sequence ?? 0) + 1
        let previousHash = head?.hash ?? genesisHash
        let bytes = canonicalBytes(
            sequence: sequence, customerID: event.customerID, date: event.date, recordedAt: recordedAt,
            kind: event.kind.rawValue, summary: event.summary, sortedDetails: event.sortedDetails)
        return (sequence, previousHash, hash(previousHash: previousHash, canonicalBytes: bytes))
    }

    private static func canonicalBytes(
        sequence: Int, customerID: String, date: LocalDate, recordedAt: String, kind: String, summary: String,
        sortedDetails: [TimelineDetail]
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        func field(_ text: String) {
            var text = text
            text.withUTF8 { utf8 in
                appendDecimal(utf8.count, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                bytes.append(contentsOf: utf8)
            }
        }
        field("duly-timeline-v1")
        field(String(sequence))
        field(customerID)
        field(date.description)
        field(recordedAt)
        field(kind)
        field(summary)
        for detail in sortedDetails {
            field(detail.key)
            field(detail.value)
        }
        return bytes
    }

    private static func hash(previousHash: String, canonicalBytes: [UInt8]) -> String {
        var hasher = SHA256()
        var previous = previousHash
        previous.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        hasher.update(data: canonicalBytes)
        return Hex.encode(hasher.finalize())
    }
}

/// One of an event's details: a key and its value, both text.
public struct TimelineDetail: Hashable, Sendable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }

    /// A dictionary's details in key order (as Swift compares strings, which is how the hash has always sorted them).
    public static func sorted(_ details: [String: String]) -> [TimelineDetail] {
        details.map { TimelineDetail($0.key, $0.value) }.sorted { $0.key < $1.key }
    }
}

// The decimal digits of a non-negative length, without going through String.
private func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
    if value >= 10 { appendDecimal(value / 10, to: &bytes) }
    bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
}

/// Lower-case hexadecimal, for hashes, keys and signatures.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `bytes` as lower-case hex, two characters a byte.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var characters: [UInt8] = []
        characters.reserveCapacity(64)
        for byte in bytes {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: characters, as: UTF8.self)
    }
}

/// The result of checking a chain.
public enum ChainVerification: Equatable, Sendable {
    case valid(entries: Int)
    /// The first entry that does not hold, and why.
    case broken(sequence: Int, reason: String)
}

/// Checks a timeline chain from its first entry.
public enum TimelineVerifier {
    /// Verifies sequence numbers, links and hashes; names the first entry that fails.
    public static func verify(_ entries: [TimelineEntry]) -> ChainVerification {
        var previousHash = TimelineEntry.genesisHash
        for (offset, entry) in entries.enumerated() {
            let expectedSequence = offset + 1
            if entry.sequence != expectedSequence {
                return .broken(
                    sequence: entry.sequence,
                    reason: "expected entry \(expectedSequence) here: an entry is missing or out of place")
            }
            if entry.previousHash != previousHash {
                return .broken(sequence: entry.sequence, reason: "does not link to the entry before it")
            }
            if entry.computedHash() != entry.hash {
                return .broken(sequence: entry.sequence, reason: "its content does not match its hash: it was altered")
            }
            previousHash = entry.hash
        }
        return .valid(entries: entries.count)
    }
}
