import Vocabulary
import Diagnostics

/// The characters no text of plankeeper's may contain, written raw or as a
/// YAML escape: they reach terminals (`schedule` output), the journal and
/// mail bodies, where an `ESC ]0;…BEL` retitles a window, `ESC [2J` clears
/// it, and a right-to-left override shows a deadline's text reversed.
///
/// Refused: the C0 controls except tab and line feed (so also NUL and CR
/// written as escapes), DEL, the C1 controls (with NEL), the line and
/// paragraph separators U+2028/U+2029 (line breaks to YAML 1.1, invisible
/// to editors), and the bidirectional controls U+202A–U+202E, U+2066–U+2069,
/// U+200E/U+200F and U+061C.
public enum TextCharacters {
    /// In a decoded value: line feeds are fine (a literal block `note: |`).
    public static func isForbidden(decoded c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09, 0x0A: false
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true
        default: false
        }
    }

    /// In the file's bytes: carriage returns are fine too (CRLF files).
    public static func isForbidden(raw c: Unicode.Scalar) -> Bool {
        c.value != 0x0D && isForbidden(decoded: c)
    }

    /// The byte offset and the scalar of the first forbidden raw character
    /// in valid UTF-8 (checked before); nil when there is none.
    public static func firstForbidden(inUTF8 bytes: [UInt8]) -> (Int, Unicode.Scalar)? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                if b < 0x20 || b == 0x7F, let s = Unicode.Scalar(UInt32(b)), isForbidden(raw: s) { return (i, s) }
                i += 1
                continue
            }
            let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
            // Only two- and three-byte sequences can be forbidden: C1 (C2 80–9F), U+061C, U+200E–U+2069.
            if length == 2, b == 0xC2, i + 1 < n, bytes[i + 1] <= 0x9F {
                return (i, Unicode.Scalar(UInt32(bytes[i + 1]))!)
            }
            if length == 2, b == 0xD8, i + 1 < n, bytes[i + 1] == 0x9C { return (i, "\u{061C}") }
            if length == 3, b == 0xE2, i + 2 < n, bytes[i + 1] == 0x80 || bytes[i + 1] == 0x81 {
                let value = 0x2000 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
                if let s = Unicode.Scalar(value), isForbidden(raw: s) { return (i, s) }
            }
            i += length
        }
        return nil
    }

    /// "the text contains U+001B (ESC)".
    public static func refusal(_ c: Unicode.Scalar, escaped: Bool = false) -> Message {
        let hex = String(c.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let name = names[c.value].map { "（\($0)）" } ?? ""
        let nameEN = names[c.value].map { " (\($0))" } ?? ""
        return escaped
            ? Message(
                zh: "文本中含有控制字符 \(code)\(name)（由转义写出）；请删除",
                en: "the text contains the control character \(code)\(nameEN), written as an escape; remove it"
            )
            : Message(
                zh: "文件中含有控制字符 \(code)\(name)；请删除",
                en: "the file contains the control character \(code)\(nameEN); remove it"
            )
    }

    static let names: [UInt32: String] = [
        0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF", 0x0D: "CR", 0x1B: "ESC", 0x7F: "DEL", 0x85: "NEL",
        0x9B: "CSI", 0x2028: "LINE SEPARATOR", 0x2029: "PARAGRAPH SEPARATOR", 0x202A: "LRE", 0x202B: "RLE",
        0x202C: "PDF", 0x202D: "LRO", 0x202E: "RLO", 0x2066: "LRI", 0x2067: "RLI", 0x2068: "FSI", 0x2069: "PDI",
        0x200E: "LRM", 0x200F: "RLM", 0x061C: "ALM",
    ]
}
