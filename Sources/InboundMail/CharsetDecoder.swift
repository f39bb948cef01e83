#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Text in the charsets Chinese mail clients send, turned into Swift strings.
///
/// UTF-8 is decoded here; everything else through the C library's iconv
/// (glibc ships GB18030, GBK, Big5 and Big5-HKSCS). Labels are widened to
/// the superset clients actually mean: a message labelled `gb2312` is
/// routinely GBK (Outlook and Foxmail write GBK characters under that label),
/// and GB18030 contains both; `big5` is decoded as Big5-HKSCS (then CP950).
/// Bytes that are not valid in the charset become U+FFFD and the result is
/// marked lossy, never refused: a reply with one bad byte still says "完成".
public enum CharsetDecoder {
    public struct Decoded: Sendable, Hashable {
        public var text: String
        /// Some bytes could not be decoded (or the charset was unknown).
        public var lossy: Bool
        /// The charset label was not one this machine can decode; the text is UTF-8 with replacements.
        public var unknownCharset: String?
    }

    /// Decodes `bytes` labelled `charset` (nil or empty: unlabelled, which
    /// is tried as UTF-8 and then as GB18030, what unlabelled Chinese text
    /// almost always is).
    public static func decode(_ bytes: some Collection<UInt8>, charset: String?) -> Decoded {
        let bytes = Array(bytes)
        let label = normalise(charset ?? "")
        if bytes.allSatisfy({ $0 < 0x80 }) && !isWide(label) {
            return Decoded(text: String(decoding: bytes, as: UTF8.self), lossy: false, unknownCharset: nil)
        }
        switch label {
        case "", "us-ascii", "ascii", "ansi_x3.4-1968", "utf-8", "utf8", "unicode-1-1-utf-8", "x-unknown",
            "unknown-8bit",
            "default":
            if let text = String(validating: bytes, as: UTF8.self) {
                return Decoded(text: text, lossy: false, unknownCharset: nil)
            }
            // 8-bit text under an ASCII or missing label is usually GBK from a Chinese
            // client; under a UTF-8 label it is broken UTF-8, but GB18030 may still be right.
            if let text = iconvStrict(bytes, from: "GB18030") {
                return Decoded(text: text, lossy: false, unknownCharset: nil)
            }
            return Decoded(text: String(decoding: bytes, as: UTF8.self), lossy: true, unknownCharset: nil)
        default:
            for candidate in iconvNames(for: label) {
                if let (text, lossy) = iconvLenient(bytes, from: candidate) {
                    return Decoded(text: text, lossy: lossy, unknownCharset: nil)
                }
            }
            return Decoded(text: String(decoding: bytes, as: UTF8.self), lossy: true, unknownCharset: charset)
        }
    }

    /// Lower case, without quotes, blanks or an RFC 2231 language suffix (`utf-8*zh`).
    static func normalise(_ label: String) -> String {
        var text = Substring(label.lowercased())
        while let c = text.first, c == " " || c == "\"" || c == "'" || c == "\t" { text.removeFirst() }
        while let c = text.last, c == " " || c == "\"" || c == "'" || c == "\t" { text.removeLast() }
        if let star = text.firstIndex(of: "*") { text = text[..<star] }
        return String(text)
    }

    /// Charsets whose ASCII bytes do not mean ASCII characters.
    static func isWide(_ label: String) -> Bool {
        label.hasPrefix("utf-16") || label.hasPrefix("utf-32") || label.hasPrefix("ucs-") || label == "utf-7"
            || label.hasPrefix("hz")
    }

    /// The iconv names to try for a label, widest first.
    static func iconvNames(for label: String) -> [String] {
        switch label {
        case "gb2312", "gbk", "x-gbk", "cp936", "ms936", "windows-936", "gb_2312-80", "euc-cn", "x-euc-cn", "csgb2312",
            "chinese", "iso-ir-58", "gb18030", "gb-18030":
            ["GB18030"]
        case "big5", "x-big5", "cp950", "ms950", "windows-950", "big5-hkscs", "big5hkscs", "csbig5", "cn-big5":
            ["BIG5-HKSCS", "CP950", "BIG5"]
        case "iso-8859-1", "latin1", "l1", "iso_8859-1", "us-ascii-8bit": ["WINDOWS-1252"]
        case "ks_c_5601-1987", "euc-kr": ["CP949"]
        default:
            // Only labels made of the characters charset names use reach iconv_open.
            label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) } ? [label] : []
        }
    }

    /// The whole text in `charset`, or nil at the first invalid byte or when
    /// iconv does not know the charset.
    static func iconvStrict(_ bytes: [UInt8], from charset: String) -> String? {
        guard let (text, lossy) = iconvLenient(bytes, from: charset), !lossy else { return nil }
        return text
    }

    /// The text with U+FFFD for each undecodable byte; nil when iconv does not know the charset.
    static func iconvLenient(_ bytes: [UInt8], from charset: String) -> (String, Bool)? {
        let converter = iconv_open("UTF-8", charset)
        guard let converter, converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 3 / 2 + 16)
        var lossy = false
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        var input = bytes.map { CChar(bitPattern: $0) }
        var position = 0
        while position < input.count {
            var failure: Int32 = 0
            var consumed = 0
            var produced = 0
            input.withUnsafeMutableBufferPointer { inBuffer in
                chunk.withUnsafeMutableBufferPointer { outBuffer in
                    guard let inBase = inBuffer.baseAddress, let outBase = outBuffer.baseAddress else { return }
                    var inPointer: UnsafeMutablePointer<CChar>? = inBase + position
                    var inLeft = inBuffer.count - position
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase)
                        .assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuffer.count
                    if iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) == -1 { failure = errno }
                    consumed = inBuffer.count - position - inLeft
                    produced = outBuffer.count - outLeft
                }
            }
            output += chunk[0..<produced]
            position += consumed
            switch failure {
            case 0: break
            case E2BIG: continue
            default:
                // EILSEQ (invalid byte) or EINVAL (a sequence cut off at the end):
                // one replacement character, skip the byte, start the state afresh.
                output += [0xEF, 0xBF, 0xBD]
                lossy = true
                position += 1
                _ = iconv(converter, nil, nil, nil, nil)
            }
            if failure == 0 && consumed == 0 { break }
        }
        return (String(decoding: output, as: UTF8.self), lossy)
    }
}
