import WorkCalendar

/// A date as people write it after `完成`: `2026-11-20`, `2026/11/20`,
/// `2026年11月20日`, `11-20`, `11/20`, `11.20`, `11月20日`, `今天`, `昨天`,
/// `前天`, `today`, `yesterday`. A date without a year is the latest such
/// day not more than a month ahead of today (so `12-28` written on 5 January
/// means last December), resolved against the `today` passed in.
enum ReplyDate {
    enum Found {
        /// No date at the start of the text.
        case none
        case date(CivilDate, after: Substring)
        /// Something shaped like a date that is not one (`11-31`).
        case invalid(String)
    }

    static let relative: [(String, Int)] = [
        ("今天", 0), ("今日", 0), ("today", 0), ("昨天", -1), ("昨日", -1), ("yesterday", -1), ("前天", -2),
    ]

    /// `allowShortNumeric`: whether `11-20` may be read as a date (not in a
    /// digest reply, where it is a range of lines).
    static func parse(_ text: Substring, today: CivilDate, allowShortNumeric: Bool) -> Found {
        let lower = text.lowercased()
        for (word, offset) in relative where lower.hasPrefix(word) {
            return .date(today.adding(days: offset), after: text.dropFirst(word.count))
        }
        var scanner = Scanner(text: text)
        guard let first = scanner.number(maxDigits: 4) else { return .none }
        if first.digits == 4, let sep = scanner.separator(["-", "/", ".", "年"]),
            let month = scanner.number(maxDigits: 2),
            scanner.separator(sep == "年" ? ["月"] : [sep]) != nil,
            let day = scanner.number(maxDigits: 2)
        {
            scanner.skip(["日", "号"])
            guard scanner.atBoundary else { return .none }
            let written = String(text[..<scanner.index])
            guard let date = CivilDate(year: first.value, month: month.value, day: day.value) else {
                return .invalid(written)
            }
            return .date(date, after: scanner.rest)
        }
        scanner = Scanner(text: text)
        guard let month = scanner.number(maxDigits: 2), let sep = scanner.separator(["-", "/", ".", "月"]) else {
            return .none
        }
        guard sep == "月" || allowShortNumeric, let day = scanner.number(maxDigits: 2) else { return .none }
        scanner.skip(["日", "号"])
        guard scanner.atBoundary else { return .none }
        let written = String(text[..<scanner.index])
        guard (1...12).contains(month.value), day.value >= 1,
            day.value <= CivilDate.daysIn(year: today.year, month: month.value) || (month.value == 2 && day.value == 29)
        else { return .invalid(written) }
        var year = today.year
        var date = CivilDate(year: year, month: month.value, day: day.value)
        if let d = date, today.distance(to: d) > 31 {
            year -= 1
            date = CivilDate(year: year, month: month.value, day: day.value)
        }
        guard let date else { return .invalid(written) }  // 02-29 in a year without one
        return .date(date, after: scanner.rest)
    }

    struct Scanner {
        let text: Substring
        var index: Substring.Index

        init(text: Substring) {
            self.text = text
            index = text.startIndex
        }

        var rest: Substring { text[index...] }

        /// At the end, or before a blank or punctuation (not another digit or letter).
        var atBoundary: Bool {
            guard index < text.endIndex else { return true }
            let c = text[index]
            return !(c.isLetter && c.isASCII) && !c.isNumber
        }

        mutating func number(maxDigits: Int) -> (value: Int, digits: Int)? {
            let digits = text[index...].prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= maxDigits, let value = Int(digits) else { return nil }
            index = text.index(index, offsetBy: digits.count)
            return (value, digits.count)
        }

        mutating func separator(_ allowed: [Character]) -> Character? {
            guard index < text.endIndex, allowed.contains(text[index]) else { return nil }
            defer { index = text.index(after: index) }
            return text[index]
        }

        mutating func skip(_ allowed: [Character]) {
            if index < text.endIndex, allowed.contains(text[index]) { index = text.index(after: index) }
        }
    }
}
