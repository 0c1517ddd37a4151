import Crypto
import DulyCore
import DulyStore
import Foundation

/// An account's evidence pack: the files that go into one zip, built from the records without I/O or a clock, so
/// that what an agency or a court receives can be tested byte for byte.
///
/// The timeline is verified first with the core's `TimelineVerifier`. A broken chain still makes a pack (the
/// evidence of tampering matters): the manifest, `timeline/VERIFY.txt` and the index then say BROKEN and name the
/// first bad entry.
///
/// Layout, format version 1 (also described in `manifest.json` under `layout`):
///
/// | path | what it is |
/// |---|---|
/// | `manifest.json` | machine-readable summary: organisation, customer and contacts, invoices, commitments, call notes, communications, every file with its SHA-256 and size, the chain's verification and head, counts |
/// | `index.html` | the same for a person, self-contained (no scripts, no external assets), text escaped |
/// | `SHA256SUMS` | every other file's SHA-256, in `sha256sum -c` format |
/// | `timeline/timeline.jsonl` | one JSON object per timeline entry, every field that goes into its hash |
/// | `timeline/VERIFY.txt` | the hash formula in words, to re-check the chain by hand, and the result |
/// | `communications/NNNN-<message-id>.eml` | an email exactly as sent, headers included (`.html` for a letter, `.txt` for a text message) |
/// | `interest/interest.json` | the statutory interest computation, only when one was supplied |
/// | `documents/<invoice>-<file>` | a file kept with an invoice (the UBL XML it was imported from), byte for byte |
///
/// Amounts are decimal strings beside an ISO 4217 code, dates ISO 8601 (`YYYY-MM-DD`), timestamps RFC 3339.
/// The manifest lists the documents under `documents` with their SHA-256, and the index shows them.
public struct EvidencePack: Sendable {
    /// One file of the pack.
    public struct File: Sendable, Equatable {
        /// The path inside the zip, `/`-separated.
        public var path: String
        public var bytes: [UInt8]
        public var mediaType: String
        /// What the file is, in a few words.
        public var description: String

        public init(path: String, bytes: [UInt8], mediaType: String, description: String) {
            self.path = path
            self.bytes = bytes
            self.mediaType = mediaType
            self.description = description
        }

        /// Lower-case hex SHA-256 of the bytes.
        public var sha256: String { Hex.encode(SHA256.hash(data: bytes)) }
    }

    /// The version of this layout; a reader should refuse a version it does not know.
    public static let formatVersion = 1

    /// The files in the order they go into the zip: manifest, index, checksums, timeline, communications, interest.
    public let files: [File]
    /// The result of verifying the timeline before export.
    public let verification: ChainVerification
    /// The hash of the last timeline entry as stored (nil for an empty timeline).
    public let chainHead: String?

    /// Builds the pack.
    /// - Parameters:
    ///   - generatedFor: the day the pack speaks for (`--as-of`).
    ///   - generatedAt: when it was made, RFC 3339 UTC, supplied by the caller.
    ///   - generatorVersion: the version of Duly that made it, when known.
    public init(
        records: EvidenceRecords, generatedFor: LocalDate, generatedAt: String, generatorVersion: String? = nil
    ) throws {
        let verification = TimelineVerifier.verify(records.timeline)
        self.verification = verification
        self.chainHead = records.timeline.last?.hash

        let messages = EvidencePack.communicationFiles(records.communications)
        var contents: [File] = []
        contents.append(
            File(
                path: EvidencePack.timelinePath, bytes: try EvidencePack.timelineLines(records.timeline),
                mediaType: "application/x-ndjson",
                description: "The timeline: one JSON object per entry, every field that goes into its hash"))
        contents.append(
            File(
                path: EvidencePack.verifyPath,
                bytes: Array(EvidencePack.verifyText(records, verification: verification).utf8),
                mediaType: "text/plain; charset=utf-8",
                description: "How to re-check the hash chain by hand, and the result of the check"))
        contents += messages.compactMap(\.file)
        if let interest = records.interest {
            contents.append(
                File(
                    path: EvidencePack.interestPath, bytes: try EvidencePack.interestJSON(interest),
                    mediaType: "application/json", description: "The statutory interest and compensation claimed"))
        }

        let documents = EvidencePack.documentFiles(records.documents)
        contents += documents

        var manifest = Manifest(
            records: records, messages: messages, verification: verification, generatedFor: generatedFor,
            generatedAt: generatedAt, generatorVersion: generatorVersion)
        manifest.documents = documents.map {
            Manifest.FileInfo(
                path: $0.path, sha256: $0.sha256, size: $0.bytes.count, mediaType: $0.mediaType,
                description: $0.description)
        }
        let index = File(
            path: EvidencePack.indexPath, bytes: Array(EvidenceIndex(manifest: manifest, records: records).html.utf8),
            mediaType: "text/html; charset=utf-8", description: "The pack for a person to read")
        manifest.files = ([index] + contents).map {
            Manifest.FileInfo(
                path: $0.path, sha256: $0.sha256, size: $0.bytes.count, mediaType: $0.mediaType,
                description: $0.description)
        }
        let manifestFile = File(
            path: EvidencePack.manifestPath, bytes: try manifest.encoded(), mediaType: "application/json",
            description: "The pack for a machine to read")
        let listed = [manifestFile, index] + contents
        let sums = listed.map { "\($0.sha256)  \($0.path)\n" }.joined()
        let sumsFile = File(
            path: EvidencePack.checksumsPath, bytes: Array(sums.utf8), mediaType: "text/plain; charset=utf-8",
            description: "SHA-256 of every other file, for `sha256sum -c SHA256SUMS`")
        self.files = [manifestFile, index, sumsFile] + contents
    }

    /// The file at `path`, if the pack has one.
    public func file(_ path: String) -> File? { files.first { $0.path == path } }

    /// Where things live in the zip.
    public static let manifestPath = "manifest.json"
    public static let indexPath = "index.html"
    public static let checksumsPath = "SHA256SUMS"
    public static let timelinePath = "timeline/timeline.jsonl"
    public static let verifyPath = "timeline/VERIFY.txt"
    public static let interestPath = "interest/interest.json"
    public static let communicationsFolder = "communications/"
    public static let documentsFolder = "documents/"

    /// The layout in words, as written into the manifest.
    static let layout: [(path: String, description: String)] = [
        (
            manifestPath,
            "This file: the pack for a machine to read. Amounts are decimal strings beside an ISO 4217 code."
        ),
        (indexPath, "The pack for a person to read: account, invoices, commitments, communications, timeline."),
        (checksumsPath, "SHA-256 of every other file, in the format `sha256sum -c` reads."),
        (timelinePath, "One JSON object per timeline entry, in order, with every field that goes into its hash."),
        (verifyPath, "The hash formula in words, precise enough to reimplement, and the result of the check."),
        (
            communicationsFolder + "NNNN-<message-id>.<ext>",
            "Each message exactly as handed to the transport, byte for byte: .eml an RFC 5322 email with its "
                + "headers, .html a letter, .txt a text message. NNNN numbers them oldest first."
        ),
        (interestPath, "The statutory interest computation; present only when it was computed."),
        (
            documentsFolder + "<invoice>-<file>",
            "Each file kept with an invoice (the UBL XML it was imported from), byte for byte as received; its "
                + "SHA-256 is also in the timeline entry that recorded it (document_added)."
        ),
    ]
}

// MARK: - Documents

extension EvidencePack {
    /// The documents as pack files, `documents/<invoice>-<file>`, in invoice and file-name order.
    static func documentFiles(_ documents: [InvoiceDocument]) -> [File] {
        documents.sorted { ($0.invoiceNumber, $0.fileName) < ($1.invoiceNumber, $1.fileName) }.map {
            File(
                path: documentsFolder + safeName($0.invoiceNumber) + "-" + safeName($0.fileName),
                bytes: $0.bytes, mediaType: $0.mediaType,
                description: "Document \($0.fileName) of invoice \($0.invoiceNumber), as received on \($0.addedOn)")
        }
    }
}

// MARK: - Communications

extension EvidencePack {
    /// A communication with the file it becomes and what the timeline says about its sending.
    struct Message {
        var message: EvidenceMessage
        /// Nil when nothing was composed (the content is empty: the delivery failed before a message existed).
        var file: File?
        /// The `message_sent` entry for the action, if any.
        var sentEntry: TimelineEntry?
    }

    static func communicationFiles(_ messages: [EvidenceMessage]) -> [Message] {
        messages.enumerated().map { offset, message in
            let communication = message.communication
            guard !communication.content.isEmpty else { return Message(message: message, file: nil) }
            let (ext, mediaType, noun): (String, String, String)
            switch message.channel {
            case .email: (ext, mediaType, noun) = ("eml", "message/rfc822", "Email")
            case .letter: (ext, mediaType, noun) = ("html", "text/html", "Letter")
            case .sms: (ext, mediaType, noun) = ("txt", "text/plain", "Text message")
            case .call, .meeting, nil: (ext, mediaType, noun) = ("bin", "application/octet-stream", "Message")
            }
            let number = String(offset + 1)
            let path =
                communicationsFolder + String(repeating: "0", count: max(0, 4 - number.count)) + number + "-"
                + safeName(communication.messageID) + "." + ext
            return Message(
                message: message,
                file: File(
                    path: path, bytes: communication.content, mediaType: mediaType,
                    description: "\(noun) for action \(communication.actionID), exactly as handed to the transport"))
        }
    }

    /// A Message-ID as a file name: the angle brackets dropped, anything but letters, digits, `.`, `_` and `-`
    /// replaced, at most 100 characters.
    static func safeName(_ messageID: String) -> String {
        var text = Substring(messageID)
        if text.hasPrefix("<") { text = text.dropFirst() }
        if text.hasSuffix(">") { text = text.dropLast() }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        let name = String(text.map { allowed.contains($0) ? $0 : "_" }.prefix(100))
        // A name of dots alone would read as a folder reference once unzipped.
        return name.allSatisfy { $0 == "." } ? "message" : name
    }
}

// MARK: - Timeline

extension EvidencePack {
    /// One line of `timeline.jsonl`: the stored entry, field for field.
    struct TimelineLine: Encodable {
        var sequence: Int
        var customerID: String
        var date: String
        var recordedAt: String
        var kind: String
        var summary: String
        var details: [String: String]
        var previousHash: String
        var hash: String

        // Spelled out rather than left to a key strategy: `details` keys must come out exactly as hashed.
        enum CodingKeys: String, CodingKey {
            case sequence
            case customerID = "customer_id"
            case date
            case recordedAt = "recorded_at"
            case kind, summary, details
            case previousHash = "previous_hash"
            case hash
        }
    }

    static func timelineLines(_ entries: [TimelineEntry]) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes: [UInt8] = []
        for entry in entries {
            bytes += try encoder.encode(
                TimelineLine(
                    sequence: entry.sequence, customerID: entry.customerID, date: entry.date.description,
                    recordedAt: entry.recordedAt, kind: entry.kind, summary: entry.summary, details: entry.details,
                    previousHash: entry.previousHash, hash: entry.hash))
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    /// The verification in one sentence, as the manifest, VERIFY.txt, the index and the command say it.
    static func statement(_ verification: ChainVerification, head: String?) -> String {
        switch verification {
        case .valid(0):
            return "OK: the timeline has no entries."
        case .valid(let count):
            return "OK: all \(count) entries verified; each entry's hash matches its content and links to the entry "
                + "before it. Chain head (hash of entry \(count)): \(head ?? "")."
        case .broken(let sequence, let reason):
            return "BROKEN at entry \(sequence): \(reason). The entries are shown exactly as stored, so that the "
                + "change can be examined; from entry \(sequence) on, they cannot be relied on as recorded."
        }
    }

    static func verifyText(_ records: EvidenceRecords, verification: ChainVerification) -> String {
        let genesis = TimelineEntry.genesisHash
        return """
            How to re-check the timeline of customer \(records.customer.id) (\(records.customer.name))
            ====================================================================

            Result
            ------
            \(statement(verification, head: records.timeline.last?.hash))

            The file
            --------
            timeline/timeline.jsonl holds one JSON object per line, one line per entry, in order. Each has:
            sequence (a number), customer_id, date (YYYY-MM-DD), recorded_at, kind, summary, details (an object of
            string values), previous_hash and hash (64 lower-case hexadecimal characters each).

            The hash of one entry
            ---------------------
            1. Take these fields, as text, in this order:
                 the constant text "duly-timeline-v1",
                 sequence written in decimal digits (no sign, no leading zeros),
                 customer_id, date, recorded_at, kind, summary,
                 then for every key of details, in ascending order of the keys' Unicode code points (the keys Duly
                 writes are ASCII, so this is plain byte order): the key, then its value.
            2. Encode each of them as UTF-8 and write it as: the number of its UTF-8 bytes in decimal digits, a colon
               (":"), then the bytes themselves. Concatenate them with nothing in between. For example the kind
               "note" becomes the 6 bytes 4:note, and an empty summary becomes 0: (two bytes).
            3. The hash is SHA-256 over the 64 ASCII characters of previous_hash followed by those bytes, written
               as 64 lower-case hexadecimal characters.

            The chain
            ---------
            Check the entries in file order. The entry at position N (counting from 1) must have sequence N.
            Its previous_hash must be \(genesis) for the first entry, and the
            hash of the entry before it for every later one. Its hash must equal the hash computed in step 3.
            The first entry that fails any of these is where the chain is broken. The last entry's hash (the chain
            head) is printed in manifest.json as timeline.chain_head: keep it apart from the pack, and a later copy
            of the timeline can be shown to extend this one unchanged.

            What the chain covers
            ---------------------
            Every event on the account, including each message sent (its Message-ID and recipient) and each call's
            outcome. The bytes of each message are in communications/, and their SHA-256 in manifest.json and
            SHA256SUMS.

            """
    }

    static func interestJSON(_ interest: EvidenceInterest) throws -> [UInt8] {
        Array(try Manifest.encoder.encode(Manifest.InterestInfo(interest))) + [UInt8(ascii: "\n")]
    }
}
