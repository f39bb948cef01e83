import TextLayout
import Vocabulary
import WorkCalendar

/// Small text helpers shared by the renderers (internal).
enum Format {
    /// `66.7%`, or `—` for no rate. One decimal, rounded half up.
    static func percent(_ rate: Double?) -> String {
        guard let rate else { return "—" }
        let tenths = Int((rate * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// A rate as a JSON number with four decimals (`0.6667`), or `null`.
    static func jsonRate(_ rate: Double?) -> String {
        guard let rate else { return "null" }
        let n = Int((rate * 10000).rounded())
        let frac = String(n % 10000)
        return "\(n / 10000)." + String(repeating: "0", count: 4 - frac.count) + frac
    }

    /// `11-25`
    static func monthDay(_ d: CivilDate) -> String {
        let (_, m, day) = d.components
        return pad2(m) + "-" + pad2(day)
    }

    static func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    /// A table's lines joined, without the trailing spaces an empty last
    /// cell leaves behind (they show up in `diff` and in mail).
    static func block(_ table: TextTable, indent: String, colour: Bool) -> String {
        table.render(indent: indent, colour: colour).map { line in
            var l = Substring(line)
            while l.last == " " { l.removeLast() }
            return String(l)
        }.joined(separator: "\n")
    }

    /// The name of a unit group; plans written by hand (no roster) have none.
    static func unitName(_ u: PeriodReport.UnitSummary, _ l: Language) -> String {
        u.units.last ?? l.pick("（未编入名册）", "(not in a roster)")
    }

    static func weekday(_ d: CivilDate, _ language: Language) -> String {
        language.pick(d.weekday.chineseName, d.weekday.englishName)
    }

    /// JSON string literal.
    static func json(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func json(_ s: String?) -> String { s.map { json($0) } ?? "null" }

    /// Text for HTML element content and attribute values.
    static func html(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `（2–3 次）` / ` (2–3 times)` for a `times` requirement.
    static func times(_ range: ClosedRange<Int>, _ language: Language) -> String {
        let n = range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)–\(range.upperBound)"
        return language.pick("（\(n) 次）", " (\(n) times)")
    }
}

extension OccurrenceState {
    /// How late work was done: `晚 3 个工作日`, or `晚 1 天` when no working day
    /// passed (done on the Saturday after a Friday deadline); empty otherwise.
    public func lateness(_ language: Language, due: CivilDate) -> String {
        guard case .doneLate(let on, let wd) = self else { return "" }
        if wd > 0 { return language.pick("晚 \(wd) 个工作日", "\(wd) working day\(wd == 1 ? "" : "s")") }
        let days = due.distance(to: on)
        return language.pick("晚 \(days) 天", "\(days) day\(days == 1 ? "" : "s")")
    }

    /// A short description: `按时完成`, `逾期完成（晚 3 个工作日）`, `逾期 2 个工作日`,
    /// `还有 3 个工作日`, `今天到期`, `未到期`.
    public func text(_ language: Language, today: CivilDate? = nil, due: CivilDate? = nil) -> String {
        switch self {
        case .doneOnTime:
            return language.pick("按时完成", "done on time")
        case .doneLate(let on, let wd):
            if wd > 0 {
                return language.pick("逾期完成（晚 \(wd) 个工作日）", "done late (\(wd) working day\(wd == 1 ? "" : "s") late)")
            }
            let days = due.map { $0.distance(to: on) } ?? 1
            return language.pick("逾期完成（晚 \(days) 天）", "done late (\(days) day\(days == 1 ? "" : "s") late)")
        case .overdue(let wd):
            if wd > 0 { return language.pick("逾期 \(wd) 个工作日", "overdue \(wd) working day\(wd == 1 ? "" : "s")") }
            return language.pick("已逾期", "overdue")
        case .dueSoon(let left):
            if left == 0 {
                if let today, let due, due > today {
                    return language.pick("即将到期（下个工作日前）", "due before the next working day")
                }
                return language.pick("今天到期", "due today")
            }
            return language.pick("即将到期（还有 \(left) 个工作日）", "due soon (\(left) working day\(left == 1 ? "" : "s") left)")
        case .upcoming:
            return language.pick("未到期", "upcoming")
        }
    }
}
