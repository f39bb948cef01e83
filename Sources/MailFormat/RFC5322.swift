import Vocabulary

/// Internet message format: the whole message as bytes, ready for a spool
/// file or `sendmail -t`.
///
/// Choices made so the message survives any MTA and any mail client:
/// - every header line is 7-bit ASCII and at most 78 columns: non-ASCII text
///   goes into RFC 2047 encoded words, folded with CRLF + space;
/// - the body is UTF-8 in base64 with 76-column lines. Quoted-printable would
///   triple the size of Chinese text and still be unreadable raw; base64 is
///   7-bit clean, immune to line-length limits, trailing-space stripping and
///   "From " mangling, and decoded by every client;
/// - CRLF line endings throughout, the canonical form RFC 5322 and RFC 2045
///   require (the body's text is converted to CRLF before it is encoded);
/// - control characters in header values (a CR or LF in a plan title would
///   otherwise inject headers) become spaces.
public enum RFC5322 {
    static let lineLimit = 78
    static let encodedWordLimit = 75

    /// The whole message: From, To, Reply-To (when the envelope has one),
    /// Subject, Date, Message-ID, MIME-Version,
    /// Content-Type (text/plain; charset=utf-8), Content-Transfer-Encoding
    /// (base64), Auto-Submitted (auto-generated, so that vacation responders
    /// stay quiet, RFC 3834), then `extraHeaders` in the order given, a blank
    /// line and the encoded body. Extra headers whose names collide with these
    /// are dropped rather than duplicated. An empty Message-ID leaves the
    /// header out for the MTA to add; an empty `to` becomes
    /// `undisclosed-recipients:;`.
    public static func message(
        envelope: MailEnvelope,
        subject: String,
        body: String,
        extraHeaders: [(String, String)]
    ) -> [UInt8] {
        var lines = envelopeHeaders(envelope, subject: subject)
        lines.append("MIME-Version: 1.0")
        lines.append("Content-Type: text/plain; charset=utf-8")
        lines.append("Content-Transfer-Encoding: base64")
        lines.append("Auto-Submitted: auto-generated")
        lines += otherHeaders(extraHeaders, envelope: envelope)
        var out: [UInt8] = []
        for line in lines {
            out += line.utf8
            out += crlf
        }
        out += crlf
        out += bodyBytes(body)
        return out
    }

    /// RFC 2047 encoded words (`=?UTF-8?B?…?=`) for text that is not plain
    /// ASCII, each at most 75 characters and never splitting a UTF-8 character
    /// (nor, where it fits, a grapheme cluster), separated by spaces where a
    /// header may be folded.
    ///
    /// Only the stretch from the first to the last word that needs it is
    /// encoded, so `[Party work reminder] 外科… · 5 working days left` keeps
    /// its English readable in the raw message. A word needs encoding if it
    /// has a non-ASCII or control character, looks like an encoded word
    /// itself (`=?`), or is too long to fold. ASCII-only text is returned as
    /// is, control characters becoming spaces. (For display names, which have
    /// stricter rules, use `mailbox`.)
    public static func encodeWord(_ text: String) -> String {
        encodeText(text, wordLimit: encodedWordLimit, strict: true)
    }

    /// `=?UTF-8?B?546L5LqU?= <wangwu@hospital.example>`. A non-ASCII name is
    /// encoded whole; an ASCII name with characters outside RFC 5322 `atext`
    /// (`Dr. Wang`, `Wang, Wu`) is quoted; an empty name leaves the bare
    /// address. Angle brackets, spaces and control characters are removed
    /// from the address, so a malformed one cannot break the header. A
    /// non-ASCII address cannot be encoded and passes through as UTF-8 (it
    /// needs an MTA with SMTPUTF8).
    public static func mailbox(_ m: Address) -> String {
        mailbox(m, wordLimit: encodedWordLimit)
    }

    /// `Name: value`, folded before a space so no line exceeds 78 columns
    /// (continuation lines start with a space, joined by CRLF), without the
    /// final CRLF. Words with non-ASCII characters are encoded (sized to fit
    /// beside the name); ASCII passes through untouched, so an already
    /// encoded value is not encoded twice. A single word longer than a line
    /// cannot be folded and is left whole, as RFC 5322 allows up to 998.
    public static func header(_ name: String, _ value: String) -> String {
        let name = headerName(name)
        return fold(name, encodeText(value, wordLimit: fitting(name), strict: false))
    }

    // MARK: Internals

    static let crlf: [UInt8] = [13, 10]

    /// The longest encoded word that still fits on the header's first line,
    /// so the value starts beside its name instead of on a continuation line.
    static func fitting(_ name: String) -> Int {
        min(encodedWordLimit, max(20, lineLimit - name.utf8.count - 2))
    }

    /// Header names are printable ASCII without a colon (RFC 5322 ftext).
    static func headerName(_ name: String) -> String {
        let kept = name.unicodeScalars.filter { $0.value >= 33 && $0.value <= 126 && $0 != ":" }
        return kept.isEmpty ? "X-Plankeeper-Unnamed" : String(String.UnicodeScalarView(kept))
    }

    /// Control characters (C0, DEL, C1, line and paragraph separators) become
    /// spaces: a header value is one logical line.
    static func oneLine(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { s in
                    let v = s.value
                    return v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029 ? " " : s
                }
            )
        )
    }

    static func asciiOnly(_ text: String) -> String {
        String(String.UnicodeScalarView(oneLine(text).unicodeScalars.filter { $0.isASCII }))
    }

    /// From, To, Reply-To (when set), Subject, Date and Message-ID (when not
    /// empty), folded: the header lines every message starts with.
    static func envelopeHeaders(_ envelope: MailEnvelope, subject: String) -> [String] {
        var lines: [String] = []
        lines.append(fold("From", mailbox(envelope.from, wordLimit: fitting("From"))))
        let to = envelope.to.map { mailbox($0, wordLimit: fitting("To")) }
        lines.append(fold("To", to.isEmpty ? "undisclosed-recipients:;" : to.joined(separator: ", ")))
        if let replyTo = envelope.replyTo {
            lines.append(fold("Reply-To", mailbox(replyTo, wordLimit: fitting("Reply-To"))))
        }
        lines.append(fold("Subject", encodeText(subject, wordLimit: fitting("Subject"), strict: true)))
        lines.append(fold("Date", asciiOnly(envelope.date)))
        let id = messageIDText(envelope.messageID)
        if !id.isEmpty { lines.append(fold("Message-ID", "<\(id)>")) }
        return lines
    }

    /// The caller's extra headers, encoded and folded, in the order given;
    /// those whose names collide with the ones a message writes itself are
    /// dropped rather than duplicated.
    static func otherHeaders(_ extraHeaders: [(String, String)], envelope: MailEnvelope) -> [String] {
        var reserved: Set<String> = [
            "from", "to", "subject", "date", "message-id", "mime-version", "content-type",
            "content-transfer-encoding", "auto-submitted",
        ]
        if envelope.replyTo != nil { reserved.insert("reply-to") }
        var lines: [String] = []
        for (rawName, value) in extraHeaders {
            let name = headerName(rawName)
            guard !reserved.contains(name.lowercased()) else { continue }
            lines.append(fold(name, encodeText(value, wordLimit: fitting(name), strict: true)))
        }
        return lines
    }

    static func messageIDText(_ id: String) -> String {
        String(
            String.UnicodeScalarView(
                id.unicodeScalars.filter {
                    $0.value > 32 && $0.value < 127 && $0 != "<" && $0 != ">"
                }
            )
        )
    }

    static func isPlainWord(_ word: Substring, strict: Bool) -> Bool {
        if !word.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) { return false }
        if strict && (word.utf8.count > encodedWordLimit || word.contains("=?")) { return false }
        return true
    }

    /// Splits on spaces and encodes the stretch from the first to the last
    /// word that is not plain. Spaces inside the stretch are encoded with it
    /// (whitespace between two encoded words is dropped by decoders); spaces
    /// next to plain words stay literal and survive decoding.
    static func encodeText(_ text: String, wordLimit: Int, strict: Bool) -> String {
        let clean = oneLine(text)
        let words = clean.split(separator: " ", omittingEmptySubsequences: false)
        guard let first = words.firstIndex(where: { !$0.isEmpty && !isPlainWord($0, strict: strict) }),
            let last = words.lastIndex(where: { !$0.isEmpty && !isPlainWord($0, strict: strict) })
        else { return clean }
        let middle = words[first...last].joined(separator: " ")
        var parts: [String] = []
        if first > words.startIndex { parts.append(words[..<first].joined(separator: " ")) }
        parts.append(encodedWords(middle, wordLimit: wordLimit).joined(separator: " "))
        if last < words.index(before: words.endIndex) { parts.append(words[(last + 1)...].joined(separator: " ")) }
        return parts.joined(separator: " ")
    }

    /// `=?UTF-8?B?…?=` words of at most `wordLimit` characters. Each carries
    /// whole characters only: a grapheme cluster stays in one word when it
    /// fits, and is otherwise split between Unicode scalars, never inside a
    /// UTF-8 sequence.
    static func encodedWords(_ text: String, wordLimit: Int) -> [String] {
        let limit = max(20, wordLimit)  // room for at least one 4-byte scalar
        let capacity = (limit - 12) / 4 * 3  // "=?UTF-8?B?" + "?=" is 12
        var chunks: [[UInt8]] = []
        var current: [UInt8] = []
        func add(_ bytes: [UInt8]) {
            if current.count + bytes.count > capacity, !current.isEmpty {
                chunks.append(current)
                current = []
            }
            current += bytes
        }
        for character in text {
            let bytes = Array(character.utf8)
            if bytes.count <= capacity {
                add(bytes)
            } else {
                for scalar in character.unicodeScalars { add(Array(String(scalar).utf8)) }
            }
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks.map { "=?UTF-8?B?" + Base64.encodeString($0) + "?=" }
    }

    static func mailbox(_ m: Address, wordLimit: Int) -> String {
        let address = String(
            String.UnicodeScalarView(
                m.address.unicodeScalars.filter {
                    $0.value > 32 && $0.value != 0x7F && !(0x80...0x9F).contains($0.value) && $0 != "<" && $0 != ">"
                        && !$0.properties.isWhitespace
                }
            )
        )
        let name = oneLine(m.name).trimmingSpaces
        if name.isEmpty { return address }
        let display: String
        if !name.unicodeScalars.allSatisfy(\.isASCII) {
            display = encodedWords(name, wordLimit: wordLimit).joined(separator: " ")
        } else if name.unicodeScalars.allSatisfy(isAtextOrSpace), !name.contains("=?") {
            display = name
        } else {
            display = "\"" + name.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
        }
        return "\(display) <\(address)>"
    }

    static func isAtextOrSpace(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "a"..."z", "A"..."Z", "0"..."9", " ", "!", "#", "$", "%", "&", "'", "*", "+", "-", "/", "=", "?", "^",
            "_", "`", "{", "|", "}", "~":
            true
        default: false
        }
    }

    /// Folds at spaces so each line is at most 78 octets where the words
    /// allow. Never folds before an empty word (two spaces in a row), which
    /// would leave a line of only whitespace, forbidden by RFC 5322.
    static func fold(_ name: String, _ value: String) -> String {
        let words = value.split(separator: " ", omittingEmptySubsequences: false)
        var out = name + ":"
        var column = out.utf8.count
        for (i, word) in words.enumerated() {
            let n = word.utf8.count
            let fits = column + 1 + n <= lineLimit
            // Right after "Name:", folding only helps if the word then fits.
            if !fits && !word.isEmpty && (i > 0 || 1 + n <= lineLimit) {
                out += "\r\n " + word
                column = 1 + n
            } else {
                out += " " + word
                column += 1 + n
            }
        }
        return out
    }

    /// UTF-8 in canonical CRLF form, base64 in 76-column lines.
    static func bodyBytes(_ body: String) -> [UInt8] {
        var text: [UInt8] = []
        var previousCR = false
        for byte in body.utf8 {
            switch byte {
            case 13:
                text += crlf
                previousCR = true
                continue
            case 10:
                if !previousCR { text += crlf }
            default:
                text.append(byte)
            }
            previousCR = false
        }
        if !(text.count >= 2 && text[text.count - 2] == 13 && text[text.count - 1] == 10) { text += crlf }
        let encoded = Base64.encode(text)
        var out: [UInt8] = []
        out.reserveCapacity(encoded.count + encoded.count / 76 * 2 + 2)
        var start = 0
        while start < encoded.count {
            let end = min(start + 76, encoded.count)
            out += encoded[start..<end]
            out += crlf
            start = end
        }
        return out
    }
}
