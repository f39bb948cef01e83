import Vocabulary

extension PeriodLabel {
    /// Quarters, half-years and years compare branches (季评比、年表彰); a month is supervision (月督导).
    public var isRanked: Bool { kind != .month }

    /// 月督导 / 季评比 / 半年评比 / 年表彰: what the report is for.
    public func purpose(_ language: Language) -> String {
        switch kind {
        case .month: language.pick("月督导", "monthly supervision")
        case .quarter: language.pick("季评比", "quarterly comparison")
        case .halfYear: language.pick("半年评比", "half-yearly comparison")
        case .year: language.pick("年度表彰", "yearly commendation")
        }
    }
}
