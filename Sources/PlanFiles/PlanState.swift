import Diagnostics
import Foundation
import PlanFormat
import Scheduling
import Vocabulary
import WorkCalendar

/// The plans in force. A reload replaces each plan whose file still parses;
/// a plan whose edit broke it stays in force in its last good version, so a
/// typo never silences a branch's reminders.
///
/// Reloads are incremental, because a city's folder holds thousands of
/// files and an edit touches one: files whose bytes did not change are not
/// parsed again (`ParseCache`), and only plans that differ from the ones in
/// force are expanded to report what moved. Occurrences are not kept: a
/// tick expands plans as it goes (`TickRunner`), so the daemon holds plans,
/// not a city's year of dates.
public struct PlanState: Sendable {
    public private(set) var plans: [Plan] = []
    public private(set) var calendar: WorkdayCalendar
    /// Last good plans per file path (a template file yields one plan per branch).
    private var goodByFile: [String: [Plan]] = [:]
    private var parseCache = ParseCache()
    /// What the calendar was built from.
    private var calendarInputs: ([HolidayYear], ClosedRange<Int>)?

    public init() {
        calendar = WorkdayCalendar.standard(covering: WorkdayCalendar.years(forPlanYears: []))
    }

    public struct ReloadReport: Sendable {
        public var diagnostics: [Diagnostic]
        /// Files whose broken edit left the previous version in force.
        public var keptOld: [String]
        public var diff: PlanDiff
        public var planCount: Int
        /// Files parsed (the others were unchanged), and plans that differ
        /// from the previous load (added, edited or removed).
        public var filesParsed = 0
        public var plansChanged = 0
    }

    /// Loads the folder again and reports what changed in `window`.
    ///
    /// With `diff: false` (the start-up load, whose changes nobody reads)
    /// the report's diff is empty and nothing is expanded.
    public mutating func reload(
        folder: String,
        holidays: String?,
        window: ClosedRange<CivilDate>,
        diff wantDiff: Bool = true
    ) -> ReloadReport {
        var diagnostics: [Diagnostic] = []
        var keptOld: [String] = []
        let loaded: PlanLoader.Loaded
        do {
            loaded = try PlanLoader.load(paths: [folder], holidays: holidays, cache: &parseCache)
        } catch {
            // The folder itself is gone: keep everything in force and say so.
            diagnostics.append(
                .error(
                    SourceLocation(file: folder, line: 1, column: 1),
                    Message(
                        zh: "计划目录无法读取（\(error)）；继续使用已加载的计划",
                        en: "cannot read the plans folder (\(error)); the loaded plans stay in force"
                    )
                )
            )
            return ReloadReport(
                diagnostics: diagnostics,
                keptOld: Array(goodByFile.keys).sorted(),
                diff: PlanDiff(old: [], new: []),
                planCount: plans.count
            )
        }
        diagnostics = loaded.diagnostics
        var next: [String: [Plan]] = [:]
        for plan in loaded.catalog.plans { next[plan.file, default: []].append(plan) }
        if !loaded.catalog.rejected.isEmpty {
            let present = Set((try? PlanLoader.planFilesOrEmpty(folder)) ?? [])
            let ids = Set(next.values.joined().map(\.id))
            for path in loaded.catalog.rejected where present.contains(path) {
                guard let old = goodByFile[path] else { continue }
                let kept = old.filter { !ids.contains($0.id) }
                if !kept.isEmpty {
                    next[path, default: []] += kept
                    keptOld.append(path)
                }
            }
        }
        let oldPlans = plans
        let oldCalendar = calendar
        goodByFile = next
        plans = next.keys.sorted().flatMap { next[$0] ?? [] }
        let inputs = (loaded.adminYears, WorkdayCalendar.years(forPlanYears: plans.map(\.year)))
        let sameCalendar = calendarInputs.map { $0.0 == inputs.0 && $0.1 == inputs.1 } ?? false
        if !sameCalendar {
            // The loader built one for the plans it loaded; plans kept from a
            // last good version can widen the years.
            let loadedRange = WorkdayCalendar.years(forPlanYears: loaded.catalog.plans.map(\.year))
            calendar =
                loadedRange == inputs.1
                ? loaded.calendar : WorkdayCalendar.standard(adminYears: inputs.0, covering: inputs.1)
            calendarInputs = inputs
        }

        // What changed: plans added, removed or not equal to their previous
        // version (every plan when the calendar changed). Only those are expanded.
        var previous = Dictionary(oldPlans.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var changedOld: [Plan] = []
        var changedNew: [Plan] = []
        for plan in plans {
            if let old = previous.removeValue(forKey: plan.id) {
                if sameCalendar && old == plan { continue }
                changedOld.append(old)
            }
            changedNew.append(plan)
        }
        changedOld += previous.values
        var diff = PlanDiff(old: [], new: [])
        if wantDiff {
            let before = ScheduleExpander(calendar: oldCalendar)
            let after = ScheduleExpander(calendar: calendar)
            diff = PlanDiff(
                old: changedOld.flatMap { before.occurrences(of: $0) },
                new: changedNew.flatMap { after.occurrences(of: $0) },
                window: window
            )
        }
        return ReloadReport(
            diagnostics: diagnostics,
            keptOld: keptOld,
            diff: diff,
            planCount: plans.count,
            filesParsed: parseCache.lastParsed,
            plansChanged: Set(changedOld.map(\.id) + changedNew.map(\.id)).count
        )
    }

    /// Every occurrence of the plans in force (expanded on each call).
    public func occurrences() -> [Occurrence] {
        let expander = ScheduleExpander(calendar: calendar)
        return plans.flatMap { expander.occurrences(of: $0) }
    }
}

extension PlanLoader {
    /// The plan files in a folder, or none when it cannot be listed.
    public static func planFilesOrEmpty(_ folder: String) throws -> [String] {
        (try? planFiles([folder])) ?? []
    }
}
