/// Terminal column widths: CJK ideographs and full-width forms take two
/// columns, combining marks none. Tables that pad by `count` misalign as soon
/// as a Chinese title appears; these pad by what the terminal shows.
///
/// The one width table: the command line's tables and mail's label columns
/// (MailFormat) both measure with it. (Before issue 14 each had a copy; they
/// differed for Hangul Jamo Extended-A, U+A960–A97F, now wide as UAX #11
/// says, and for format characters below U+0300 such as the soft hyphen, now
/// one column as glibc's `wcwidth` counts it.)
public enum DisplayWidth {
    public static func of(_ text: some StringProtocol) -> Int {
        var width = 0
        for scalar in text.unicodeScalars { width += of(scalar) }
        return width
    }

    public static func of(_ s: Unicode.Scalar) -> Int {
        let v = s.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        return isWide(v) ? 2 : 1
    }

    /// East Asian Wide and Fullwidth blocks (UAX #11, abridged to the blocks
    /// text in this project meets), plus the common emoji blocks that
    /// terminals draw two columns wide.
    static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
        0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    static func isWide(_ v: UInt32) -> Bool {
        for range in wide where range.contains(v) { return true }
        return false
    }

    public static func padded(_ text: String, to width: Int, alignRight: Bool = false) -> String {
        let gap = max(0, width - of(text))
        let pad = String(repeating: " ", count: gap)
        return alignRight ? pad + text : text + pad
    }
}
