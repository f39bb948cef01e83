import Vocabulary
import WorkCalendar

/// What an edit changes in the schedule: occurrences added, removed or moved,
/// keyed by plan, item and period like the ledger. Used after a reload (the
/// journal says what changed) and by `plankeeper diff` before saving an edit.
public struct PlanDiff: Sendable, Hashable {
    public enum Change: Sendable, Hashable {
        case added(Occurrence)
        case removed(Occurrence)
        case moved(from: Occurrence, to: Occurrence)
        case retitled(from: Occurrence, to: Occurrence)

        public var key: OccurrenceKey {
            switch self {
            case .added(let o), .removed(let o), .moved(_, let o), .retitled(_, let o): o.key
            }
        }

        /// The date the change matters at, for ordering.
        public var date: CivilDate {
            switch self {
            case .added(let o), .removed(let o), .retitled(_, let o): o.due
            case .moved(let a, let b): min(a.due, b.due)
            }
        }
    }

    public var changes: [Change]

    public var isEmpty: Bool { changes.isEmpty }

    /// Changes whose dates fall in `window` (e.g. the next 12 months), in date order.
    public init(old: [Occurrence], new: [Occurrence], window: ClosedRange<CivilDate>? = nil) {
        let before = Dictionary(old.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var changes: [Change] = []
        func inWindow(_ o: Occurrence) -> Bool { window.map { $0.contains(o.due) } ?? true }
        for (key, o) in after {
            if let previous = before[key] {
                if previous.due != o.due {
                    if inWindow(previous) || inWindow(o) { changes.append(.moved(from: previous, to: o)) }
                } else if previous.title != o.title, inWindow(o) {
                    changes.append(.retitled(from: previous, to: o))
                }
            } else if inWindow(o) {
                changes.append(.added(o))
            }
        }
        for (key, o) in before where after[key] == nil && inWindow(o) {
            changes.append(.removed(o))
        }
        self.changes = changes.sorted { ($0.date, $0.key) < ($1.date, $1.key) }
    }
}
