import Diagnostics
import Foundation
import PlanFormat
import Testing
import Vocabulary
import WorkCalendar

@Suite struct PlanParserTests {
    let parser = PlanParser(officialYears: [2024, 2025, 2026])

    func parse(_ text: String) -> PlanParser.Result { parser.parse(Array(text.utf8), file: "p.yaml") }

    let header = """
        id: surgery-2-2026
        title: 外科第二党支部 2026 年党建工作计划
        owner: 外科第二党支部
        year: 2026
        contacts:
          secretary: 王五 <wangwu@hospital.example>
          office: [党委办公室 <dangban@hospital.example>, 李四 <lisi@hospital.example>]
        defaults:
          remind: [7d, 1d]
          notify: [secretary]
          escalate: {after: 3wd, to: [office]}

        """

    @Test func readsTheContractExample() throws {
        let r = parse(
            header + """
                items:
                  - id: committee
                    title: 支部委员会
                    every: month
                    due: 25
                  - id: integrity-spring
                    title: 节前廉洁提醒
                    before: 春节
                    workdays: 2
                    remind: 3wd
                  - id: review
                    title: 述职评议
                    date: 2026-12-25
                    shift: later
                    notify: [secretary, office]
                  - id: red
                    title: 红色教育
                    times: 2..3
                    within: year
                    escalate: ~
                """
        )
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics.map { $0.rendered(in: .en) })")
        let plan = try #require(r.plan)
        #expect(plan.contacts["office"]?.count == 2)
        #expect(plan.contacts["secretary"]?.first == Address(name: "王五", address: "wangwu@hospital.example"))
        #expect(
            plan.items.map(\.schedule) == [
                .every(.month, .day(25)), .before(.springFestival, workdays: 2),
                .date(CivilDate(iso: "2026-12-25")!), .times(min: 2, max: 3, within: .year),
            ]
        )
        // Defaults fill what an item leaves out; an item's own value wins.
        #expect(plan.items[0].notices.remind == [Offset(7, .days), Offset(1, .days)])
        #expect(plan.items[1].notices.remind == [Offset(3, .workdays)])
        #expect(plan.items[0].notices.escalate == Escalation(after: Offset(3, .workdays), to: ["office"]))
        #expect(plan.items[2].notices.notify == ["secretary", "office"])
        #expect(plan.items[2].shift == .later)
        #expect(plan.items[3].notices.escalate == nil)
    }

    @Test(
        "day rules",
        arguments: [
            ("25", DayRule.day(25)), ("last-day", .lastDay), ("last-workday", .lastWorkday),
            ("first-workday", .firstWorkday),
            ("1st-fri", .nthWeekday(1, .friday)), ("2nd-mon", .nthWeekday(2, .monday)),
            ("4th-sun", .nthWeekday(4, .sunday)),
            ("last-fri", .lastWeekday(.friday)),
        ]
    )
    func dayRules(text: String, rule: DayRule) throws {
        let r = parse(header + "items:\n  - id: a\n    every: quarter\n    due: \(text)\n")
        #expect(try #require(r.plan).items[0].schedule == .every(.quarter, rule))
    }

    @Test func unknownKeysSuggestTheClosestKnownOne() {
        let r = parse(header + "items:\n  - id: a\n    titel: x\n    every: month\n    due: 1\n")
        #expect(r.diagnostics.count == 1)
        #expect(r.diagnostics.first?.message.en.contains("did you mean 'title'") == true)
        #expect(r.diagnostics.first?.location.line == 14)
        #expect(r.diagnostics.first?.location.column == 5)
    }

    @Test func yesAndOnStayText() throws {
        // YAML 1.1 would read these as booleans; the plan format never does.
        let r = parse(
            header
                + "items:\n  - id: a\n    title: on\n    every: month\n    due: 1\n  - id: b\n    title: yes\n    date: 2026-03-01\n"
        )
        let plan = try #require(r.plan)
        #expect(plan.items.map(\.title) == ["on", "yes"])
    }

    @Test func severalProblemsAreAllReported() {
        let r = parse(header + "items:\n  - id: A\n    every: week\n    due: 1\n  - id: b\n    date: 2026-02-30\n")
        #expect(r.plan == nil)
        #expect(r.diagnostics.filter { $0.severity == .error }.count == 3)
    }

    @Test func aYearWithoutAListWarnsAndStillLoads() throws {
        let r = parse("id: x\nowner: 内科\nyear: 2027\nitems:\n  - id: a\n    every: month\n    due: 25\n")
        #expect(r.plan != nil)
        #expect(r.diagnostics.map(\.severity) == [.warning])
        #expect(r.diagnostics.first?.message.en.contains("2027") == true)
    }

    @Test func contactFormat() {
        for good in [
            "王五 <wangwu@hospital.example>", "Li Si <li.si+party@h.example>", "a <b@localhost>",
            "\"\u{3000}王五\u{3000}<wangwu@hospital.example>\u{3000}\"", "\"王五\t<w-1@a-b.c-d.example>\"",
        ] {
            let r = parse(header.replacingOccurrences(of: "王五 <wangwu@hospital.example>", with: good) + "items: []\n")
            #expect(r.plan != nil, "\(good)")
            // Blanks around the name, ideographic ones included, are not part of it.
            if let contact = r.plan?.contacts["secretary"]?.first, good.contains("王五") {
                #expect(contact.name == "王五")
            }
        }
        for bad in [
            "wangwu@hospital.example", "<wangwu@hospital.example>", "王五 <wangwu>", "王五 <wang wu@h.example>",
            "王五 <wangwu@hospital.example", "王五 <w@@h>",
            "王五 <w@-h.example>", "王五 <w@h-.example>", "王五 <w@h..example>", "王五 <w@h.example.>", "王五 <wé@h.example>",
            "王五 <@h.example>", "王五 <w@>", "王\\\"五 <w@h.example>", "王五 <w@h.exa_mple>", "\u{3000} <w@h.example>",
        ] {
            #expect(
                parse(
                    header.replacingOccurrences(of: "王五 <wangwu@hospital.example>", with: "\"\(bad)\"") + "items: []\n"
                ).plan == nil,
                "\(bad)"
            )
        }
    }
}
