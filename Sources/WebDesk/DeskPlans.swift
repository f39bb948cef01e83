import Config
import Diagnostics
import PlanFiles
import PlanFormat
import Scheduling
import Synchronization
import Vocabulary
import WorkCalendar

/// The plans in force as the web desk sees them: one immutable snapshot that
/// every request reads, replaced as a whole when the folder changes.
///
/// Loading is the daemon's own (`PlanState`: the parse cache, last good
/// version of a broken edit, the calendar), so the desk and the daemon agree
/// on every plan and date. A reload runs on the watcher's thread and swaps
/// the snapshot in at the end; requests in flight keep the one they took.
public final class DeskPlans: Sendable {
    private let current: Mutex<PlanSnapshot>
    private let generations = Mutex(0)
    private let loader: Mutex<PlanState>
    private let folder: String
    private let holidays: String?
    private let admins: [String]
    private let reportRecipients: [String]

    public init(config: DaemonConfig) {
        folder = config.plans
        holidays = config.holidays
        admins = config.web.admins
        reportRecipients = config.reports.flatMap { $0.to.map(\.address) }
        current = Mutex(
            PlanSnapshot(
                plans: [],
                calendar: WorkdayCalendar.standard(covering: 2025...2027),
                access: Access(plans: [], admins: [], reportRecipients: [])
            )
        )
        loader = Mutex(PlanState())
    }

    /// A fixed set of plans (tests, benchmarks): no folder is read.
    public init(plans: [Plan], calendar: WorkdayCalendar, admins: [String], reportRecipients: [String] = []) {
        folder = ""
        holidays = nil
        self.admins = admins
        self.reportRecipients = reportRecipients
        current = Mutex(
            PlanSnapshot(
                plans: plans,
                calendar: calendar,
                access: Access(plans: plans, admins: admins, reportRecipients: reportRecipients)
            )
        )
        loader = Mutex(PlanState())
    }

    public var snapshot: PlanSnapshot { current.withLock { $0 } }

    /// Reads the folder again (the start-up load, an edit, SIGHUP) and
    /// returns the diagnostics (errors keep the last good version in force).
    @discardableResult
    public func reload() -> [Diagnostic] {
        guard !folder.isEmpty else { return [] }
        let (plans, calendar, diagnostics) = loader.withLock { state in
            let report = state.reload(
                folder: folder,
                holidays: holidays,
                window: CivilDate(dayNumber: 0)...CivilDate(dayNumber: 0),
                diff: false
            )
            return (state.plans, state.calendar, report.diagnostics)
        }
        let generation = generations.withLock { g in
            g += 1
            return g
        }
        let snapshot = PlanSnapshot(
            plans: plans,
            calendar: calendar,
            access: Access(plans: plans, admins: admins, reportRecipients: reportRecipients),
            generation: generation
        )
        current.withLock { $0 = snapshot }
        return diagnostics
    }
}

/// The plans at one moment, with what every page needs to look them up.
public struct PlanSnapshot: Sendable {
    public let plans: [Plan]
    public let calendar: WorkdayCalendar
    public let access: Access
    public let byID: [String: Plan]
    /// Which load this is (each reload counts one): pages kept from an
    /// earlier one are stale.
    public let generation: Int

    public init(plans: [Plan], calendar: WorkdayCalendar, access: Access, generation: Int = 0) {
        self.plans = plans
        self.calendar = calendar
        self.access = access
        self.generation = generation
        byID = Dictionary(plans.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public var expander: ScheduleExpander { ScheduleExpander(calendar: calendar) }

    /// One occurrence by its key, if the plan still has it.
    public func occurrence(plan: String, item: String, period: String) -> (Plan, Item, Occurrence)? {
        guard let p = byID[plan], let i = p.items.first(where: { $0.id == item }) else { return nil }
        guard let o = expander.occurrences(of: i, in: p).first(where: { $0.period == period }) else { return nil }
        return (p, i, o)
    }
}
