import PlanFormat
import WorkCalendar

/// A reporting period: a month, quarter, half-year or year, labelled the way
/// plan periods are (`2026-11`, `2026-Q4`, `2026-H2`, `2026`).
public struct ReportPeriod: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var kind: Period
    public var year: Int
    /// 1-based: the month (1–12), quarter (1–4), half (1–2), or 1 for a year.
    public var index: Int

    /// Nil when the index does not exist for the kind (a 13th month, a Q5).
    public init?(kind: Period, year: Int, index: Int) {
        guard (1...(12 / kind.monthsLong)).contains(index) else { return nil }
        self.init(unchecked: kind, year: year, index: index)
    }

    /// For indexes computed here, which are in range by construction: no
    /// optional to unwrap, so no path can trap.
    private init(unchecked kind: Period, year: Int, index: Int) {
        self.kind = kind
        self.year = year
        self.index = index
    }

    /// Parses `2026-11`, `2026-Q4` (or `q4`), `2026-H2` (or `h2`) and `2026`.
    public init?(label: String) {
        let parts = label.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, first.count == 4, first.allSatisfy(\.isASCII), let year = Int(first) else { return nil }
        if parts.count == 1 {
            self.init(kind: .year, year: year, index: 1)
            return
        }
        guard parts.count == 2 else { return nil }
        let rest = parts[1]
        if let m = Int(rest), rest.count == 2, rest.allSatisfy(\.isASCII) {
            self.init(kind: .month, year: year, index: m)
        } else if rest.count == 2, let n = Int(rest.dropFirst()), rest.dropFirst().allSatisfy(\.isASCII) {
            switch rest.first {
            case "Q", "q": self.init(kind: .quarter, year: year, index: n)
            case "H", "h": self.init(kind: .halfYear, year: year, index: n)
            default: return nil
            }
        } else {
            return nil
        }
    }

    /// The period of a kind that contains a date.
    public static func containing(_ date: CivilDate, kind: Period) -> ReportPeriod {
        ReportPeriod(unchecked: kind, year: date.year, index: (date.month - 1) / kind.monthsLong + 1)
    }

    public var firstMonth: Int { (index - 1) * kind.monthsLong + 1 }
    public var lastMonth: Int { index * kind.monthsLong }
    public var start: CivilDate { CivilDate.firstOfMonth(year: year, month: firstMonth) }
    public var end: CivilDate { CivilDate.endOfMonth(year: year, month: lastMonth) }
    public func contains(_ date: CivilDate) -> Bool { start <= date && date <= end }

    /// The label, as plan periods write it.
    public var label: String {
        switch kind {
        case .month: "\(year)-" + (index < 10 ? "0\(index)" : "\(index)")
        case .quarter: "\(year)-Q\(index)"
        case .halfYear: "\(year)-H\(index)"
        case .year: "\(year)"
        }
    }

    public var description: String { label }

    /// The period right after this one (of the same kind).
    public var next: ReportPeriod {
        let count = 12 / kind.monthsLong
        return index < count ? ReportPeriod(unchecked: kind, year: year, index: index + 1) : ReportPeriod(unchecked: kind, year: year + 1, index: 1)
    }

    /// The period right before this one (of the same kind).
    public var previous: ReportPeriod {
        index > 1 ? ReportPeriod(unchecked: kind, year: year, index: index - 1) : ReportPeriod(unchecked: kind, year: year - 1, index: 12 / kind.monthsLong)
    }

    /// Quarters, half-years and years compare branches (季评比、年表彰); a month is supervision (月督导).
    public var isRanked: Bool { kind != .month }

    /// `2026 年 11 月`, `2026 年第四季度`, `2026 年下半年`, `2026 年度`; `November 2026`, `Q4 2026`, `H2 2026`, `2026`.
    public func name(_ language: ReportLanguage) -> String {
        switch (kind, language) {
        case (.month, .zh): "\(year) 年 \(index) 月"
        case (.quarter, .zh): "\(year) 年第\(["一", "二", "三", "四"][index - 1])季度"
        case (.halfYear, .zh): "\(year) 年\(index == 1 ? "上" : "下")半年"
        case (.year, .zh): "\(year) 年度"
        case (.month, .en): "\(Self.monthNames[index - 1]) \(year)"
        case (.quarter, .en): "Q\(index) \(year)"
        case (.halfYear, .en): "H\(index) \(year)"
        case (.year, .en): "\(year)"
        }
    }

    /// 月督导 / 季评比 / 半年评比 / 年表彰: what the report is for.
    public func purpose(_ language: ReportLanguage) -> String {
        switch kind {
        case .month: language.pick("月督导", "monthly supervision")
        case .quarter: language.pick("季评比", "quarterly comparison")
        case .halfYear: language.pick("半年评比", "half-yearly comparison")
        case .year: language.pick("年度表彰", "yearly commendation")
        }
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    public static func < (a: ReportPeriod, b: ReportPeriod) -> Bool {
        (a.start, b.end) < (b.start, a.end)
    }
}
