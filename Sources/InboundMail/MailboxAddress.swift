import Vocabulary

/// Mailboxes as a received header writes them: `"王五" <wangwu@x>`,
/// `=?GB2312?B?zfXO5Q==?= <wangwu@x>`, `wangwu@x (王五)`, `<wangwu@x>`.
///
/// Received headers are not plan files: this parser is lenient about names
/// (encoded words, quotes, comments) and strict only about there being one
/// `@` and no blanks in the address.
extension Address {
    /// The mailboxes of an address-list header value (raw bytes).
    public static func receivedList(_ raw: [UInt8]) -> [Address] {
        split(raw).compactMap(parseOne)
    }

    /// The first mailbox of a header value.
    public static func received(_ raw: [UInt8]) -> Address? { receivedList(raw).first }

    /// Splits at commas outside quotes, angle brackets and comments.
    static func split(_ raw: [UInt8]) -> [ArraySlice<UInt8>] {
        var pieces: [ArraySlice<UInt8>] = []
        var start = 0
        var inQuote = false
        var angle = 0
        var comment = 0
        var i = 0
        while i < raw.count {
            let c = raw[i]
            if c == UInt8(ascii: "\\") {
                i += 2
                continue
            }
            if inQuote {
                if c == UInt8(ascii: "\"") { inQuote = false }
            } else if c == UInt8(ascii: "\"") {
                inQuote = true
            } else if c == UInt8(ascii: "(") {
                comment += 1
            } else if c == UInt8(ascii: ")") {
                comment = max(0, comment - 1)
            } else if c == UInt8(ascii: "<") {
                angle += 1
            } else if c == UInt8(ascii: ">") {
                angle = max(0, angle - 1)
            } else if (c == UInt8(ascii: ",") || c == UInt8(ascii: ";")) && angle == 0 && comment == 0 {
                pieces.append(raw[start..<i])
                start = i + 1
            }
            i += 1
        }
        pieces.append(raw[start..<raw.count])
        return pieces
    }

    static func parseOne(_ raw: ArraySlice<UInt8>) -> Address? {
        let bytes = Array(raw)
        // A group's "name:" prefix is not part of the mailbox.
        if let open = lastUnquoted(UInt8(ascii: "<"), in: bytes),
            let close = bytes[open...].firstIndex(of: UInt8(ascii: ">"))
        {
            let address = clean(bytes[(open + 1)..<close])
            guard isPlausible(address) else { return nil }
            return Address(name: displayName(bytes[..<open]), address: address)
        }
        // No angle brackets: the address is the word with an '@'; a comment may hold the name.
        var withoutComments: [UInt8] = []
        var commentText: [UInt8] = []
        var depth = 0
        for c in bytes {
            if c == UInt8(ascii: "(") {
                depth += 1
                if depth == 1 { continue }
            }
            if c == UInt8(ascii: ")") && depth > 0 {
                depth -= 1
                if depth == 0 { continue }
            }
            if depth > 0 { commentText.append(c) } else { withoutComments.append(c) }
        }
        let words = withoutComments.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A })
        guard let word = words.first(where: { $0.contains(UInt8(ascii: "@")) }) else { return nil }
        let address = clean(word)
        guard isPlausible(address) else { return nil }
        return Address(name: displayName(commentText[...]), address: address)
    }

    static func lastUnquoted(_ target: UInt8, in bytes: [UInt8]) -> Int? {
        var inQuote = false
        var found: Int?
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\\") {
                i += 2
                continue
            }
            if c == UInt8(ascii: "\"") { inQuote.toggle() } else if c == target && !inQuote { found = i }
            i += 1
        }
        return found
    }

    static func clean(_ bytes: ArraySlice<UInt8>) -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        text.removeAll { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\"" }
        if text.hasPrefix("mailto:") { text.removeFirst(7) }
        return text
    }

    static func isPlausible(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && address.utf8.count <= 320
    }

    static func displayName(_ bytes: ArraySlice<UInt8>) -> String {
        var text = EncodedWords.decode(Array(bytes))
        text = text.trimmingCharacters(" \t\r\n")
        if text.count >= 2, text.first == "\"", text.last == "\"" { text = String(text.dropFirst().dropLast()) }
        text = text.replacing("\\\"", with: "\"")
        return text.trimmingCharacters(" \t\r\n")
    }
}

extension String {
    func trimmingCharacters(_ set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }

}
