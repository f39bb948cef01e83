import Scheduling
import Vocabulary
import WorkCalendar

/// What each owner (branch) did in one period, as of one day: the figures
/// supervisors use for 月督导、季评比、年表彰.
///
/// Definitions (the same in every format):
/// - **due** (应完成): occurrences whose due date lies in the period.
/// - **done** (已完成): of those, the ones with their required number of
///   completions dated on or before `asOf`; **on time** (按时完成): the
///   required-th completion is on or before the due date; **late** (逾期完成):
///   done after it.
/// - **overdue** (逾期未完成): not done and due before `asOf`.
/// - **pending** (未到期): not done and due on or after `asOf` (something due
///   today is not late yet, so it must not pull a rate down).
/// - **assessed** (应考核) = due − pending: due before `asOf`, or already done —
///   the obligations that can be judged yet. Once the period is over (the
///   normal case for a report) this equals `due`.
/// - **completion rate** = done / assessed, **on-time rate** = on time / assessed
///   (nil when nothing is assessed yet).
/// - **ranking** (quarter, half-year, year): by on-time rate, then completion
///   rate, both higher first; owners with equal rates share a rank and the
///   next rank skips (1, 2, 2, 4). Owners with nothing assessed are not ranked.
public struct PeriodReport: Sendable {
    public var period: PeriodLabel
    public var asOf: CivilDate
    /// One entry per owner: by rank when ranked, else by name.
    public var owners: [OwnerSummary]
    public var totals: Figures
    /// Whether `owners` carry ranks (quarters, half-years and years).
    public var isRanked: Bool

    /// Counts, with the rates derived from them.
    public struct Figures: Sendable, Hashable {
        public var due = 0
        public var done = 0
        public var onTime = 0
        public var late = 0
        public var overdue = 0
        public var pending = 0
        /// Done, or due before the report day: due − pending.
        public var assessed = 0

        public init() {}

        public init(due: Int, done: Int, onTime: Int, late: Int, overdue: Int, pending: Int, assessed: Int) {
            self.due = due
            self.done = done
            self.onTime = onTime
            self.late = late
            self.overdue = overdue
            self.pending = pending
            self.assessed = assessed
        }

        /// done / assessed, or nil when nothing is assessed.
        public var completionRate: Double? { assessed == 0 ? nil : Double(done) / Double(assessed) }
        /// onTime / assessed, or nil when nothing is assessed.
        public var onTimeRate: Double? { assessed == 0 ? nil : Double(onTime) / Double(assessed) }

        mutating func add(_ s: OccurrenceStatus, asOf: CivilDate) {
            due += 1
            switch s.state {
            case .doneOnTime:
                done += 1
                onTime += 1
            case .doneLate:
                done += 1
                late += 1
            case .overdue: overdue += 1
            case .dueSoon, .upcoming: pending += 1
            }
            if s.isDone || s.occurrence.due < asOf { assessed += 1 }
        }

        static func + (a: Figures, b: Figures) -> Figures {
            Figures(
                due: a.due + b.due,
                done: a.done + b.done,
                onTime: a.onTime + b.onTime,
                late: a.late + b.late,
                overdue: a.overdue + b.overdue,
                pending: a.pending + b.pending,
                assessed: a.assessed + b.assessed
            )
        }

        /// Compares exact fractions (2/3 and 4/6 tie), higher rates first.
        /// Returns nil when the two rank equal.
        static func ranksBefore(_ a: Figures, _ b: Figures) -> Bool? {
            func compare(_ x: Int, _ y: Int) -> Bool? {
                // x / a.assessed vs y / b.assessed
                let l = x * b.assessed
                let r = y * a.assessed
                return l == r ? nil : l > r
            }
            if let c = compare(a.onTime, b.onTime) { return c }
            return compare(a.done, b.done)
        }
    }

    /// One owner's line in the report.
    public struct OwnerSummary: Sendable {
        public var owner: String
        /// The organisation units above the owner, top down (commission,
        /// hospital), from the plans; empty for plans written by hand. Two
        /// branches of the same name in different hospitals stay apart.
        public var units: [String] = []
        /// The plan ids that contributed (an owner may have several plans).
        public var plans: [String]
        public var figures: Figures
        /// 1-based competition rank, or nil (a month, or nothing assessed).
        public var rank: Int?
        /// Every occurrence of the period, by due date.
        public var statuses: [OccurrenceStatus]

        public init(owner: String, plans: [String], figures: Figures, rank: Int?, statuses: [OccurrenceStatus]) {
            self.owner = owner
            self.plans = plans
            self.figures = figures
            self.rank = rank
            self.statuses = statuses
        }

        /// Overdue and not done (逾期未完成), by due date: "what is missing".
        public var missing: [OccurrenceStatus] { statuses.filter(\.isOverdue) }
        /// Done after the due date (逾期完成), by due date.
        public var late: [OccurrenceStatus] { statuses.filter { if case .doneLate = $0.state { true } else { false } } }
        /// Not done and not yet due (未到期), by due date.
        public var pending: [OccurrenceStatus] { statuses.filter { !$0.isDone && !$0.isOverdue } }
    }

    /// The figures of one organisation unit (a hospital, under a
    /// commission): the sum of its owners, ranked among units like owners are.
    public struct UnitSummary: Sendable {
        /// Top down, e.g. `["某市卫健委", "某市第一人民医院党委"]`.
        public var units: [String]
        public var owners: Int
        public var figures: Figures
        public var rank: Int?
        public var name: String { units.last ?? "" }
    }

    /// Per unit path, when any plan names its units (a roster with a
    /// hierarchy); empty otherwise, and then renderers show no unit table.
    public var units: [UnitSummary] = []

    /// - Parameters:
    ///   - occurrences: all occurrences of the loaded plans (any years); the
    ///     report keeps those due in the period.
    ///   - completions: the ledger's records; those dated after `asOf` are ignored.
    ///   - asOf: the report day ("today").
    ///   - units: per plan id, the units above its owner (`Plan.units`); an
    ///     owner is identified by its units and its name together.
    public init(
        period: PeriodLabel,
        occurrences: [Occurrence],
        completions: [Completion],
        calendar: WorkdayCalendar,
        asOf: CivilDate,
        units: [String: [String]] = [:],
        isHistory: (@Sendable (Occurrence) -> Bool)? = nil
    ) {
        var evaluator = StatusEvaluator(calendar: calendar, today: asOf, completions: completions)
        evaluator.isHistory = isHistory
        let inPeriod = occurrences.filter { period.contains($0.due) }
        struct OwnerKey: Hashable {
            var units: [String]
            var owner: String
        }
        var byOwner: [OwnerKey: [Occurrence]] = [:]
        for o in inPeriod { byOwner[OwnerKey(units: units[o.planID] ?? [], owner: o.owner), default: []].append(o) }
        var owners: [OwnerSummary] = byOwner.map { key, list in
            let statuses = evaluator.statuses(list)
            var f = Figures()
            for s in statuses { f.add(s, asOf: asOf) }
            var plans: [String] = []
            for s in statuses where !plans.contains(s.occurrence.planID) { plans.append(s.occurrence.planID) }
            var summary = OwnerSummary(
                owner: key.owner,
                plans: plans.sorted(),
                figures: f,
                rank: nil,
                statuses: statuses
            )
            summary.units = key.units
            return summary
        }
        owners.sort { a, b in a.units != b.units ? a.units.lexicographicallyPrecedes(b.units) : a.owner < b.owner }
        if period.isRanked {
            owners = Self.ranked(owners)
        }
        self.period = period
        self.asOf = asOf
        self.owners = owners
        self.totals = owners.reduce(Figures()) { $0 + $1.figures }
        self.isRanked = period.isRanked
        if owners.contains(where: { !$0.units.isEmpty }) {
            var byUnit: [[String]: UnitSummary] = [:]
            for o in owners {
                var u = byUnit[o.units] ?? UnitSummary(units: o.units, owners: 0, figures: Figures(), rank: nil)
                u.owners += 1
                u.figures = u.figures + o.figures
                byUnit[o.units] = u
            }
            var list = byUnit.values.sorted { $0.units.lexicographicallyPrecedes($1.units) }
            if period.isRanked { list = Self.rankedUnits(list) }
            self.units = list
        }
    }

    /// Sorts by rank (competition ranking: 1, 2, 2, 4) and assigns ranks;
    /// owners with nothing assessed go last, unranked. Ties keep name order.
    public static func ranked(_ owners: [OwnerSummary]) -> [OwnerSummary] {
        competition(owners, figures: \.figures, rank: \.rank)
    }

    static func rankedUnits(_ units: [UnitSummary]) -> [UnitSummary] {
        competition(units, figures: \.figures, rank: \.rank)
    }

    /// Competition ranking ("1224"): equal rates share a rank and the next
    /// rank skips, as in any league table; so two branches tied for first
    /// are both "第 1 名" and nobody is second.
    static func competition<T>(_ entries: [T], figures: KeyPath<T, Figures>, rank: WritableKeyPath<T, Int?>) -> [T] {
        let rankable = entries.filter { $0[keyPath: figures].assessed > 0 }
        let unrankable = entries.filter { $0[keyPath: figures].assessed == 0 }
        var sorted = rankable.enumerated().sorted { x, y in
            if let before = Figures.ranksBefore(x.element[keyPath: figures], y.element[keyPath: figures]) {
                return before
            }
            return x.offset < y.offset
        }.map(\.element)
        for i in sorted.indices {
            if i > 0, Figures.ranksBefore(sorted[i - 1][keyPath: figures], sorted[i][keyPath: figures]) == nil {
                sorted[i][keyPath: rank] = sorted[i - 1][keyPath: rank]
            } else {
                sorted[i][keyPath: rank] = i + 1
            }
        }
        return sorted + unrankable
    }
}
