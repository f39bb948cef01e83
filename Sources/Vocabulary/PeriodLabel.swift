/// One period of a year: a month, quarter, half-year or year, labelled the
/// way plans, the ledger and reports write it (`2026-11`, `2026-Q4`,
/// `2026-H2`, `2026`), and named the one way every text says it:
///
/// | label     | Chinese           | English         |
/// |-----------|-------------------|-----------------|
/// | `2026-11` | 2026 年 11 月     | November 2026   |
/// | `2026-Q4` | 2026 年第四季度   | Q4 2026         |
/// | `2026-H2` | 2026 年下半年     | H2 2026         |
/// | `2026`    | 2026 年度         | 2026            |
///
/// (Before issue 14 the notice mail said "second half of 2026" and "year
/// 2026" in English while reports said "H2 2026" and "2026"; the reports'
/// shorter form won, as it is what tables and subjects can afford.)
public struct PeriodLabel: Sendable, Hashable, Comparable, CustomStringConvertible {
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

    /// Parses `2026-11`, `2026-Q4` (or `q4`), `2026-H2` (or `h2`) and `2026`:
    /// four ASCII digits of year, two of month.
    public init?(_ text: String) {
        let u = Array(text.utf8)
        func number(_ s: ArraySlice<UInt8>) -> Int? {
            guard !s.isEmpty, s.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            return s.reduce(0) { $0 * 10 + Int($1 - 48) }
        }
        guard u.count >= 4, let year = number(u[0..<4]) else { return nil }
        if u.count == 4 {
            self.init(kind: .year, year: year, index: 1)
            return
        }
        guard u.count == 7, u[4] == UInt8(ascii: "-") else { return nil }
        let rest = u[5...]
        if let month = number(rest) {
            self.init(kind: .month, year: year, index: month)
        } else if let n = number(rest.dropFirst()) {
            switch rest.first {
            case UInt8(ascii: "Q"), UInt8(ascii: "q"): self.init(kind: .quarter, year: year, index: n)
            case UInt8(ascii: "H"), UInt8(ascii: "h"): self.init(kind: .halfYear, year: year, index: n)
            default: return nil
            }
        } else {
            return nil
        }
    }

    /// The period of a kind that contains a month of a year.
    public static func containing(year: Int, month: Int, kind: Period) -> PeriodLabel {
        PeriodLabel(unchecked: kind, year: year, index: (min(12, max(1, month)) - 1) / kind.monthsLong + 1)
    }

    /// Every period of a kind in a year, in order.
    public static func all(_ kind: Period, year: Int) -> [PeriodLabel] {
        (1...(12 / kind.monthsLong)).map { PeriodLabel(unchecked: kind, year: year, index: $0) }
    }

    public var firstMonth: Int { (index - 1) * kind.monthsLong + 1 }
    public var lastMonth: Int { index * kind.monthsLong }

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
    public var next: PeriodLabel {
        let count = 12 / kind.monthsLong
        return index < count
            ? PeriodLabel(unchecked: kind, year: year, index: index + 1)
            : PeriodLabel(unchecked: kind, year: year + 1, index: 1)
    }

    /// The period right before this one (of the same kind).
    public var previous: PeriodLabel {
        index > 1
            ? PeriodLabel(unchecked: kind, year: year, index: index - 1)
            : PeriodLabel(unchecked: kind, year: year - 1, index: 12 / kind.monthsLong)
    }

    /// `2026 年 11 月`, `2026 年第四季度`, `2026 年下半年`, `2026 年度`;
    /// `November 2026`, `Q4 2026`, `H2 2026`, `2026`.
    public func name(in language: Language) -> String {
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

    /// A period label as a reader says it; text that is not a label is shown
    /// as written, never guessed at.
    public static func name(of label: String, in language: Language) -> String {
        PeriodLabel(label).map { $0.name(in: language) } ?? label
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    /// Earlier start first; of two starting together, the longer first.
    public static func < (a: PeriodLabel, b: PeriodLabel) -> Bool {
        let (aStart, aEnd) = (a.year * 12 + a.firstMonth, a.year * 12 + a.lastMonth)
        let (bStart, bEnd) = (b.year * 12 + b.firstMonth, b.year * 12 + b.lastMonth)
        return (aStart, bEnd) < (bStart, aEnd)
    }
}
