import Diagnostics
import Foundation
import Notices
import PlanFormat
import Scheduling
import WorkCalendar

/// The plans in force. A reload replaces each plan whose file still parses;
/// a plan whose edit broke it stays in force in its last good version, so a
/// typo never silences a branch's reminders.
///
/// Reloads are incremental, because a city's folder holds thousands of
/// files and an edit touches one: files whose bytes did not change are not
/// parsed again (`ParseCache`), and plans equal to the ones in force keep
/// their expanded occurrences, so only the edited plans are expanded and
/// diffed.
public struct PlanState: Sendable {
    public private(set) var plans: [Plan] = []
    public private(set) var calendar: WorkdayCalendar
    /// Each plan in force with its occurrences, in `plans` order: what a tick decides on.
    public private(set) var expanded: [NoticePolicy.PlanOccurrences] = []
    /// Last good plans per file path (a template file yields one plan per branch).
    private var goodByFile: [String: [Plan]] = [:]
    private var parseCache = ParseCache()
    /// What the calendar was built from; the occurrences are valid while it stays the same.
    private var calendarInputs: ([HolidayYear], ClosedRange<Int>)?

    public init() {
        calendar = WorkdayCalendar.standard(covering: 2025...2027)
    }

    public struct ReloadReport: Sendable {
        public var diagnostics: [Diagnostic]
        /// Files whose broken edit left the previous version in force.
        public var keptOld: [String]
        public var diff: PlanDiff
        public var planCount: Int
        /// Files parsed (the others were unchanged), and plans expanded anew.
        public var filesParsed = 0
        public var plansExpanded = 0
    }

    /// Loads the folder again and reports what changed in `window`.
    ///
    /// With `diff: false` (the start-up load, whose changes nobody reads)
    /// the report's diff is empty and no copy of the occurrences is made.
    public mutating func reload(folder: String, holidays: String?, window: ClosedRange<CivilDate>, diff wantDiff: Bool = true) -> ReloadReport {
        var diagnostics: [Diagnostic] = []
        var keptOld: [String] = []
        let loaded: PlanLoader.Loaded
        do {
            loaded = try PlanLoader.load(paths: [folder], holidays: holidays, cache: &parseCache)
        } catch {
            // The folder itself is gone: keep everything in force and say so.
            diagnostics.append(.error(SourceLocation(file: folder, line: 1, column: 1), Message(
                zh: "计划目录无法读取（\(error)）；继续使用已加载的计划", en: "cannot read the plans folder (\(error)); the loaded plans stay in force")))
            return ReloadReport(diagnostics: diagnostics, keptOld: Array(goodByFile.keys).sorted(), diff: PlanDiff(old: [], new: []), planCount: plans.count)
        }
        diagnostics = loaded.diagnostics
        var next: [String: [Plan]] = [:]
        for plan in loaded.catalog.plans { next[plan.file, default: []].append(plan) }
        let present = Set((try? PlanLoader.planFilesOrEmpty(folder)) ?? [])
        if !loaded.catalog.rejected.isEmpty {
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
        goodByFile = next
        plans = next.keys.sorted().flatMap { next[$0] ?? [] }
        let years = plans.map(\.year)
        let inputs = (loaded.adminYears, ((years.min() ?? 2026) - 1)...((years.max() ?? 2026) + 1))
        let sameCalendar = calendarInputs.map { $0.0 == inputs.0 && $0.1 == inputs.1 } ?? false
        if !sameCalendar {
            calendar = WorkdayCalendar.standard(adminYears: inputs.0, covering: inputs.1)
            calendarInputs = inputs
        }

        // Expand only what changed; diff only that.
        var previous: [String: NoticePolicy.PlanOccurrences] = [:]
        if sameCalendar {
            previous.reserveCapacity(expanded.count)
            for entry in expanded { previous[entry.plan.id] = entry }
        }
        var oldChanged: [Occurrence] = sameCalendar || !wantDiff ? [] : expanded.flatMap(\.occurrences)
        var newChanged: [Occurrence] = []
        let expander = ScheduleExpander(calendar: calendar)
        var fresh: [NoticePolicy.PlanOccurrences] = []
        fresh.reserveCapacity(plans.count)
        var plansExpanded = 0
        for plan in plans {
            if let old = previous.removeValue(forKey: plan.id) {
                if old.plan == plan {
                    fresh.append(old)
                    continue
                }
                if wantDiff { oldChanged += old.occurrences }
            }
            let entry = NoticePolicy.PlanOccurrences(plan: plan, occurrences: expander.occurrences(of: plan))
            plansExpanded += 1
            if wantDiff { newChanged += entry.occurrences }
            fresh.append(entry)
        }
        // Plans no longer in force.
        if wantDiff { for entry in previous.values { oldChanged += entry.occurrences } }
        expanded = fresh
        let diff = wantDiff ? PlanDiff(old: oldChanged, new: newChanged, window: window) : PlanDiff(old: [], new: [])
        return ReloadReport(diagnostics: diagnostics, keptOld: keptOld, diff: diff, planCount: plans.count,
                            filesParsed: parseCache.lastParsed, plansExpanded: plansExpanded)
    }

    public func occurrences() -> [Occurrence] {
        expanded.flatMap(\.occurrences)
    }
}

extension PlanLoader {
    /// The plan files in a folder, or none when it cannot be listed.
    public static func planFilesOrEmpty(_ folder: String) throws -> [String] {
        (try? planFiles([folder])) ?? []
    }
}
