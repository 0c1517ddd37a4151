/// A person or role mailbox: an optional display name and an address (`Acme Receivables <ar@acme.example>`).
public struct Mailbox: Hashable, Sendable {
    /// The display name, free text in any script; empty for none.
    public var name: String
    /// The address (`local@domain`); an internationalised domain goes out as punycode, a non-ASCII local part only
    /// through a server that offers SMTPUTF8.
    public var address: String

    /// A mailbox with an optional display name.
    public init(name: String = "", address: String) {
        self.name = name
        self.address = address
    }
}

/// A file sent with a message, such as the invoice PDF or an HTML letter.
public struct Attachment: Hashable, Sendable {
    /// The file name the recipient sees (`INV-42.pdf`); any script.
    public var filename: String
    /// The MIME type (`application/pdf`, `text/html`).
    public var contentType: String
    /// The file's bytes, sent base64-encoded.
    public var bytes: [UInt8]

    /// An attachment with its file name, MIME type and bytes.
    public init(filename: String, contentType: String, bytes: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.bytes = bytes
    }
}

/// One email as Duly means it, before it is written out as RFC 5322 bytes by `MIMEWriter`.
///
/// A plain value: no clock, no identifier generator. The caller hands in the `Message-ID` (the outbox's idempotency
/// key, so a retry sends the same message) and the `Date` header's text.
public struct EmailMessage: Hashable, Sendable {
    /// The author (`From:`).
    public var from: Mailbox
    /// The recipients (`To:`), at least one.
    public var to: [Mailbox]
    /// Where replies go (`Reply-To:`): the collections mailbox, so answers land in the case (docs/DOMAIN.md, E-3).
    public var replyTo: Mailbox?
    /// The subject line, any script; encoded as RFC 2047 words when it is not ASCII.
    public var subject: String
    /// The plain-text body; line breaks may be LF or CRLF.
    public var textBody: String
    /// The HTML alternative, sent after the text in a `multipart/alternative`.
    public var htmlBody: String?
    /// Files sent with the message; with any, the message becomes `multipart/mixed`.
    public var attachments: [Attachment]
    /// The globally unique id in angle brackets (`<r1.INV-42@ar.example.com>`, docs/DOMAIN.md, E-1).
    public var messageID: String
    /// The parent's `Message-ID` when this message continues a thread (docs/DOMAIN.md, E-2).
    public var inReplyTo: String?
    /// The thread's ids, oldest first, ending with the parent (docs/DOMAIN.md, E-2).
    public var references: [String]
    /// More headers in order, such as `Auto-Submitted: auto-generated` (docs/DOMAIN.md, E-8).
    public var extraHeaders: [(name: String, value: String)]
    /// The `Date:` header's text in RFC 5322 form (`Tue, 4 Mar 2025 09:30:00 +0100`), supplied by the caller.
    public var date: String

    /// A message with every field spelled out.
    public init(
        from: Mailbox,
        to: [Mailbox],
        replyTo: Mailbox? = nil,
        subject: String,
        textBody: String,
        htmlBody: String? = nil,
        attachments: [Attachment] = [],
        messageID: String,
        inReplyTo: String? = nil,
        references: [String] = [],
        extraHeaders: [(name: String, value: String)] = [],
        date: String
    ) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.attachments = attachments
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.extraHeaders = extraHeaders
        self.date = date
    }

    // Tuples are neither Equatable nor Hashable, so these two are written out.
    public static func == (lhs: EmailMessage, rhs: EmailMessage) -> Bool {
        lhs.from == rhs.from && lhs.to == rhs.to && lhs.replyTo == rhs.replyTo && lhs.subject == rhs.subject
            && lhs.textBody == rhs.textBody && lhs.htmlBody == rhs.htmlBody && lhs.attachments == rhs.attachments
            && lhs.messageID == rhs.messageID && lhs.inReplyTo == rhs.inReplyTo && lhs.references == rhs.references
            && lhs.extraHeaders.elementsEqual(rhs.extraHeaders) { $0.name == $1.name && $0.value == $1.value }
            && lhs.date == rhs.date
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(messageID)
        hasher.combine(subject)
        hasher.combine(textBody)
    }
}

// MARK: - Threading

/// The threading headers of a message, as docs/DOMAIN.md, E-2, derives them from its parent.
public struct ThreadHeaders: Hashable, Sendable {
    /// `In-Reply-To:`: the parent's `Message-ID`.
    public var inReplyTo: String?
    /// `References:`: the parent's references followed by the parent's id.
    public var references: [String]

    /// No parent: the first message of a thread.
    public static let none = ThreadHeaders(inReplyTo: nil, references: [])

    /// Threading headers spelled out.
    public init(inReplyTo: String?, references: [String]) {
        self.inReplyTo = inReplyTo
        self.references = references
    }

    /// The headers of a reply to the message with `parentID` whose own `References:` were `parentReferences`.
    ///
    /// EM-1: parent `<r1@x>` without references gives `In-Reply-To: <r1@x>`, `References: <r1@x>`.
    /// EM-2: parent `<r2@x>` with references `<r1@x>` gives `In-Reply-To: <r2@x>`, `References: <r1@x> <r2@x>`.
    public static func replying(toID parentID: String, parentReferences: [String]) -> ThreadHeaders {
        ThreadHeaders(inReplyTo: parentID, references: parentReferences + [parentID])
    }
}

extension EmailMessage {
    /// The threading headers this message carries.
    public var threadHeaders: ThreadHeaders {
        get { ThreadHeaders(inReplyTo: inReplyTo, references: references) }
        set {
            inReplyTo = newValue.inReplyTo
            references = newValue.references
        }
    }

    /// Makes this message a reply to `parent` (one thread per dunning case: reminder n+1 answers reminder n).
    public mutating func thread(under parent: EmailMessage) {
        threadHeaders = .replying(toID: parent.messageID, parentReferences: parent.references)
    }

    /// Makes this message a reply to a parent known only by its stored `Message-ID` and `References`.
    public mutating func thread(underID parentID: String, parentReferences: [String]) {
        threadHeaders = .replying(toID: parentID, parentReferences: parentReferences)
    }
}
