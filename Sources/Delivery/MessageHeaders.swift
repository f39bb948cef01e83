/// The header section of a spooled message, read back for delivery.
///
/// A spool file is the message exactly as it goes out: there is no separate
/// envelope file, so the envelope (who gets it, who sends it) is read from
/// the `To:` and `From:` headers `MailFormat` wrote. Reading it back rather
/// than storing it twice means an administrator who edits or drops a file
/// into `new/` by hand gets what the headers say. The parser is tolerant:
/// a malformed header never traps, it just yields fewer addresses, and a
/// message with no recipient at all fails permanently instead of looping.
public struct MessageHeaders: Sendable, Equatable {
    /// Unfolded headers in file order: name as written, value without the
    /// leading space.
    public var fields: [(name: String, value: String)]

    public static func == (a: MessageHeaders, b: MessageHeaders) -> Bool {
        a.fields.map(\.name) == b.fields.map(\.name) && a.fields.map(\.value) == b.fields.map(\.value)
    }

    /// Reads the header section (up to the first empty line, CRLF or LF).
    /// Bytes that are not UTF-8 are replaced, never trusted.
    public init(message bytes: [UInt8]) {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == 10 {
                if current.last == 13 { current.removeLast() }
                if current.isEmpty { break }  // end of the header section
                lines.append(current)
                current = []
            } else {
                current.append(byte)
            }
        }
        if !current.isEmpty && index >= bytes.count { lines.append(current) }

        var fields: [(String, String)] = []
        for line in lines {
            let text = String(decoding: line, as: UTF8.self)
            if let first = line.first, first == 32 || first == 9 {
                // A continuation: unfolding removes the CRLF, keeps the space.
                if !fields.isEmpty { fields[fields.count - 1].1 += text }
                continue
            }
            guard let colon = text.firstIndex(of: ":") else { continue }
            let name = String(text[..<colon]).trimmingSpaces
            var value = Substring(text[text.index(after: colon)...])
            while let c = value.first, c == " " || c == "\t" { value.removeFirst() }
            fields.append((name, String(value)))
        }
        self.fields = fields
    }

    /// The first header of that name (case-insensitive), unfolded.
    public subscript(name: String) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.name.lowercased() == wanted }?.value
    }

    /// Every header of that name, in order.
    public func all(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return fields.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// The envelope recipients: the addresses of every `To:`, `Cc:` and
    /// `Bcc:` header, without duplicates (compared without case), in order.
    public var recipients: [String] {
        var seen = Set<String>()
        var out: [String] = []
        for name in ["To", "Cc", "Bcc"] {
            for value in all(name) {
                for address in AddressList.addresses(in: value) where seen.insert(address.lowercased()).inserted {
                    out.append(address)
                }
            }
        }
        return out
    }

    /// The envelope sender: the address of `Sender:` or else `From:`, nil when
    /// neither has one.
    public var sender: String? {
        for name in ["Sender", "From"] {
            if let value = self[name], let first = AddressList.addresses(in: value).first { return first }
        }
        return nil
    }

    /// `Message-ID` without the angle brackets, as logs and tests compare it.
    public var messageID: String? {
        guard let raw = self["Message-ID"] else { return nil }
        let trimmed = raw.trimmingSpaces
        if trimmed.hasPrefix("<"), let close = trimmed.firstIndex(of: ">") {
            return String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
        }
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The subject as a person reads it (RFC 2047 words decoded).
    public var subject: String? {
        self["Subject"].map(EncodedWords.decode)
    }
}

/// Addresses out of an RFC 5322 address list, the part of the grammar a
/// delivery agent needs: display names (atoms, quoted strings, encoded
/// words), angle addresses, comments, and groups (`team: a@x, b@y;`,
/// `undisclosed-recipients:;`).
enum AddressList {
    static func addresses(in value: String) -> [String] {
        var out: [String] = []
        var plain = ""  // text outside quotes, comments and angle brackets
        var angle: String?  // the angle address of the current mailbox
        var inAngle = false
        var inQuote = false
        var commentDepth = 0
        var escaped = false

        func finishMailbox() {
            let candidate = angle ?? plain.trimmingSpaces
            let address = candidate.filter { !$0.isWhitespace }
            if address.contains("@"), !address.hasPrefix("@"), !address.hasSuffix("@") { out.append(address) }
            plain = ""
            angle = nil
        }

        for character in value {
            if escaped {
                escaped = false
                if inAngle {
                    angle?.append(character)
                } else if !inQuote && commentDepth == 0 {
                    plain.append(character)
                }
                continue
            }
            if inQuote {
                if character == "\\" { escaped = true } else if character == "\"" { inQuote = false }
                continue
            }
            if commentDepth > 0 {
                if character == "\\" {
                    escaped = true
                } else if character == "(" {
                    commentDepth += 1
                } else if character == ")" {
                    commentDepth -= 1
                }
                continue
            }
            if inAngle {
                if character == ">" { inAngle = false } else { angle?.append(character) }
                continue
            }
            switch character {
            case "\"":
                inQuote = true
                plain = ""  // a quoted string is a display name, never an address
            case "(":
                commentDepth = 1
            case "<":
                inAngle = true
                angle = ""
            case ":":
                plain = ""  // a group's name
            case ",", ";":
                finishMailbox()
            case "\\":
                escaped = true
            default:
                plain.append(character)
            }
        }
        finishMailbox()
        return out
    }
}

/// Decodes RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?utf-8?Q?…?=`) for
/// logs. Only UTF-8 and US-ASCII words are decoded (all plankeeper writes);
/// a word in another charset or broken is left as written.
public enum EncodedWords {
    public static func decode(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        var lastWasWord = false
        while !rest.isEmpty {
            guard let start = marker(in: rest) else {
                result += rest
                break
            }
            if let (decoded, after) = word(rest[start...]) {
                let before = rest[..<start]
                // Whitespace between two encoded words is not part of the text.
                if !(lastWasWord && before.allSatisfy({ $0 == " " || $0 == "\t" })) { result += before }
                result += decoded
                rest = after
                lastWasWord = true
            } else {
                let next = rest.index(start, offsetBy: 2)
                result += rest[..<next]
                rest = rest[next...]
                lastWasWord = false
            }
        }
        return result
    }

    /// Where the next `=?` starts.
    static func marker(in text: Substring) -> Substring.Index? {
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            if text[index] == "=", next < text.endIndex, text[next] == "?" { return index }
            index = next
        }
        return nil
    }

    /// One encoded word at the start of `text`: its decoded text and what follows.
    static func word(_ text: Substring) -> (String, Substring)? {
        let parts = text.dropFirst(2).split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[3].hasPrefix("=") else { return nil }
        let charset = parts[0].lowercased()
        guard charset == "utf-8" || charset == "us-ascii" || charset.hasPrefix("utf-8*") else { return nil }
        let payload = parts[2]
        guard !payload.contains(" ") else { return nil }
        let bytes: [UInt8]?
        switch parts[1].lowercased() {
        case "b": bytes = base64(payload)
        case "q": bytes = quoted(payload)
        default: bytes = nil
        }
        guard let bytes, let decoded = String(validating: bytes, as: UTF8.self) else { return nil }
        return (decoded, parts[3].dropFirst())
    }

    static func base64(_ text: Substring) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for scalar in text.unicodeScalars {
            let value: UInt32
            switch scalar {
            case "A"..."Z": value = scalar.value - 65
            case "a"..."z": value = scalar.value - 97 + 26
            case "0"..."9": value = scalar.value - 48 + 52
            case "+": value = 62
            case "/": value = 63
            case "=": continue
            default: return nil
            }
            buffer = (buffer << 6) | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }

    static func quoted(_ text: Substring) -> [UInt8]? {
        var out: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            if byte == UInt8(ascii: "_") {
                out.append(32)
            } else if byte == UInt8(ascii: "=") {
                guard bytes.count >= 2, let value = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16)
                else { return nil }
                out.append(value)
                bytes = bytes.dropFirst(2)
            } else {
                out.append(byte)
            }
        }
        return out
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (Foundation-free).
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
