import Scheduling
import Vocabulary
import WorkCalendar

/// Where one occurrence stands on a given day.
public enum OccurrenceState: Sendable, Hashable {
    /// Done, and the (required-th) completion is on or before the due date.
    case doneOnTime(on: CivilDate)
    /// Done after the due date; `workdaysLate` counts the working days in
    /// (due, done], so work done on the Saturday after a Friday deadline is
    /// late by 0 working days (and 1 calendar day).
    case doneLate(on: CivilDate, workdaysLate: Int)
    /// Not done and the due date has passed; working days in (due, today].
    case overdue(workdaysLate: Int)
    /// Not done, due today or within the next `dueSoonWorkdays` working days;
    /// `workdaysLeft` counts the working days in (today, due].
    case dueSoon(workdaysLeft: Int)
    /// Not done and not due for a while yet.
    case upcoming

    public var isDone: Bool {
        switch self {
        case .doneOnTime, .doneLate: true
        default: false
        }
    }

    /// A stable machine name, used in JSON: `done`, `late`, `overdue`, `due-soon`, `upcoming`.
    public var code: String {
        switch self {
        case .doneOnTime: "done"
        case .doneLate: "late"
        case .overdue: "overdue"
        case .dueSoon: "due-soon"
        case .upcoming: "upcoming"
        }
    }
}

/// One occurrence with its records and its state on the evaluation day.
public struct OccurrenceStatus: Sendable, Hashable {
    public var occurrence: Occurrence
    public var state: OccurrenceState
    /// The completions that count (those dated on or before the evaluation day), oldest first.
    public var completions: [Completion]
    /// How many completions make it done: 1, or a `times` item's minimum.
    public var required: Int
    /// Overdue since before tracking started (history, issue 15): listed once
    /// in the backlog digest, never mailed about, shown as 未跟踪 / not
    /// tracked rather than overdue. It still counts as overdue in figures.
    public var notTracked = false

    /// `state.code`, or `not-tracked`.
    public var code: String { notTracked ? "not-tracked" : state.code }

    /// `state.text`, or 未跟踪（跟踪开始前已逾期）.
    public func text(_ language: Language, today: CivilDate? = nil, due: CivilDate? = nil) -> String {
        notTracked
            ? language.pick("未跟踪（跟踪开始前已逾期）", "not tracked (overdue before tracking began)")
            : state.text(language, today: today, due: due)
    }

    public var count: Int { completions.count }
    public var isDone: Bool { state.isDone }
    public var isOnTime: Bool { if case .doneOnTime = state { true } else { false } }
    public var isOverdue: Bool { if case .overdue = state { true } else { false } }
    /// The date that made it done (the required-th completion), if done.
    public var doneOn: CivilDate? {
        switch state {
        case .doneOnTime(let d), .doneLate(let d, _): d
        default: nil
        }
    }
    /// `1/2` for a `times` item, nil for an ordinary one.
    public var progress: String? {
        occurrence.requiredCount == nil ? nil : "\(count)/\(required)"
    }
}

/// Decides the state of occurrences on one day, from the records given.
///
/// Rules:
/// - Completions count toward the occurrence with the same plan, item and
///   period label. Completions dated after `today` are ignored, so a report
///   "as of" a past day shows what was known then.
/// - An occurrence is done when it has `required` completions (1, or a
///   `times` item's minimum); it is on time when the required-th completion
///   (by date) is on or before the due date. `2..3` with one record is not done.
/// - Not done: overdue when due < today; due soon when due is today or at
///   most `dueSoonWorkdays` working days ahead; upcoming otherwise.
public struct StatusEvaluator: Sendable {
    public var calendar: WorkdayCalendar
    public var today: CivilDate
    public var dueSoonWorkdays: Int
    /// Which occurrences are history (`NoticePolicy.isHistory`); nil: none.
    public var isHistory: (@Sendable (Occurrence) -> Bool)?
    private let byKey: [OccurrenceKey: [Completion]]

    public init(calendar: WorkdayCalendar, today: CivilDate, completions: [Completion], dueSoonWorkdays: Int = 5) {
        self.calendar = calendar
        self.today = today
        self.dueSoonWorkdays = dueSoonWorkdays
        var byKey: [OccurrenceKey: [Completion]] = [:]
        for c in completions where c.doneOn <= today { byKey[c.key, default: []].append(c) }
        for (k, list) in byKey {
            // Stable by date: records of the same day keep the order given.
            byKey[k] = list.enumerated().sorted { ($0.element.doneOn, $0.offset) < ($1.element.doneOn, $1.offset) }.map(
                \.element
            )
        }
        self.byKey = byKey
    }

    public func status(of o: Occurrence) -> OccurrenceStatus {
        let records = byKey[o.key] ?? []
        let required = max(1, o.requiredCount?.lowerBound ?? 1)
        let state: OccurrenceState
        if records.count >= required {
            let done = records[required - 1].doneOn
            state =
                done <= o.due
                ? .doneOnTime(on: done) : .doneLate(on: done, workdaysLate: calendar.workdays(from: o.due, to: done))
        } else if o.due < today {
            state = .overdue(workdaysLate: calendar.workdays(from: o.due, to: today))
        } else {
            let left = calendar.workdays(from: today, to: o.due)
            state = left <= dueSoonWorkdays ? .dueSoon(workdaysLeft: left) : .upcoming
        }
        var status = OccurrenceStatus(occurrence: o, state: state, completions: records, required: required)
        if case .overdue = state, let isHistory, isHistory(o) { status.notTracked = true }
        return status
    }

    /// Statuses in due-date order (then owner, title, period).
    public func statuses(_ occurrences: [Occurrence]) -> [OccurrenceStatus] {
        occurrences.sorted(by: Self.dueOrder).map(status(of:))
    }

    static func dueOrder(_ a: Occurrence, _ b: Occurrence) -> Bool {
        (a.due, a.owner, a.title, a.period, a.planID, a.itemID) < (
            b.due, b.owner, b.title, b.period, b.planID, b.itemID
        )
    }
}
