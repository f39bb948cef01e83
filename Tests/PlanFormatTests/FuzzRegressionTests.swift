import Diagnostics
import Foundation
import PlanFormat
import Scheduling
import Testing
import Vocabulary
import WorkCalendar

/// Inputs the fuzzer (Fuzz/, docs/fuzzing.md) found to crash or hang the
/// reader, kept after the fix: each must now load, with diagnostics, and
/// schedule without trapping. A file may hold a template and, after a line
/// `#~roster~`, its roster — the fuzz harness's own input format.
@Suite struct FuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures/fuzz-crashers"
    )
    static let names: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        .filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted()

    static func load(_ bytes: [UInt8]) -> PlanCatalog {
        let marker = Array("\n#~roster~\n".utf8)
        var file = bytes
        var roster: [UInt8]?
        if bytes.count >= marker.count,
            let i = (0...(bytes.count - marker.count)).first(where: { Array(bytes[$0..<($0 + marker.count)]) == marker }
            )
        {
            file = Array(bytes[..<i]) + [0x0A]
            roster = Array(bytes[(i + marker.count)...])
        }
        return PlanCatalog.load([PlanSource(path: "plans/f.yaml", bytes: file)], parser: InvalidPlanCorpusTests.parser)
        {
            $0 == "plans/roster.yaml" ? roster : nil
        }
    }

    @Test("a former crasher loads without trapping", arguments: names)
    func crasher(_ name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent(name)))
        let catalog = Self.load(bytes)
        for d in catalog.diagnostics {
            #expect(d.location.line >= 1 && d.location.column >= 1)
            #expect(!d.rendered(in: .zh).isEmpty)
        }
        let years = catalog.plans.map(\.year)
        if let low = years.min(), let high = years.max() {
            let expander = ScheduleExpander(calendar: WorkdayCalendar.standard(covering: (low - 1)...(high + 1)))
            for plan in catalog.plans { _ = expander.occurrences(of: plan) }
        }
    }

    /// libyaml stops nesting at 1,000 levels; the composer recurses once per
    /// level, and a folder of 64 files or more is parsed on worker threads
    /// with smaller stacks than the main thread's.
    @Test func deepNestingInABigFolder() throws {
        let deep =
            "id: deep\nowner: x\nyear: 2026\nitems: " + String(repeating: "[", count: 990)
            + String(repeating: "]", count: 990) + "\n"
        var sources = (0..<80).map {
            PlanSource(path: "p\($0).yaml", bytes: Array("id: p\($0)\nowner: x\nyear: 2026\nitems: []\n".utf8))
        }
        sources.append(PlanSource(path: "deep.yaml", bytes: Array(deep.utf8)))
        sources.append(
            PlanSource(path: "deeper.yaml", bytes: Array(("a: " + String(repeating: "[", count: 5000)).utf8))
        )
        let catalog = PlanCatalog.load(sources, parser: InvalidPlanCorpusTests.parser)
        #expect(catalog.plans.count == 80)
        #expect(Set(catalog.rejected) == ["deep.yaml", "deeper.yaml"])
    }
}
