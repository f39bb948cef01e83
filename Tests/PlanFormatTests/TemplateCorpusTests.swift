import Diagnostics
import Foundation
import PlanFormat
import Testing
import Vocabulary

/// Broken templates and rosters: each case is a folder with `template.yaml`
/// and `roster.yaml` (Fixtures/templates/broken) and one line in its
/// expectations.tsv naming the one diagnostic it must produce, where, the
/// other file's position its message must quote, and how many plans still load.
@Suite struct TemplateCorpusTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures/templates/broken"
    )

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var file: String
        var line: Int
        var column: Int
        var severity: Diagnostic.Severity
        /// `FILE:LINE:COLUMN` of the other file that the message must name, or nil.
        var mentions: String?
        var plans: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("expectations.tsv"), encoding: .utf8)
        else { return [] }
        return text.split(separator: "\n").compactMap { line -> Case? in
            guard !line.hasPrefix("#") else { return nil }
            let f = line.split(separator: "\t").map(String.init)
            guard f.count == 5 else { return nil }
            let where_ = f[1].split(separator: ":").map(String.init)
            guard where_.count == 3, let l = Int(where_[1]), let c = Int(where_[2]), let plans = Int(f[4]) else {
                return nil
            }
            let name = String(f[0])
            return Case(
                name: name,
                file: "\(name)/\(where_[0])",
                line: l,
                column: c,
                severity: f[2] == "warning" ? .warning : .error,
                mentions: f[3] == "-" ? nil : "\(name)/\(f[3])",
                plans: plans
            )
        }
    }()

    @Test func everyCaseIsListed() throws {
        #expect(Self.cases.count >= 20)
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { !$0.contains(".") }
        #expect(Set(onDisk) == Set(Self.cases.map(\.name)))
    }

    @Test("each broken template or roster yields exactly its diagnostic", arguments: cases)
    func broken(_ c: Case) throws {
        let dir = Self.folder.appendingPathComponent(c.name)
        let sources = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted().map {
            PlanSource(path: "\(c.name)/\($0)", bytes: try [UInt8](Data(contentsOf: dir.appendingPathComponent($0))))
        }
        let catalog = PlanCatalog.load(sources, parser: InvalidPlanCorpusTests.parser)
        let rendered = catalog.diagnostics.map { $0.rendered(in: .en) }
        try #require(catalog.diagnostics.count == 1, "\(rendered)")
        let d = catalog.diagnostics[0]
        #expect(d.severity == c.severity, "\(rendered)")
        #expect("\(d.location)" == "\(c.file):\(c.line):\(c.column)", "\(rendered)")
        if let other = c.mentions {
            #expect(d.message.zh.contains(other) && d.message.en.contains(other), "\(rendered)")
        }
        #expect(catalog.plans.count == c.plans, "\(catalog.plans.map(\.id))")
        #expect(catalog.rejected.isEmpty == (c.severity == .warning))
        #expect(!d.message.en.contains("Optional("))
    }
}
