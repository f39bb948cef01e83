/// One header field as received: its name as written and its value's bytes,
/// unfolded (line breaks before continuation blanks removed) and trimmed.
public struct HeaderField: Sendable, Hashable {
    public var name: String
    public var value: [UInt8]

    public init(name: String, value: [UInt8]) {
        self.name = name
        self.value = value
    }

    /// The value as text, encoded words and 8-bit bytes decoded.
    public var text: String { EncodedWords.decode(value) }

    /// The value's bytes as ASCII-ish text without decoding encoded words:
    /// for structured fields (Content-Type, Message-ID), decoded in pieces.
    var raw: String { String(decoding: value, as: UTF8.self) }
}

/// The header block of a message or a MIME part.
public struct MessageHeaders: Sendable, Hashable {
    public var fields: [HeaderField]

    /// A header block larger than this is cut there (with a note): no real
    /// client writes one, and an attacker's would cost memory for nothing.
    static let sizeLimit = 1 << 20
    static let fieldLimit = 2_000

    public init(fields: [HeaderField] = []) {
        self.fields = fields
    }

    /// The first field named `name` (case-insensitive).
    public func first(_ name: String) -> HeaderField? {
        let lower = name.lowercased()
        return fields.first { $0.name.lowercased() == lower }
    }

    public func all(_ name: String) -> [HeaderField] {
        let lower = name.lowercased()
        return fields.filter { $0.name.lowercased() == lower }
    }

    /// The decoded text of the first field named `name`.
    public subscript(_ name: String) -> String? { first(name)?.text }

    /// Reads a header block from `bytes` starting at `start` and returns the
    /// headers, the index where the body starts (after the blank line; the
    /// end when there is none), and whether a limit cut the block.
    static func parse(_ bytes: [UInt8], from start: Int = 0, end: Int? = nil) -> (MessageHeaders, Int, Bool) {
        let end = end ?? bytes.count
        var fields: [HeaderField] = []
        var i = start
        var truncated = false
        var current: (name: String, value: [UInt8])?

        func finish() {
            guard let field = current else { return }
            current = nil
            if fields.count >= fieldLimit {
                truncated = true
                return
            }
            var value = field.value[...]
            while let c = value.first, c == 0x20 || c == 0x09 { value.removeFirst() }
            while let c = value.last, c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A { value.removeLast() }
            fields.append(HeaderField(name: field.name, value: Array(value)))
        }

        while i < end {
            // One physical line: [i, lineEnd) without its CR LF; next starts after it.
            var lineEnd = i
            while lineEnd < end, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            let next = min(lineEnd + 1, end)
            var contentEnd = lineEnd
            if contentEnd > i, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            if contentEnd == i {  // the blank line: the body follows
                finish()
                return (MessageHeaders(fields: fields), next, truncated)
            }
            if i - start > sizeLimit {
                truncated = true
                finish()
                // Skip to the blank line, so the body is still found.
                var j = i
                while j < end {
                    var e = j
                    while e < end, bytes[e] != 0x0A { e += 1 }
                    let blank = e == j || (e == j + 1 && bytes[j] == 0x0D)
                    j = min(e + 1, end)
                    if blank { break }
                }
                return (MessageHeaders(fields: fields), j, true)
            }
            let first = bytes[i]
            if first == 0x20 || first == 0x09 {
                // A continuation: unfolding removes only the line break.
                current?.value += bytes[i..<contentEnd]
            } else if let colon = bytes[i..<contentEnd].firstIndex(of: UInt8(ascii: ":")),
                colon > i, bytes[i..<colon].allSatisfy({ $0 > 0x20 && $0 < 0x7F })
            {
                finish()
                current = (String(decoding: bytes[i..<colon], as: UTF8.self), Array(bytes[(colon + 1)..<contentEnd]))
            } else if fields.isEmpty && current == nil && bytes[i..<contentEnd].starts(with: Array("From ".utf8)) {
                // An mbox "From " line some delivery agents prepend: not a header.
            } else {
                // Not a header line: the header block ended without a blank line.
                finish()
                return (MessageHeaders(fields: fields), i, truncated)
            }
            i = next
        }
        finish()
        return (MessageHeaders(fields: fields), end, truncated)
    }
}
