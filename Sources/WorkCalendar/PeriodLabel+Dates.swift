import Vocabulary

extension PeriodLabel {
    /// The period's first and last days.
    public var start: CivilDate { CivilDate.firstOfMonth(year: year, month: firstMonth) }
    public var end: CivilDate { CivilDate.endOfMonth(year: year, month: lastMonth) }

    public func contains(_ date: CivilDate) -> Bool { start <= date && date <= end }

    /// The period of a kind that contains a date.
    public static func containing(_ date: CivilDate, kind: Period) -> PeriodLabel {
        containing(year: date.year, month: date.month, kind: kind)
    }
}
