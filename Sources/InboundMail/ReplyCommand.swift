import WorkCalendar

/// What a reply asks for, read from the first lines of its own text
/// (issue 16): `完成` / `已完成` / `办结` / `已办` / `done` with an optional date
/// and the rest as a note; `撤销` / `undo`; for a digest, line numbers
/// (`完成 1 3 5-7`). Anything else gets the short help answer.
///
/// Pure: "today" is passed in, and relative dates (`昨天`, `11-20`) are
/// resolved against it.
public enum ReplyCommand: Sendable, Hashable {
    /// Record as done on `date` (today when the reply named none); for a
    /// digest reply, the numbered `lines` (ascending, without repeats).
    case done(date: CivilDate, lines: [Int], note: String?)
    /// Take back what this sender recorded; for a digest reply, of these lines.
    case undo(lines: [Int])
    /// Not understood: answer with the help text, saying why.
    case help(HelpReason)

    public enum HelpReason: Sendable, Hashable {
        /// The reply has no text of its own (only the quoted notice).
        case empty
        /// The first lines start with no keyword; `firstLine` is the first, for the log.
        case noKeyword(firstLine: String)
        /// A date that does not exist (`2026-02-30`, `13-01`).
        case invalidDate(String)
        /// A digest reply without line numbers, or numbers beyond the limits.
        case noLines
    }

    /// How many lines a digest reply may name at once, and the highest number.
    public static let maximumLines = 1_000
    public static let highestLineNumber = 10_000
    /// A longer note is cut (with an ellipsis): the ledger keeps a note, not a letter.
    public static let noteLimit = 1_000

    static let doneKeywords = ["已完成", "已办结", "已办理", "已办完", "办结", "已办", "完成", "done", "completed", "complete"]
    static let undoKeywords = ["撤销", "撤回", "undo"]
    /// What may follow a keyword directly: `完成了`, `完成！`.
    static let particles: Set<Character> = ["了", "啦", "的"]
    static let separators: Set<Character> = [
        " ", ",", "，", "。", ".", ":", "：", ";", "；", "、", "!", "！", "-", "—", "~", "～", "(", ")", "（", "）",
    ]

    /// Reads `reply`: `numbered` is true when the reply answers a digest (its
    /// numbers are line numbers, so `11-20` is a range there, a date elsewhere).
    public static func parse(_ reply: ReplyText, today: CivilDate, numbered: Bool) -> ReplyCommand {
        let lines = reply.lines.map(normalise)
        guard let firstIndex = lines.firstIndex(where: { !$0.isEmpty }) else { return .help(.empty) }
        var index = firstIndex
        var checked = 0
        while index < lines.count, checked < 3 {
            let line = lines[index]
            if line.isEmpty {
                index += 1
                continue
            }
            checked += 1
            if let (keyword, rest) = keyword(in: line) {
                let following = lines[(index + 1)...].joined(separator: "\n")
                return command(keyword: keyword, rest: rest, following: following, today: today, numbered: numbered)
            }
            guard isGreeting(line) else { break }
            index += 1
        }
        return .help(.noKeyword(firstLine: String(reply.lines[firstIndex].prefix(80))))
    }

    enum Keyword { case done, undo }

    /// The keyword a line starts with and what follows it.
    static func keyword(in line: String) -> (Keyword, Substring)? {
        let lower = line.lowercased()
        for (kind, words) in [(Keyword.done, doneKeywords), (.undo, undoKeywords)] {
            for word in words where lower.hasPrefix(word) {
                let rest = line.dropFirst(word.count)
                guard let next = rest.first else { return (kind, rest) }
                if separators.contains(next) || next.isNumber || particles.contains(next) {
                    return (kind, rest.drop { particles.contains($0) })
                }
                // 今天/昨天 right after the keyword: 完成昨天.
                if ["今", "昨", "前"].contains(next) { return (kind, rest) }
            }
        }
        return nil
    }

    /// `您好，` `王老师：` `Hi,` — a short line ending in a comma or colon, before the keyword line.
    static func isGreeting(_ line: String) -> Bool {
        guard line.count <= 20, let last = line.last else { return false }
        return ["，", ",", "：", ":", "！", "!", "。"].contains(last)
            || ["您好", "你好", "hi", "hello", "老师好", "领导好"].contains(line.lowercased())
    }

    static func command(
        keyword: Keyword,
        rest: Substring,
        following: String,
        today: CivilDate,
        numbered: Bool
    )
        -> ReplyCommand
    {
        var text = rest.drop { separators.contains($0) }
        var lines: [Int] = []
        if numbered {
            guard let (numbers, after) = lineNumbers(text) else { return .help(.noLines) }
            lines = numbers
            text = after.drop { separators.contains($0) }
        }
        if keyword == .undo { return numbered && lines.isEmpty ? .help(.noLines) : .undo(lines: lines) }
        if numbered && lines.isEmpty { return .help(.noLines) }
        var date = today
        switch ReplyDate.parse(text, today: today, allowShortNumeric: !numbered) {
        case .none: break
        case .date(let found, let after):
            date = found
            text = after.drop { separators.contains($0) }
        case .invalid(let written): return .help(.invalidDate(written))
        }
        // The rest of the line and the lines below it, without runs of blank lines.
        var noteLines =
            [String(text)] + following.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        noteLines = noteLines.enumerated().filter { index, line in
            !line.isEmpty || (index > 0 && !noteLines[index - 1].isEmpty)
        }.map(\.element)
        var note = noteLines.joined(separator: "\n").trimmingCharacters(in: " \n")
        if note.count > noteLimit { note = String(note.prefix(noteLimit - 1)) + "…" }
        return .done(date: date, lines: lines, note: note.isEmpty ? nil : note)
    }

    /// `1 3 5-7` at the start of `text`: the numbers (sorted, unique) and what follows.
    /// Nil when they break the limits.
    static func lineNumbers(_ text: Substring) -> ([Int], Substring)? {
        var numbers: Set<Int> = []
        var rest = text
        while true {
            let trimmed = rest.drop { $0 == " " || $0 == "," || $0 == "，" || $0 == "、" || $0 == ";" || $0 == "；" }
            guard let (first, afterFirst) = number(trimmed) else { break }
            // 2026-11-18 after the numbers is the date, not a range.
            if trimmed.count - afterFirst.count == 4, let next = afterFirst.first, ["-", "/", ".", "年"].contains(next) {
                break
            }
            var after = afterFirst
            var last = first
            if let dash = after.first, ["-", "~", "～", "—", "到", "至"].contains(dash),
                let (end, afterEnd) = number(after.dropFirst())
            {
                last = end
                after = afterEnd
            }
            // A number must end at a separator or the end: "3号楼" is not line 3.
            if let next = after.first, !separators.contains(next), next != "、" { break }
            guard first >= 1, last >= first, last <= highestLineNumber, last - first < maximumLines else { return nil }
            numbers.formUnion(first...last)
            guard numbers.count <= maximumLines else { return nil }
            rest = after
        }
        return (numbers.sorted(), rest)
    }

    static func number(_ text: Substring) -> (Int, Substring)? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 6, let value = Int(digits) else { return nil }
        return (value, text.dropFirst(digits.count))
    }

    /// Full-width digits, letters and date separators (`１１－２０`, `ｄｏｎｅ`) as ASCII, blanks
    /// trimmed. Full-width punctuation (`，` `：`) stays: it is part of the note.
    static func normalise(_ line: String) -> String {
        var out = ""
        for scalar in line.unicodeScalars {
            let v = scalar.value
            let convert =
                (0xFF10...0xFF19).contains(v) || (0xFF21...0xFF3A).contains(v) || (0xFF41...0xFF5A).contains(v)
                || v == 0xFF0D || v == 0xFF0E || v == 0xFF0F
            if convert, let ascii = Unicode.Scalar(v - 0xFEE0) {
                out.unicodeScalars.append(ascii)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out.trimmingCharacters(in: " ")
    }
}
