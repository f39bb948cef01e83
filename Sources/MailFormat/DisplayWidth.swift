/// Terminal-style column width: a Chinese character takes two columns, so a
/// label column padded by character count would come out ragged. MailFormat
/// keeps its own small copy instead of depending on TextLayout, because mail
/// text must stay buildable from `WorkCalendar` alone.
enum DisplayWidth {
    static func of(_ text: some StringProtocol) -> Int {
        var total = 0
        for scalar in text.unicodeScalars { total += of(scalar) }
        return total
    }

    static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if v < 0x7F { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if (0xFE00...0xFE0F).contains(v) { return 0 }  // variation selectors
        for range in wide where range.contains(v) { return 2 }
        return 1
    }

    /// East Asian Wide and Fullwidth blocks (UAX #11), plus the common emoji
    /// blocks that terminals draw two columns wide.
    private static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
        0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}

/// Label/value lines whose values start in the same column.
///
/// Chinese labels are padded after the full-width colon with ideographic
/// spaces (U+3000), not ASCII ones: an all-CJK label plus ideographic spaces
/// lines up in the proportional fonts of mail clients too, where ASCII spaces
/// are narrower than half a character. An odd leftover column gets one ASCII
/// space. Continuation lines of a multi-line value are indented to the value
/// column the same way.
enum LabelledLines {
    static func render(_ rows: [(label: String, value: String)], language: MailLanguage) -> [String] {
        let colon = language == .zh ? "：" : ": "
        let heads = rows.map { $0.label + colon }
        let column = heads.map { DisplayWidth.of($0) }.max() ?? 0
        func padding(_ width: Int) -> String {
            let missing = max(0, column - width)
            if language == .en { return String(repeating: " ", count: missing) }
            return String(repeating: "\u{3000}", count: missing / 2) + (missing % 2 == 1 ? " " : "")
        }
        var out: [String] = []
        for (head, row) in zip(heads, rows) {
            let valueLines = row.value.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            for (i, line) in valueLines.enumerated() {
                out.append(i == 0 ? head + padding(DisplayWidth.of(head)) + line : padding(0) + line)
            }
        }
        return out
    }
}
