import Diagnostics
import Foundation
import PlanFormat
import Reports
import Scheduling
import Testing
import Vocabulary
import WorkCalendar

/// A date written in a test; a typo fails the test (never traps the run).
func day(_ s: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> CivilDate {
    guard let d = CivilDate(iso: s) else {
        Issue.record("not a date: \(s)", sourceLocation: sourceLocation)
        return CivilDate(dayNumber: 0)
    }
    return d
}

/// The report fixture: four branch plans for 2026 and a records list, in
/// `Fixtures/q4-2026/`, read as the CLI would read the plan folder and the ledger.
struct Fixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    let plans: [Plan]
    let calendar: WorkdayCalendar
    let completions: [Completion]

    var expander: ScheduleExpander { ScheduleExpander(calendar: calendar) }
    var occurrences: [Occurrence] { plans.flatMap { expander.occurrences(of: $0) } }

    static func load(_ name: String = "q4-2026") throws -> Fixture {
        let base = folder.appendingPathComponent(name)
        let planFolder = base.appendingPathComponent("plans")
        let files = try FileManager.default.contentsOfDirectory(atPath: planFolder.path).filter {
            $0.hasSuffix(".yaml")
        }.sorted()
        let sources = try files.map { f in
            PlanSource(path: f, bytes: [UInt8](try Data(contentsOf: planFolder.appendingPathComponent(f))))
        }
        let catalog = PlanCatalog.load(sources, parser: PlanParser(officialYears: [2024, 2025, 2026]))
        #expect(catalog.rejected.isEmpty, "\(catalog.diagnostics.map { $0.rendered(in: .en) })")
        let text = try String(contentsOf: base.appendingPathComponent("records.tsv"), encoding: .utf8)
        var completions: [Completion] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("plan\t") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 4 else {
                Issue.record("records.tsv: a line needs plan, item, period and done_on: \(line)")
                continue
            }
            completions.append(
                Completion(
                    plan: f[0],
                    item: f[1],
                    period: f[2],
                    doneOn: try #require(CivilDate(iso: f[3])),
                    by: f.count > 4 ? f[4] : nil,
                    note: f.count > 5 ? f[5] : nil
                )
            )
        }
        return Fixture(plans: catalog.plans, calendar: .standard(covering: 2025...2027), completions: completions)
    }

    func report(_ label: String, asOf: String) throws -> PeriodReport {
        PeriodReport(
            period: try #require(PeriodLabel(label)),
            occurrences: occurrences,
            completions: completions,
            calendar: calendar,
            asOf: day(asOf)
        )
    }
}

extension PeriodReport {
    func owner(_ name: String) -> OwnerSummary? { owners.first { $0.owner == name } }
}

/// Figures written as `due/done/onTime/late/overdue/pending/assessed`, so a
/// hand-computed line reads like the report's table.
func figures(_ s: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> PeriodReport.Figures {
    let n = s.split(separator: "/").compactMap { Int($0) }
    guard n.count == 7 else {
        Issue.record(
            "figures are due/done/onTime/late/overdue/pending/assessed, not \(s)",
            sourceLocation: sourceLocation
        )
        return PeriodReport.Figures()
    }
    return PeriodReport.Figures(
        due: n[0],
        done: n[1],
        onTime: n[2],
        late: n[3],
        overdue: n[4],
        pending: n[5],
        assessed: n[6]
    )
}
