import Diagnostics
import Foundation
import PlanFormat
import Testing
import Vocabulary
import YAMLSource

/// Files no one writes by hand but anyone can: near the 1 MiB cap, with
/// thousands of entries and thousands of mistakes. They must be refused or
/// loaded in time proportional to their size, with messages of sane length —
/// a daemon reloading a folder must never hang on one of them.
@Suite(.timeLimit(.minutes(1))) struct HostileInputTests {
    static let parser = InvalidPlanCorpusTests.parser

    @Test func aTemplateTooBigToExpandIsRefused() throws {
        var roster = "name: 某市卫生健康委员会\nbranches:\n"
        for b in 0..<2_000 {
            roster += "  - {id: b\(b), name: 第\(b)党支部, contacts: {secretary: 书记 <s\(b)@h.example>}}\n"
        }
        var template = "template: huge\nyear: 2026\nroster: roster.yaml\nitems:\n"
        for i in 0..<600 { template += "  - {id: i\(i), every: month, due: 25}\n" }
        let catalog = PlanCatalog.load(
            [
                PlanSource(path: "roster.yaml", bytes: Array(roster.utf8)),
                PlanSource(path: "t.yaml", bytes: Array(template.utf8)),
            ],
            parser: Self.parser
        )
        #expect(catalog.plans.isEmpty)
        #expect(catalog.diagnostics.map { "\($0.location)" } == ["t.yaml:4:1"])
        #expect(catalog.diagnostics.first?.message.en.contains("2000 branches × 600 items") == true)
    }

    /// The composer recurses once per level: deeper than 1,000 levels is
    /// refused where the 1,001st opens (libyaml sets no limit of its own).
    @Test func nestingIsLimitedToAThousandLevels() throws {
        let inside = "a: " + String(repeating: "[", count: 999) + String(repeating: "]", count: 999) + "\n"
        guard case .success(let node) = YAMLDocument.parse(inside, file: "ok.yaml") else {
            Issue.record("1,000 levels (a mapping and 999 lists) must load")
            return
        }
        #expect(node != nil)
        let beyond = "a: " + String(repeating: "[", count: 1_000) + String(repeating: "]", count: 1_000) + "\n"
        guard case .failure(let d) = YAMLDocument.parse(beyond, file: "deep.yaml") else {
            Issue.record("1,001 levels must be refused")
            return
        }
        #expect("\(d.location)" == "deep.yaml:1:1003")
        #expect(d.message.en.contains("the YAML nests too deep"))
    }

    @Test func thousandsOfUnknownRolesAmongThousandsOfKnownOnes() throws {
        var text = "id: p\nowner: x\nyear: 2026\ncontacts:\n"
        for r in 0..<4_000 { text += "  role\(r): 某 <r\(r)@h.example>\n" }
        text += "items:\n"
        for i in 0..<4_000 { text += "  - {id: i\(i), every: month, due: 25, notify: [nobody\(i)]}\n" }
        let result = Self.parser.parse(Array(text.utf8), file: "p.yaml")
        #expect(result.plan == nil)
        #expect(result.diagnostics.count == 4_000)
        #expect(result.diagnostics.allSatisfy { $0.message.zh.utf8.count < 400 })
    }

    @Test func thousandsOfOverridesNamingUnknownItemsAndBranches() throws {
        var roster = "name: 医院党委\nbranches:\n"
        for b in 0..<3_000 {
            roster += "  - {id: b\(b), name: 第\(b)党支部, tags: [t\(b)], contacts: {secretary: 书记 <s\(b)@h.example>}}\n"
        }
        var template = "template: t\nyear: 2026\nroster: roster.yaml\napply-to: ["
        template += (0..<2_000).map { "x\($0)" }.joined(separator: ", ") + "]\nitems:\n"
        for i in 0..<2_000 { template += "  - {id: i\(i), every: month, due: 25}\n" }
        template += "branches:\n"
        for o in 0..<2_000 { template += "  c\(o): {exempt: [j\(o)]}\n" }
        let catalog = PlanCatalog.load(
            [
                PlanSource(path: "roster.yaml", bytes: Array(roster.utf8)),
                PlanSource(path: "t.yaml", bytes: Array(template.utf8)),
            ],
            parser: Self.parser
        )
        #expect(catalog.plans.isEmpty)
        // 2,000 unknown items (in the template) and 2,000 unknown tags; the unknown branches are not
        // reported separately once the template has errors of its own? They are: every problem in one pass.
        #expect(catalog.diagnostics.count >= 4_000)
        #expect(catalog.diagnostics.allSatisfy { $0.message.zh.utf8.count < 1_000 })
    }
}
