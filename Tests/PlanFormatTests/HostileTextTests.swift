import Diagnostics
import PlanFormat
import Testing
import Vocabulary
import YAMLSource

/// Texts that reach terminals, the journal and mail bodies (issue 15, item 6):
/// control characters written as YAML escapes are refused at the value's
/// position as raw ones are, raw ones at their own position (not 1:1), tags
/// are refused instead of ignored, blank owners and titles refused, and a
/// message never quotes a value whole.
@Suite struct HostileTextTests {
    static let parser = PlanParser(officialYears: [2024, 2025, 2026])

    static func plan(title: String) -> String {
        "id: t-2026\nowner: 外科\nyear: 2026\nitems:\n  - id: a\n    title: \(title)\n    every: month\n    due: 25\n"
    }

    static func parse(_ text: String) -> (plan: Plan?, diagnostics: [Diagnostic]) {
        let result = parser.parse(Array(text.utf8), file: "p.yaml")
        return (result.plan, result.diagnostics)
    }

    @Test(
        "control characters written as escapes are refused at the value",
        arguments: [
            (#""\e]0;pwned\a""#, "U+001B"), (#""a\0b""#, "U+0000"), (#""a\x7fb""#, "U+007F"), (#""a\x9bb""#, "U+009B"),
            (#""a\u0085b""#, "U+0085"), (#""a\u2028b""#, "U+2028"), (#""a\u2029b""#, "U+2029"),
            (#""a\u202Ab""#, "U+202A"),
            (#""a\u202Eb""#, "U+202E"), (#""a\u2066b""#, "U+2066"), (#""a\u2069b""#, "U+2069"), (#""a\rb""#, "U+000D"),
            (#""a\bb""#, "U+0008"),
        ]
    )
    func escapedControlsAreRefused(_ title: String, _ code: String) {
        let (plan, diagnostics) = Self.parse(Self.plan(title: title))
        #expect(plan == nil)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.location == SourceLocation(file: "p.yaml", line: 6, column: 12))
        #expect(diagnostics.first?.message.en.contains(code) == true, "\(diagnostics)")
    }

    @Test func escapedControlsAreRefusedInNotesAndOwnersToo() {
        let (plan, diagnostics) = Self.parse("id: t-2026\nowner: \"外\\u202E科\"\nyear: 2026\nitems: []\n")
        #expect(plan == nil)
        #expect(diagnostics.map(\.location.description) == ["p.yaml:2:8"])
        let note = Self.parse(
            "id: t-2026\nowner: 外科\nyear: 2026\nitems:\n  - id: a\n    title: x\n    note: \"a\\tb\\nc\\e[2J\"\n    every: month\n    due: 25\n"
        )
        #expect(note.plan == nil)
        #expect(note.diagnostics.map(\.location.description) == ["p.yaml:7:11"])
    }

    @Test func tabsAndLineFeedsInValuesStayAllowed() {
        let text =
            "id: t-2026\nowner: 外科\nyear: 2026\nitems:\n  - id: a\n    title: \"a\\tb\"\n    note: |\n      第一行\n      第二行\n    every: month\n    due: 25\n"
        let (plan, diagnostics) = Self.parse(text)
        #expect(plan?.items.first?.note == "第一行\n第二行\n")
        #expect(!diagnostics.hasErrors)
    }

    @Test func aCRLFFileLoads() {
        let text =
            "id: t-2026\r\nowner: 外科\r\nyear: 2026\r\nitems:\r\n  - id: a\r\n    title: x\r\n    note: |\r\n      一\r\n      二\r\n    every: month\r\n    due: 25\r\n"
        let (plan, diagnostics) = Self.parse(text)
        #expect(plan?.items.first?.note == "一\n二\n")
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
    }

    /// Raw control bytes used to be reported at 1:1 (libyaml gives a reader
    /// error an offset, not a mark); raw bidi controls and separators passed.
    @Test(
        "raw control characters are refused where they are",
        arguments: [
            ([0x01], "U+0001"), ([0x1B], "U+001B"), ([0x7F], "U+007F"), ([0xC2, 0x85], "U+0085"),
            ([0xE2, 0x80, 0xAE], "U+202E"),
            ([0xE2, 0x80, 0xA8], "U+2028"), ([0xE2, 0x81, 0xA6], "U+2066"),
        ] as [([UInt8], String)]
    )
    func rawControlsAreRefusedAtTheirPosition(_ bytes: [UInt8], _ code: String) {
        let text = Array(Self.plan(title: "外科ab").utf8)
        let at = text.firstIndex(of: UInt8(ascii: "b"))!
        let file = Array(text[..<at]) + bytes + Array(text[at...])
        let result = Self.parser.parse(file, file: "p.yaml")
        #expect(result.plan == nil)
        // Line 6 "    title: 外科a" + the control: column 4 + 7 + 3 + 1 = 15.
        #expect(result.diagnostics.map(\.location.description) == ["p.yaml:6:15"])
        #expect(result.diagnostics.first?.message.en.contains(code) == true)
    }

    @Test func aRawControlInACommentIsRefusedToo() {
        let result = Self.parser.parse(Array("# 说明\u{1B}[2J\nid: t\n".utf8), file: "p.yaml")
        #expect(result.diagnostics.map(\.location.description) == ["p.yaml:1:5"])
    }

    @Test(
        "explicit YAML tags are refused",
        arguments: ["!!binary aGVsbG8=", "!plan x", "!!str x", "! x", "!<tag:x> y"]
    )
    func tagsAreRefused(_ title: String) {
        let (plan, diagnostics) = Self.parse(Self.plan(title: title))
        #expect(plan == nil)
        #expect(diagnostics.map(\.location.description) == ["p.yaml:6:12"])
        #expect(diagnostics.first?.message.en.contains("tags are not supported") == true, "\(diagnostics)")
    }

    @Test func tagsOnMappingsAndListsAreRefused() {
        #expect(
            Self.parse("id: t-2026\nowner: x\nyear: 2026\nitems: !!seq []\n").diagnostics.map(\.location.description)
                == ["p.yaml:4:8"]
        )
        #expect(Self.parse("!plan\nid: t-2026\n").diagnostics.map(\.location.description) == ["p.yaml:1:1"])
    }

    @Test("blank owners and titles are refused", arguments: ["\"\"", "' '", "\"\u{3000}\"", "\"\u{00A0} \""])
    func blankOwnerAndTitleAreRefused(_ blank: String) {
        let owner = Self.parse("id: t-2026\nowner: \(blank)\nyear: 2026\nitems: []\n")
        #expect(owner.plan == nil)
        #expect(owner.diagnostics.filter { $0.severity == .error }.map(\.location.description) == ["p.yaml:2:8"])
        let title = Self.parse(Self.plan(title: blank))
        #expect(title.plan == nil || title.plan?.items.isEmpty == true)
        #expect(title.diagnostics.filter { $0.severity == .error }.map(\.location.description) == ["p.yaml:6:12"])
        let planTitle = Self.parse("id: t-2026\ntitle: \(blank)\nowner: 外科\nyear: 2026\nitems: []\n")
        #expect(planTitle.diagnostics.filter { $0.severity == .error }.map(\.location.description) == ["p.yaml:2:8"])
    }

    @Test func aHugeIdIsQuotedShort() {
        let (plan, diagnostics) = Self.parse(
            "id: \(String(repeating: "a", count: 10_000))\nowner: x\nyear: 2026\nitems: []\n"
        )
        #expect(plan == nil)
        let error = diagnostics.first { $0.severity == .error }
        #expect(error?.location.description == "p.yaml:1:5")
        for language in [Language.zh, .en] {
            let line = error?.rendered(in: language) ?? ""
            #expect(line.utf8.count < 400, "\(line.utf8.count) bytes")
            #expect(line.contains(String(repeating: "a", count: 60) + "…"))
        }
        // The advice after the quoted value survives.
        #expect(error?.message.en.contains("64") == true)
    }

    @Test func libyamlsInternalsAreNotQuoted() {
        let deep = "x: " + String(repeating: "[", count: 1_100) + String(repeating: "]", count: 1_100) + "\n"
        let diagnostics = Self.parse(deep).diagnostics
        #expect(diagnostics.count == 1)
        for language in [Language.zh, .en] {
            let text = diagnostics.first?.message.text(in: language) ?? ""
            #expect(!text.contains("yaml_"), "\(text)")
        }
        #expect(diagnostics.first?.message.en.contains("nests too deep") == true)
        let key = Self.parse("id: t\n  owner: x\n").diagnostics
        #expect(key.first?.message.en.contains("mapping values") == false, "\(key)")
    }
}

/// Rosters nest `units` at most eight levels below the roster, as the error
/// says; a roster refused for nesting is not also said to list no branches.
@Suite struct RosterDepthTests {
    static func roster(levels: Int) -> String {
        var text = "name: 市卫健委\n"
        var indent = ""
        for level in 1...levels {
            text += "\(indent)units:\n\(indent)  - name: 第\(level)级\n"
            indent += "    "
        }
        text += "\(indent)branches:\n\(indent)  - {id: b, name: 某党支部, contacts: {secretary: 书记 <s@h.example>}}\n"
        return text
    }

    static func load(_ roster: String) -> PlanCatalog {
        let template =
            "template: t\nyear: 2026\nroster: roster.yaml\nitems:\n  - {id: a, title: 会, every: month, due: 25}\n"
        return PlanCatalog.load(
            [
                PlanSource(path: "roster.yaml", bytes: Array(roster.utf8)),
                PlanSource(path: "t.yaml", bytes: Array(template.utf8)),
            ],
            parser: HostileTextTests.parser
        )
    }

    @Test func eightLevelsOfUnitsAreAllowed() {
        let catalog = Self.load(Self.roster(levels: 8))
        #expect(!catalog.diagnostics.hasErrors, "\(catalog.diagnostics)")
        #expect(catalog.plans.map(\.owner) == ["某党支部"])
    }

    @Test func nineLevelsAreRefusedWithoutASecondMisleadingWarning() {
        let catalog = Self.load(Self.roster(levels: 9))
        let roster = catalog.diagnostics.filter { $0.location.file == "roster.yaml" }
        #expect(roster.filter { $0.severity == .error }.count == 1)
        #expect(roster.first?.message.en.contains("at most 8 levels") == true, "\(roster)")
        #expect(!catalog.diagnostics.contains { $0.message.en.contains("lists no branches") }, "\(catalog.diagnostics)")
    }
}
