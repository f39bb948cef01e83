/// Breaks text into lines no wider than a number of terminal columns, as
/// the terminal shows them (DisplayWidth: a Chinese character is two).
///
/// Why not by `count`: help text mixing Chinese and English, wrapped by
/// characters, runs past 80 columns on the screen; and Chinese has no
/// spaces, so a wrapper that breaks only at spaces cannot wrap it at all.
/// Lines break at spaces (which are then dropped) and between wide
/// characters, never before closing punctuation (，。）…) nor after opening
/// punctuation (（「…), the usual rule for Chinese (避头尾). A word wider than
/// the line is cut where it must be.
public enum LineWrap {
    public static func wrap(_ text: String, width: Int) -> [String] {
        let width = max(width, 2)
        var lines: [String] = []
        var line: [Character] = []
        var lineWidth = 0
        // The last place in `line` where it may be broken: the index the
        // next line starts at, and whether a space is dropped there.
        var breakAt: (index: Int, dropsSpace: Bool)? = nil

        func flush(upTo index: Int, dropping: Bool) {
            var head = Array(line[..<index])
            while head.last == " " { head.removeLast() }
            lines.append(String(head))
            var rest = Array(line[(dropping ? index + 1 : index)...])
            while rest.first == " " { rest.removeFirst() }
            line = rest
            lineWidth = DisplayWidth.of(String(line))
            breakAt = nil
            recomputeBreak()
        }

        func recomputeBreak() {
            for i in line.indices.dropFirst() where canBreak(before: line[i], after: line[i - 1]) {
                breakAt = (i, line[i] == " ")
            }
        }

        for character in text {
            if character == "\n" {
                lines.append(String(line).trimmingTrailingSpaces())
                line = []
                lineWidth = 0
                breakAt = nil
                continue
            }
            if let previous = line.last, canBreak(before: character, after: previous) {
                breakAt = (line.count, character == " ")
            }
            line.append(character)
            lineWidth += DisplayWidth.of(String(character))
            while lineWidth > width {
                if let at = breakAt, at.index > 0 {
                    flush(upTo: at.index, dropping: at.dropsSpace)
                } else {
                    // No place to break: cut before the character that overflowed.
                    var cut = line.count - 1
                    while cut > 1, DisplayWidth.of(String(line[..<cut])) > width { cut -= 1 }
                    flush(upTo: max(cut, 1), dropping: false)
                }
            }
        }
        lines.append(String(line).trimmingTrailingSpaces())
        return lines
    }

    static let noBreakBefore: Set<Character> = [
        "，", "。", "、", "；", "：", "！", "？", "）", "」", "』", "】", "》", "〉", "…", "—", ",", ".", ";", ":",
        ")", "]", "!", "?",
    ]
    static let noBreakAfter: Set<Character> = ["（", "「", "『", "【", "《", "〈", "(", "["]

    static func canBreak(before next: Character, after previous: Character) -> Bool {
        if next == " " { return previous != " " }
        if noBreakBefore.contains(next) || noBreakAfter.contains(previous) { return false }
        if previous == " " { return false }  // the break is at the space itself
        return isWide(previous) || isWide(next)
    }

    static func isWide(_ character: Character) -> Bool {
        character.unicodeScalars.first.map { DisplayWidth.of($0) == 2 } ?? false
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
