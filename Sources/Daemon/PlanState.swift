import Diagnostics
import Foundation
import PlanFormat
import Scheduling
import WorkCalendar

/// The plans in force. A reload replaces each plan whose file still parses;
/// a plan whose edit broke it stays in force in its last good version, so a
/// typo never silences a branch's reminders.
public struct PlanState: Sendable {
    public private(set) var plans: [Plan] = []
    public private(set) var calendar: WorkdayCalendar
    /// Last good plans per file path (a template file yields one plan per branch).
    private var goodByFile: [String: [Plan]] = [:]

    public init() {
        calendar = WorkdayCalendar.standard(covering: 2025...2027)
    }

    public struct ReloadReport: Sendable {
        public var diagnostics: [Diagnostic]
        /// Files whose broken edit left the previous version in force.
        public var keptOld: [String]
        public var diff: PlanDiff
        public var planCount: Int
    }

    /// Loads the folder again and reports what changed in `window`.
    public mutating func reload(folder: String, holidays: String?, window: ClosedRange<CivilDate>) -> ReloadReport {
        let oldOccurrences = occurrences()
        var diagnostics: [Diagnostic] = []
        var keptOld: [String] = []
        let loaded: PlanLoader.Loaded
        do {
            loaded = try PlanLoader.load(paths: [folder], holidays: holidays)
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
        for path in loaded.catalog.rejected where present.contains(path) {
            guard let old = goodByFile[path] else { continue }
            let ids = Set(next.values.joined().map(\.id))
            let kept = old.filter { !ids.contains($0.id) }
            if !kept.isEmpty {
                next[path, default: []] += kept
                keptOld.append(path)
            }
        }
        goodByFile = next
        plans = next.keys.sorted().flatMap { next[$0] ?? [] }
        let years = plans.map(\.year)
        calendar = WorkdayCalendar.standard(
            adminYears: PlanLoader.adminHolidays(PlanLoader.holidayFolder(holidays)).0,
            covering: ((years.min() ?? 2026) - 1)...((years.max() ?? 2026) + 1))
        let diff = PlanDiff(old: oldOccurrences, new: occurrences(), window: window)
        return ReloadReport(diagnostics: diagnostics, keptOld: keptOld, diff: diff, planCount: plans.count)
    }

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
