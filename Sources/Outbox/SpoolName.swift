import Vocabulary

/// File names for spooled messages, derived from the notice key.
///
/// Pure (the name is decided when the message is composed); the spool only
/// checks that a name is safe and never writes one twice.
///
/// The name is how the spool knows a notice was already written, so it must
/// be the same in every process and on every run: it uses `StableHash` (FNV-1a 64) over a
/// length-prefixed key, never `Hasher`/`hashValue`, which are seeded per
/// process. The readable part (plan, item, period, kind, offset) lets an
/// administrator see what a file is with `ls`; the hash over the full key,
/// including the recipient, keeps names distinct even where the readable part
/// is truncated or sanitised, and tells apart copies sent to two people.
public enum SpoolName {
    /// At most 197 bytes of `[A-Za-z0-9._-]`, never starting with `.`, with no
    /// `/` or `:` (Maildir reserves `:` for flags), e.g.
    /// `surgery-2-2026_committee_2026-11_reminder_7d_9f86d081884c7d65`.
    ///
    /// The recipient is compared without case and surrounding spaces: changing
    /// `WangWu@` to `wangwu@` in a plan file must not mail the notice again.
    public static func make(
        plan: String,
        item: String,
        period: String,
        kind: String,
        offset: String,
        recipient: String
    ) -> String {
        let address = String(String.UnicodeScalarView(recipient.unicodeScalars.filter { !$0.properties.isWhitespace }))
            .lowercased()
        let fields = [plan, item, period, kind, offset]
        var key: [UInt8] = []
        for field in fields + [address] {
            key += Array(String(field.utf8.count).utf8)
            key.append(UInt8(ascii: ":"))
            key += field.utf8
        }
        var readable = fields.map { readablePart($0) }.joined(separator: "_")
        if readable.utf8.count > 180 { readable = String(readable.prefix(180)) }  // ASCII: one byte per character
        if readable.hasPrefix(".") { readable = "-" + readable.dropFirst() }
        return readable + "_" + StableHash.hex(StableHash.of(bytes: key))
    }

    /// Letters, digits, `.` and `-` kept; anything else (spaces, `/`, `:`,
    /// Chinese) becomes `-`, runs collapsed, each field capped at 40 bytes.
    static func readablePart(_ field: String) -> String {
        var out = ""
        var lastWasDash = false
        for scalar in field.unicodeScalars {
            let keep: Bool
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "-": keep = true
            default: keep = false
            }
            if keep {
                out.unicodeScalars.append(scalar)
                lastWasDash = scalar == "-"
            } else if !lastWasDash {
                out += "-"
                lastWasDash = true
            }
            if out.utf8.count >= 40 { break }
        }
        return out
    }
}
