import Diagnostics
import Foundation
import PlanFormat
import Scheduling
import Testing
import Vocabulary
import WorkCalendar

/// A small city as the seed documents describe it: one health commission,
/// 12 hospitals, 144 branches, one roster file and two templates. The roster
/// and templates are generated here so that every spot check below can say
/// exactly which branch it looks at.
@Suite struct TemplateCityTests {
    static let parser = PlanParser(officialYears: [2024, 2025, 2026])
    static let calendar = WorkdayCalendar.standard(covering: 2025...2027)

    /// Branches 1–8 of each hospital are clinical, 9–11 administrative, 12 retired.
    static func tag(_ b: Int) -> String { b <= 8 ? "临床" : b <= 11 ? "机关" : "离退休" }

    static let roster: String = {
        var s = """
            # 某市党支部名册（测试用，12 家医院 × 12 个支部）
            name: 某市卫生健康委员会
            contacts:
              commission: 市卫健委机关党委 <jgdw@wjw.example>
            units:

            """
        for h in 1...12 {
            s += """
                  - name: 某市第\(h)人民医院党委
                    contacts:
                      office: 第\(h)医院党委办公室 <office@h\(h).example>
                    branches:

                """
            for b in 1...12 {
                s += """
                          - id: h\(h)-b\(b)
                            name: 第\(h)医院第\(b)党支部
                            tags: [\(tag(b))]
                            contacts:
                              secretary: 书记\(h)-\(b) <s\(b)@h\(h).example>

                    """
            }
        }
        return s
    }()

    static let basics = """
        template: basics-2026
        title: "{branch} {year} 年党建工作计划"
        year: 2026
        roster: roster.yaml
        defaults:
          remind: [7d, 3wd]
          escalate: {after: 3wd, to: [office]}
        items:
          - id: committee
            title: 支部委员会会议
            every: month
            due: 25
          - id: theme-day
            title: 主题党日
            every: month
            due: 15
            shift: later
          - id: assembly
            title: 支部党员大会
            every: quarter
            due: last-workday
          - id: red-education
            title: 红色教育
            times: 2..3
            within: year
          - id: integrity-spring
            title: 节前廉洁提醒（春节）
            before: 春节
            workdays: 2
          - id: org-life
            title: 组织生活会
            every: year
            due: 11-30
            escalate: {after: 3wd, to: [office, commission]}
        branches:
          h3-b12:
            exempt: [red-education]
          h5-b2:
            change:
              committee: {due: 20}
          h7-b9:
            add:
              - id: archive-check
                title: 党建档案自查
                every: half-year
                due: last-day
                shift: none
          h12-b1:
            change:
              org-life: {date: 2026-12-18}

        """

    static let clinical = """
        template: clinical-2026
        year: 2026
        roster: roster.yaml
        apply-to: [临床]
        items:
          - id: ethics-study
            title: 医德医风专题学习
            every: quarter
            due: 3rd-thu

        """

    static func load(_ files: [String: String], reading: @escaping (String) -> [UInt8]? = { _ in nil }) -> PlanCatalog {
        PlanCatalog.load(
            files.map { PlanSource(path: $0.key, bytes: Array($0.value.utf8)) },
            parser: parser,
            reading: reading
        )
    }

    static let city = load([
        "city/roster.yaml": roster, "city/basics-2026.yaml": basics, "city/clinical-2026.yaml": clinical,
    ])

    static func plan(_ id: String) throws -> Plan {
        try #require(city.plans.first { $0.id == id }, "no plan \(id)")
    }

    static func dues(_ planID: String, _ item: String) throws -> [String: String] {
        let plan = try plan(planID)
        let occurrences = ScheduleExpander(calendar: calendar).occurrences(of: plan).filter { $0.itemID == item }
        return Dictionary(uniqueKeysWithValues: occurrences.map { ($0.period, $0.due.description) })
    }

    @Test func everyBranchGetsItsPlans() throws {
        #expect(!Self.city.diagnostics.hasErrors, "\(Self.city.diagnostics.map { $0.rendered(in: .en) })")
        #expect(Self.city.diagnostics.isEmpty)
        #expect(Self.city.rejected.isEmpty)
        // 144 basic plans, and one clinical plan for each of the 8 × 12 clinical branches.
        #expect(Self.city.plans.count == 144 + 96)
        #expect(Set(Self.city.plans.map(\.id)).count == 240)
        #expect(
            Self.city.templates == [
                TemplateSummary(
                    id: "basics-2026",
                    file: "city/basics-2026.yaml",
                    roster: "city/roster.yaml",
                    year: 2026,
                    branches: 144,
                    plans: 144
                ),
                TemplateSummary(
                    id: "clinical-2026",
                    file: "city/clinical-2026.yaml",
                    roster: "city/roster.yaml",
                    year: 2026,
                    branches: 96,
                    plans: 96
                ),
            ]
        )
    }

    @Test func aBranchPlanCarriesItsRosterEntry() throws {
        let p = try Self.plan("basics-2026-h4-b7")
        #expect(p.owner == "第4医院第7党支部")
        #expect(p.title == "第4医院第7党支部 2026 年党建工作计划")
        #expect(p.year == 2026)
        #expect(p.units == ["某市卫生健康委员会", "某市第4人民医院党委"])
        #expect(p.origin?.template == "basics-2026")
        #expect(p.origin?.branch == "h4-b7")
        #expect(p.origin?.tags == ["临床"])
        #expect(p.file == "city/basics-2026.yaml")
        // The branch's own secretary, its hospital's office, the city's commission.
        #expect(p.contacts["secretary"] == [Address(name: "书记4-7", address: "s7@h4.example")])
        #expect(p.contacts["office"] == [Address(name: "第4医院党委办公室", address: "office@h4.example")])
        #expect(p.contacts["commission"]?.first?.address == "jgdw@wjw.example")
        // Hospitals start at line 6 and take 4 + 12 × 5 lines each; b7 is the 7th branch of the 4th.
        #expect(p.idLocation.file == "city/roster.yaml")
        #expect(p.idLocation.line == 6 + 3 * 64 + 4 + 6 * 5)
        #expect(p.idLocation.column == 13)
    }

    @Test func rolesFromAboveAreToldOnlyWhenNamed() throws {
        let p = try Self.plan("basics-2026-h4-b7")
        let committee = try #require(p.items.first { $0.id == "committee" })
        // No notify anywhere: the branch's own people, not its hospital's office or the commission.
        #expect(committee.notices.notify == ["secretary"])
        #expect(committee.notices.escalate == Escalation(after: Offset(3, .workdays), to: ["office"]))
        let orgLife = try #require(p.items.first { $0.id == "org-life" })
        #expect(orgLife.notices.escalate?.to == ["office", "commission"])
        #expect(orgLife.notices.remind == [Offset(7, .days), Offset(3, .workdays)])
    }

    @Test func spotChecksOfOrdinaryBranches() throws {
        for id in ["basics-2026-h1-b1", "basics-2026-h6-b10", "basics-2026-h11-b4"] {
            let committee = try Self.dues(id, "committee")
            #expect(committee.count == 12)
            #expect(committee["2026-01"] == "2026-01-23")  // 01-25 is a Sunday
            #expect(committee["2026-02"] == "2026-02-25")
            #expect(committee["2026-10"] == "2026-10-23")  // 10-25 is a Sunday
            let theme = try Self.dues(id, "theme-day")
            #expect(theme["2026-02"] == "2026-02-24")  // 02-15 opens the Spring Festival break: later
            #expect(theme["2026-03"] == "2026-03-16")  // a Sunday: the Monday after
            #expect(try Self.dues(id, "integrity-spring") == ["2026": "2026-02-13"])
            #expect(try Self.dues(id, "org-life") == ["2026": "2026-11-30"])
            #expect(try Self.dues(id, "red-education") == ["2026": "2026-12-31"])
            #expect(
                try Self.dues(id, "assembly") == [
                    "2026-Q1": "2026-03-31", "2026-Q2": "2026-06-30", "2026-Q3": "2026-09-30", "2026-Q4": "2026-12-31",
                ]
            )
        }
    }

    @Test func theOverriddenBranchKeepsItsOwnDueDay() throws {
        let committee = try Self.dues("basics-2026-h5-b2", "committee")
        #expect(committee.count == 12)
        #expect(committee["2026-02"] == "2026-02-14")  // 02-20 is in the break; 02-14 is a Saturday make-up working day
        #expect(committee["2026-09"] == "2026-09-20")  // a Sunday, but a make-up working day
        #expect(committee["2026-03"] == "2026-03-20")
        // Its neighbours keep the template's day.
        #expect(try Self.dues("basics-2026-h5-b1", "committee")["2026-03"] == "2026-03-25")
        #expect(try Self.dues("basics-2026-h5-b3", "committee")["2026-03"] == "2026-03-25")
        // A changed schedule kind: a one-off date replaces every + due.
        #expect(try Self.dues("basics-2026-h12-b1", "org-life") == ["2026": "2026-12-18"])
    }

    @Test func theExemptBranchHasNoSuchItem() throws {
        let exempt = try Self.plan("basics-2026-h3-b12")
        #expect(!exempt.items.contains { $0.id == "red-education" })
        #expect(exempt.items.count == 5)
        let expander = ScheduleExpander(calendar: Self.calendar)
        let other = try Self.plan("basics-2026-h3-b11")
        #expect(expander.occurrences(of: exempt).count == expander.occurrences(of: other).count - 1)
        #expect(try Self.dues("basics-2026-h4-b12", "red-education") == ["2026": "2026-12-31"])
    }

    @Test func theAddedItemBelongsToOneBranch() throws {
        #expect(
            try Self.dues("basics-2026-h7-b9", "archive-check") == ["2026-H1": "2026-06-30", "2026-H2": "2026-12-31"]
        )
        #expect(try Self.plan("basics-2026-h7-b9").items.last?.shift == Shift.none)
        #expect(try Self.dues("basics-2026-h7-b10", "archive-check").isEmpty)
    }

    @Test func tagsChooseTheBranches() throws {
        let clinical = Self.city.plans.filter { $0.origin?.template == "clinical-2026" }
        #expect(clinical.count == 96)
        #expect(clinical.allSatisfy { $0.origin?.tags == ["临床"] })
        #expect(Self.city.plans.contains { $0.id == "clinical-2026-h2-b8" })
        #expect(!Self.city.plans.contains { $0.id == "clinical-2026-h2-b9" })
        #expect(!Self.city.plans.contains { $0.id == "clinical-2026-h2-b12" })
        #expect(try Self.dues("clinical-2026-h9-b3", "ethics-study")["2026-Q1"] == "2026-03-19")
        // Without a title, the branch's name and the year.
        #expect(try Self.plan("clinical-2026-h9-b3").title == "第9医院第3党支部 2026 年党建工作计划")
    }

    /// The strongest check: a branch's expanded plan schedules exactly like
    /// the same plan written out by hand.
    @Test func anExpandedPlanEqualsItsHandWrittenTwin() throws {
        let handWritten = """
            id: basics-2026-h5-b2
            owner: 第5医院第2党支部
            year: 2026
            contacts:
              secretary: 书记5-2 <s2@h5.example>
              office: 第5医院党委办公室 <office@h5.example>
              commission: 市卫健委机关党委 <jgdw@wjw.example>
            defaults:
              remind: [7d, 3wd]
              notify: [secretary]
              escalate: {after: 3wd, to: [office]}
            items:
              - {id: committee, title: 支部委员会会议, every: month, due: 20}
              - {id: theme-day, title: 主题党日, every: month, due: 15, shift: later}
              - {id: assembly, title: 支部党员大会, every: quarter, due: last-workday}
              - {id: red-education, title: 红色教育, times: 2..3, within: year}
              - {id: integrity-spring, title: 节前廉洁提醒（春节）, before: 春节, workdays: 2}
              - {id: org-life, title: 组织生活会, every: year, due: 11-30, escalate: {after: 3wd, to: [office, commission]}}
            """
        let twin = try #require(Self.parser.parse(Array(handWritten.utf8), file: "twin.yaml").plan)
        let expanded = try Self.plan("basics-2026-h5-b2")
        let expander = ScheduleExpander(calendar: Self.calendar)
        let a = expander.occurrences(of: expanded)
        let b = expander.occurrences(of: twin)
        #expect(a.count == b.count)
        let lines = { (o: Occurrence) in "\(o.itemID) \(o.period) \(o.due) \(o.reminders.map(\.date))" }
        #expect(a.map(lines) == b.map(lines))
        let identical = a == b  // every field, titles and owners too
        #expect(identical)
        #expect(expanded.items.map(\.notices) == twin.items.map(\.notices))
        #expect(expanded.contacts == twin.contacts)
    }

    @Test func aTemplateFindsItsRosterOutsideTheLoadedFiles() throws {
        var asked: [String] = []
        let catalog = PlanCatalog.load(
            [
                PlanSource(
                    path: "plans/./templates/basics-2026.yaml",
                    bytes: Array(
                        Self.basics.replacingOccurrences(
                            of: "roster: roster.yaml",
                            with: "roster: ../shared/roster.yaml"
                        ).utf8
                    )
                )
            ],
            parser: Self.parser,
            reading: { path in
                asked.append(path)
                return path == "plans/shared/roster.yaml" ? Array(Self.roster.utf8) : nil
            }
        )
        #expect(asked == ["plans/shared/roster.yaml"])
        #expect(catalog.plans.count == 144)
        #expect(!catalog.diagnostics.hasErrors)
    }

    @Test func aBrokenBranchLeavesOnlyItselfOut() throws {
        let broken = Self.roster.replacingOccurrences(
            of: "secretary: 书记2-5 <s5@h2.example>",
            with: "secretary: 书记2-5 s5@h2.example"
        )
        let catalog = Self.load(["city/roster.yaml": broken, "city/basics-2026.yaml": Self.basics])
        #expect(catalog.plans.count == 143)
        #expect(!catalog.plans.contains { $0.id == "basics-2026-h2-b5" })
        #expect(catalog.diagnostics.count == 1)
        #expect(catalog.diagnostics.first?.location.file == "city/roster.yaml")
        // The daemon keeps the last good plan of what a file failed to give.
        #expect(Set(catalog.rejected) == ["city/roster.yaml", "city/basics-2026.yaml"])
    }

    @Test func onePassReportsEveryProblem() throws {
        let broken = Self.basics
            .replacingOccurrences(of: "  h5-b2:", with: "  h5-b20:")
            .replacingOccurrences(
                of: "escalate: {after: 3wd, to: [office, commission]}",
                with: "escalate: {after: 3wd, to: [office, comission]}"
            )
            .replacingOccurrences(of: "    due: 25\n", with: "    due: 32\n")
        let catalog = Self.load(["city/roster.yaml": Self.roster, "city/basics-2026.yaml": broken])
        #expect(catalog.plans.isEmpty)
        let found = catalog.diagnostics.map { "\($0.location) \($0.message.en.prefix(30))" }
        #expect(
            found == [
                "city/basics-2026.yaml:12:10 due day '32' is out of range; ",  // the template's own error
                "city/basics-2026.yaml:38:3 the roster at city/roster.yaml",  // an override for no branch of the roster
                "city/basics-2026.yaml:34:41 none of the 144 branches of th",  // a role no branch has
            ],
            "\(catalog.diagnostics.map { $0.rendered(in: .en) })"
        )
    }

    @Test func aHandWrittenPlanCanSayWhereItSits() throws {
        let text = "id: committee-2026\nowner: 某市第4人民医院党委\nyear: 2026\nunits: [某市卫生健康委员会]\nitems: []\n"
        let r = Self.parser.parse(Array(text.utf8), file: "c.yaml")
        #expect(r.plan?.units == ["某市卫生健康委员会"])
        #expect(r.plan?.origin == nil)
        let bad = Self.parser.parse(
            Array("id: c\nowner: x\nyear: 2026\nunits: [{a: b}]\nitems: []\n".utf8),
            file: "c.yaml"
        )
        #expect(bad.plan == nil)
        #expect(bad.diagnostics.first { $0.severity == .error }.map { "\($0.location)" } == "c.yaml:4:9")
    }

    @Test func theSampleFolderExpands() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../plans")
            .standardized
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        let sources = try names.map {
            PlanSource(path: "plans/\($0)", bytes: try [UInt8](Data(contentsOf: folder.appendingPathComponent($0))))
        }
        let catalog = PlanCatalog.load(sources, parser: Self.parser)
        #expect(!catalog.diagnostics.hasErrors, "\(catalog.diagnostics.map { $0.rendered(in: .en) })")
        let retired = try #require(catalog.plans.first { $0.id == "basics-2026-retired" })
        #expect(!retired.items.contains { $0.id == "red-education" })
        #expect(retired.items.contains { $0.id == "home-visit" })
        #expect(retired.units == ["某市卫生健康委员会", "某市第一人民医院党委"])
        let dues = ScheduleExpander(calendar: Self.calendar).occurrences(of: retired).filter { $0.itemID == "dues" }
        #expect(dues.map(\.period) == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"])
        #expect(catalog.plans.filter { $0.origin?.template == "clinical-2026" }.map(\.owner) == ["儿科党支部", "妇产科党支部"])
    }
}
