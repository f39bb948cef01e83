import Vocabulary

/// One received message, read for what `mail-in` needs: who sent it, to
/// which address, what it is about, its readable text and its attachments.
///
/// `parse` accepts any bytes and never traps: what is not a well-formed
/// message yields empty fields and notes, not an error, because the answer
/// to a broken message is decided by the caller ("nothing to record").
public struct InboundMessage: Sendable {
    public var headers: MessageHeaders
    /// The MIME tree (a single leaf for a plain message).
    public var root: MIMEPart
    /// The first mailbox of `From`.
    public var from: Address?
    /// The envelope sender from `Return-Path` (empty for `<>`, the null
    /// sender of bounces); nil when the header is missing.
    public var returnPath: String?
    public var subject: String
    /// Without angle brackets.
    public var messageID: String?
    /// The reply's readable text: its text/plain part(s), or the text of its HTML.
    public var text: String
    public var textIsFromHTML: Bool
    public var attachments: [Attachment]
    public var notes: [ParseNote]

    /// Only the first few megabytes of a text part are read: the reply's own
    /// words are at the top, and a huge text would only cost time.
    static let textLimit = 2 << 20

    public static func parse(_ bytes: [UInt8], limits: ParseLimits = .standard) -> InboundMessage {
        var notes: [ParseNote] = []
        var budget = limits.parts
        let root = MIMEPart.parse(
            bytes,
            start: 0,
            end: bytes.count,
            depth: 0,
            limits: limits,
            budget: &budget,
            notes: &notes
        )
        let headers = root.headers
        let from = headers.first("From").flatMap { Address.received($0.value) }
        var returnPath: String?
        // The first: the one our MTA prepended (pipe flag R); a sender can write its own further down.
        if let field = headers.all("Return-Path").first {
            let raw = field.raw.trimmingCharacters(" \t<>")
            returnPath = raw
        }
        let messageID = headers.first("Message-ID").map { $0.raw.trimmingCharacters(" \t<>") }.flatMap {
            $0.isEmpty ? nil : $0
        }

        var collector = BodyCollector(notes: notes)
        let body = collector.text(of: root)
        collector.collectAttachments(root)
        notes = collector.notes
        if body?.fromHTML == true { notes.append(.textFromHTML) }

        return InboundMessage(
            headers: headers,
            root: root,
            from: from,
            returnPath: returnPath,
            subject: headers["Subject"] ?? "",
            messageID: messageID,
            text: body?.text ?? "",
            textIsFromHTML: body?.fromHTML ?? false,
            attachments: collector.attachments,
            notes: notes
        )
    }

    /// Every address the message was delivered or addressed to, in the order
    /// a token is best looked for: `Delivered-To` and `X-Original-To` (what
    /// the MTA used), then `To` and `Cc`.
    public var recipientAddresses: [String] {
        var out: [String] = []
        for name in ["Delivered-To", "X-Original-To", "To", "Cc"] {
            for field in headers.all(name) {
                out += Address.receivedList(field.value).map(\.address)
            }
        }
        return out
    }

    /// Whether the message is a delivery or read report (`multipart/report`).
    public var isReport: Bool { root.contentType.value == "multipart/report" }
}

/// Walks a MIME tree for the readable text and the attachments.
struct BodyCollector {
    var notes: [ParseNote]
    var attachments: [Attachment] = []

    init(notes: [ParseNote]) { self.notes = notes }

    /// Parts that are neither text nor evidence.
    static let ignoredTypes: Set<String> = [
        "application/pgp-signature", "application/pkcs7-signature", "application/x-pkcs7-signature",
        "message/delivery-status", "message/disposition-notification", "text/rfc822-headers",
        "message/feedback-report", "application/ms-tnef", "application/pgp-keys",
    ]

    /// A leaf that is the message's own text rather than a file.
    static func isTextBody(_ part: MIMEPart) -> Bool {
        guard !part.isMultipart, part.contentType.value == "text/plain" || part.contentType.value == "text/html"
        else { return false }
        if part.disposition?.value == "attachment" { return false }
        return part.fileName == nil
    }

    mutating func text(of part: MIMEPart) -> (text: String, fromHTML: Bool)? {
        if !part.isMultipart {
            guard Self.isTextBody(part) else { return nil }
            let decoded = CharsetDecoder.decode(
                part.decodedBody.prefix(InboundMessage.textLimit),
                charset: part.contentType["charset"]
            )
            if let unknown = decoded.unknownCharset {
                if !notes.contains(.unknownCharset(unknown)) { notes.append(.unknownCharset(unknown)) }
            } else if decoded.lossy, !notes.contains(.lossyText) {
                notes.append(.lossyText)
            }
            if part.contentType.value == "text/html" { return (HTMLText.text(of: decoded.text), true) }
            return (decoded.text, false)
        }
        switch part.contentType.subtype {
        case "alternative":
            // Alternatives come least preferred first; plain text wins over HTML here,
            // because it is what the sender's client wrote the quote markers into.
            var html: (String, Bool)?
            for child in part.parts {
                guard let found = text(of: child) else { continue }
                if !found.fromHTML { return found }
                if html == nil { html = found }
            }
            return html
        case "related":
            let start = part.contentType["start"]?.trimmingCharacters(" <>")
            let root =
                part.parts.first { child in
                    start != nil && child.headers.first("Content-ID")?.raw.trimmingCharacters(" <>") == start
                } ?? part.parts.first
            return root.flatMap { text(of: $0) }
        case "report", "signed", "encrypted":
            return part.parts.first.flatMap { text(of: $0) }
        default:
            // mixed and the rest: the text parts in order (Apple Mail puts text, a photo, more text).
            var pieces: [String] = []
            var fromHTML = false
            for child in part.parts {
                guard let found = text(of: child) else { continue }
                if pieces.isEmpty { fromHTML = found.fromHTML } else if found.fromHTML != fromHTML { continue }
                pieces.append(found.text)
            }
            return pieces.isEmpty ? nil : (pieces.joined(separator: "\n"), fromHTML)
        }
    }

    mutating func collectAttachments(_ part: MIMEPart) {
        if part.isMultipart {
            for child in part.parts { collectAttachments(child) }
            return
        }
        let type = part.contentType.value
        guard !Self.isTextBody(part), !Self.ignoredTypes.contains(type) else { return }
        let bytes = part.decodedBody
        guard !bytes.isEmpty else { return }
        // The same file twice (once per alternative): kept once.
        if attachments.contains(where: { $0.bytes.count == bytes.count && $0.bytes == bytes }) { return }
        let name = Attachment.safeName(part.fileName, type: type, index: attachments.count + 1)
        attachments.append(Attachment(name: name, type: type, bytes: bytes))
    }
}
