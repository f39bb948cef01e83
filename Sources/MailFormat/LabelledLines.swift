import TextLayout
import Vocabulary

/// Label/value lines whose values start in the same column.
///
/// Chinese labels are padded after the full-width colon with ideographic
/// spaces (U+3000), not ASCII ones: an all-CJK label plus ideographic spaces
/// lines up in the proportional fonts of mail clients too, where ASCII spaces
/// are narrower than half a character. An odd leftover column gets one ASCII
/// space. Continuation lines of a multi-line value are indented to the value
/// column the same way.
enum LabelledLines {
    static func render(_ rows: [(label: String, value: String)], language: Language) -> [String] {
        let colon = Texts.labelColon.text(in: language)
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
