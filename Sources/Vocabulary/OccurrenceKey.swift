/// The identity of an occurrence (one item of one plan in one period) across
/// edits, restarts and the ledger: plan id, item id and period label, never
/// a date or a title, so a record still counts after a deadline moves or an
/// item is retitled. Records, notice marks and completions are all keyed by it.
public struct OccurrenceKey: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public var plan: String
    public var item: String
    /// The period label the schedule uses, such as `2026-02`, `2026-Q1`, `2026`.
    public var period: String

    public init(plan: String, item: String, period: String) {
        self.plan = plan
        self.item = item
        self.period = period
    }

    /// `plan/item/period`; backlog digests hash this text, so it is stable.
    public var description: String { "\(plan)/\(item)/\(period)" }

    public static func < (a: Self, b: Self) -> Bool { (a.plan, a.item, a.period) < (b.plan, b.item, b.period) }
}
