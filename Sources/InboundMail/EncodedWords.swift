/// Header text as people read it: RFC 2047 encoded words (`=?GB2312?B?…?=`)
/// decoded, raw 8-bit headers (RFC 6532 UTF-8, or GBK from older Chinese
/// clients) decoded too.
///
/// Lenient where clients are sloppy: consecutive encoded words in the same
/// charset are joined before decoding, because clients split a GBK or UTF-8
/// character across two words; encoded words inside quoted strings (file
/// names) are decoded as well.
public enum EncodedWords {
    enum Piece {
        case literal([UInt8])
        case encoded(charset: String, bytes: [UInt8])
    }

    /// The decoded text of a raw header value (already unfolded).
    public static func decode(_ raw: some Collection<UInt8>) -> String {
        decodeReportingLoss(raw).text
    }

    static func decodeReportingLoss(_ raw: some Collection<UInt8>) -> (text: String, lossy: Bool) {
        let bytes = Array(raw)
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "="), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "?"),
                let (piece, end) = encodedWord(bytes, at: i)
            {
                if !literal.isEmpty { pieces.append(.literal(literal)) }
                literal = []
                pieces.append(piece)
                i = end
            } else {
                literal.append(bytes[i])
                i += 1
            }
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }

        var text = ""
        var lossy = false
        var index = 0
        while index < pieces.count {
            switch pieces[index] {
            case .literal(let run):
                // White space between two encoded words is not part of the text (RFC 2047 §6.2).
                let between =
                    index > 0 && index + 1 < pieces.count && isEncoded(pieces[index - 1])
                    && isEncoded(pieces[index + 1])
                    && run.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
                if !between {
                    let decoded = CharsetDecoder.decode(run, charset: nil)
                    text += decoded.text
                    lossy = lossy || decoded.lossy
                }
                index += 1
            case .encoded(let charset, var joined):
                var next = index + 1
                // Join with following words of the same charset (skipping blank runs between them).
                while next < pieces.count {
                    if case .literal(let run) = pieces[next], next + 1 < pieces.count,
                        run.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }),
                        case .encoded(let c2, let b2) = pieces[next + 1], c2 == charset
                    {
                        joined += b2
                        next += 2
                    } else if case .encoded(let c2, let b2) = pieces[next], c2 == charset {
                        joined += b2
                        next += 1
                    } else {
                        break
                    }
                }
                let decoded = CharsetDecoder.decode(joined, charset: charset)
                text += decoded.text
                lossy = lossy || decoded.lossy || decoded.unknownCharset != nil
                index = next
            }
        }
        return (text, lossy)
    }

    static func isEncoded(_ piece: Piece) -> Bool {
        if case .encoded = piece { return true }
        return false
    }

    /// `=?charset?B|Q?text?=` starting at `start`: the decoded piece and the
    /// index after it, or nil when the bytes there are not an encoded word.
    static func encodedWord(_ bytes: [UInt8], at start: Int) -> (Piece, Int)? {
        var i = start + 2
        let charsetStart = i
        while i < bytes.count, bytes[i] != UInt8(ascii: "?") {
            guard isTokenByte(bytes[i]) || bytes[i] == UInt8(ascii: "*") else { return nil }
            i += 1
        }
        guard i + 2 < bytes.count, i > charsetStart, bytes[i + 2] == UInt8(ascii: "?") else { return nil }
        let charset = String(decoding: bytes[charsetStart..<i], as: UTF8.self)
        let encoding = bytes[i + 1] | 0x20
        guard encoding == UInt8(ascii: "b") || encoding == UInt8(ascii: "q") else { return nil }
        i += 3
        let textStart = i
        // The text runs to "?="; no blanks inside (RFC 2047 §5), at most a line's worth.
        while i + 1 < bytes.count, !(bytes[i] == UInt8(ascii: "?") && bytes[i + 1] == UInt8(ascii: "=")) {
            guard bytes[i] > 0x20, bytes[i] < 0x7F, i - textStart < 4096 else { return nil }
            i += 1
        }
        guard i + 1 < bytes.count else { return nil }
        let text = bytes[textStart..<i]
        let decoded =
            encoding == UInt8(ascii: "b")
            ? TransferDecoding.base64(text) : TransferDecoding.quotedPrintable(text, underscoreIsSpace: true)
        return (.encoded(charset: CharsetDecoder.normalise(charset), bytes: decoded), i + 2)
    }

    /// RFC 2045 token characters (charset names).
    static func isTokenByte(_ c: UInt8) -> Bool {
        c > 0x20 && c < 0x7F && !"()<>@,;:\\\"/[]?=".utf8.contains(c)
    }
}
