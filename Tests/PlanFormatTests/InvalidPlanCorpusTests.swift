import Diagnostics
import Foundation
import PlanFormat
import Testing
import Vocabulary

/// The broken-plan corpus: each case names the one diagnostic it must
/// produce, at an exact line and column (Fixtures/invalid/expectations.tsv).
@Suite struct InvalidPlanCorpusTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures/invalid"
    )

    struct Case: CustomTestStringConvertible, Sendable {
        var file: String
        var line: Int
        var column: Int
        var severity: Diagnostic.Severity
        var generated: Bool
        var testDescription: String { file }
    }

    static let cases: [Case] = {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("expectations.tsv"), encoding: .utf8)
        else { return [] }
        return text.split(separator: "\n").compactMap { line -> Case? in
            guard !line.hasPrefix("#") else { return nil }
            let f = line.split(separator: "\t").map(String.init)
            guard f.count >= 3 else { return nil }
            let pos = f[1].split(separator: ":").compactMap { Int($0) }
            guard pos.count == 2 else { return nil }
            return Case(
                file: f[0],
                line: pos[0],
                column: pos[1],
                severity: f[2] == "warning" ? .warning : .error,
                generated: f.count > 3 && f[3] == "generated"
            )
        }
    }()

    static let parser = PlanParser(officialYears: [2024, 2025, 2026])

    @Test func corpusIsLargeAndFullyListed() throws {
        #expect(Self.cases.count >= 40)
        let listed = Set(Self.cases.map { String($0.file.split(separator: "/").first!) })
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || !$0.contains(".") }
        for name in onDisk { #expect(listed.contains(name), "\(name) has no line in expectations.tsv") }
    }

    @Test("each broken plan yields exactly its diagnostic", arguments: cases)
    func brokenPlan(_ c: Case) throws {
        // "NN-case/b.yaml": the whole folder is loaded; the diagnostic belongs to b.yaml.
        let folderCase = c.file.contains("/")
        let caseRoot = folderCase ? String(c.file.split(separator: "/").first!) : c.file
        let url = Self.folder.appendingPathComponent(caseRoot)
        var sources: [PlanSource] = []
        var isDirectory: ObjCBool = false
        if c.generated {
            // A valid plan padded past the 1 MiB cap with comment lines.
            var text = "id: big\nowner: 外科\nyear: 2026\nitems: []\n"
            let filler = "# " + String(repeating: "填充", count: 30) + "\n"
            while text.utf8.count <= 1 << 20 { text += filler }
            sources = [PlanSource(path: c.file, bytes: Array(text.utf8))]
        } else if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() {
                let bytes = try [UInt8](Data(contentsOf: url.appendingPathComponent(name)))
                sources.append(PlanSource(path: "\(caseRoot)/\(name)", bytes: bytes))
            }
        } else {
            sources = [PlanSource(path: c.file, bytes: try [UInt8](Data(contentsOf: url)))]
        }
        let catalog = PlanCatalog.load(sources, parser: Self.parser)
        let rendered = catalog.diagnostics.map { $0.rendered(in: .en) }
        try #require(catalog.diagnostics.count == 1, "\(rendered)")
        let d = catalog.diagnostics[0]
        #expect(d.severity == c.severity, "\(rendered)")
        #expect(d.location.file == c.file, "\(rendered)")
        #expect(d.location.line == c.line && d.location.column == c.column, "\(rendered)")
        if c.severity == .error {
            #expect(catalog.rejected.count == 1)
        } else {
            #expect(catalog.plans.count == sources.count)
        }
        // Messages are written for people: never a Swift type dump.
        #expect(!d.message.en.contains("Optional("))
        #expect(!d.message.zh.isEmpty && !d.message.en.isEmpty)
    }

    @Test func billionLaughsIsRefusedAtTheFirstAnchor() throws {
        var text =
            "id: lol\nowner: x\nyear: 2026\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
            previous = name
        }
        let result = Self.parser.parse(Array(text.utf8), file: "lol.yaml")
        #expect(result.plan == nil)
        #expect(result.diagnostics.map(\.location.line) == [4])
    }
}

@Suite struct ValidPlanTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures/valid"
    )

    @Test func validFixturesLoadWithoutErrors() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter {
            $0.hasSuffix(".yaml") || $0.hasSuffix(".yml")
        }
        #expect(names.count >= 5)
        let sources = try names.map {
            PlanSource(path: $0, bytes: try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent($0))))
        }
        let catalog = PlanCatalog.load(sources, parser: InvalidPlanCorpusTests.parser)
        #expect(!catalog.diagnostics.hasErrors, "\(catalog.diagnostics.map { $0.rendered(in: .en) })")
        #expect(catalog.plans.count == names.count)
    }

    @Test func samplePlansLoadWithoutErrors() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../plans")
            .standardized
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(names.count >= 4)
        let sources = try names.map {
            PlanSource(path: $0, bytes: try [UInt8](Data(contentsOf: folder.appendingPathComponent($0))))
        }
        let catalog = PlanCatalog.load(sources, parser: InvalidPlanCorpusTests.parser)
        #expect(!catalog.diagnostics.hasErrors, "\(catalog.diagnostics.map { $0.rendered(in: .en) })")
        #expect(Set(catalog.plans.map(\.year)) == [2025, 2026])
    }
}
