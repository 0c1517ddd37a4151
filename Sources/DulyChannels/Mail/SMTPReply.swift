import NIOCore

/// One SMTP reply, all its lines gathered (RFC 5321 §4.2).
public struct SMTPReply: Hashable, Sendable {
    /// The three-digit reply code.
    public var code: Int
    /// The text of each line, without the code and separator.
    public var lines: [String]

    /// A reply with its code and lines.
    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// The lines joined by newlines.
    public var text: String { lines.joined(separator: "\n") }

    /// Code and text on one line, for a message to a person: `535 5.7.8 Authentication credentials invalid`.
    public var oneLine: String { ([String(code)] + lines).joined(separator: " ") }

    /// The RFC 3463 enhanced status code at the start of the text (`5.1.1`), when its class matches the reply's.
    public var enhancedStatusCode: String? { SMTPReply.enhancedStatusCode(in: lines.first ?? "", code: code) }

    static func enhancedStatusCode(in text: String, code: Int) -> String? {
        guard let first = text.split(separator: " ", maxSplits: 1).first else { return nil }
        let parts = first.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) }),
            parts.allSatisfy({ Int($0) != nil }), Int(parts[0]) == code / 100
        else { return nil }
        return String(first)
    }

    /// The error this reply means when it is not the one expected: 4xx transient, anything else permanent.
    var error: SMTPError {
        code >= 400 && code < 500 ? .transient(code, text) : .permanent(code, text)
    }
}

/// Splits the byte stream into replies, joining continuation lines (`250-…`) up to the final line (`250 …`).
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    // A reply line is at most 512 octets (RFC 5321 §4.5.3.1.5); be lenient, but not unbounded.
    private static let maximumLineLength = 4096
    private static let maximumLines = 200
    private var lines: [String] = []
    private var code: Int?

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maximumLineLength {
                throw SMTPError.connection("the server sent a reply line longer than \(Self.maximumLineLength) bytes")
            }
            return .needMoreData
        }
        var bytes = buffer.readBytes(length: newline - view.startIndex + 1)!
        bytes.removeLast()
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard bytes.count >= 3, bytes[0...2].allSatisfy({ $0 >= 48 && $0 <= 57 }),
            bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-")
        else {
            throw SMTPError.connection("the server sent a malformed reply: \(String(decoding: bytes, as: UTF8.self))")
        }
        let lineCode = Int(bytes[0] - 48) * 100 + Int(bytes[1] - 48) * 10 + Int(bytes[2] - 48)
        if let code, code != lineCode {
            throw SMTPError.connection("the server changed the reply code within one reply (\(code), \(lineCode))")
        }
        code = lineCode
        lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        guard lines.count <= Self.maximumLines else { throw SMTPError.connection("the server sent an endless reply") }
        if bytes.count == 3 || bytes[3] == UInt8(ascii: " ") {
            context.fireChannelRead(Self.wrapInboundOut(SMTPReply(code: lineCode, lines: lines)))
            lines = []
            code = nil
        }
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
