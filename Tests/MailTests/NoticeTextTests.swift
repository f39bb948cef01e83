import Foundation
import Testing
@testable import MailFormat
import Vocabulary
import WorkCalendar

@Suite struct NoticeTextTests {
    @Test(arguments: [
        (NoticeKind.reminder, 5, "【党建提醒】外科第二党支部 · 支部委员会会议（2026-11）· 还有 5 个工作日"),
        (.due, 0, "【党建提醒】外科第二党支部 · 支部委员会会议（2026-11）· 今天到期"),
        (.overdue, -3, "【党建逾期】外科第二党支部 · 支部委员会会议（2026-11）· 已逾期 3 个工作日"),
        (.escalation, -10, "【党建督办】外科第二党支部 · 支部委员会会议（2026-11）· 已逾期 10 个工作日"),
        (.reminder, 1, "【党建提醒】外科第二党支部 · 支部委员会会议（2026-11）· 还有 1 个工作日"),
    ])
    func chineseSubjects(kind: NoticeKind, left: Int, expected: String) {
        #expect(NoticeMail.subject(Samples.content(kind, workdaysLeft: left), language: .zh) == expected)
    }

    @Test(arguments: [
        (NoticeKind.reminder, 5, "[Party work reminder] 外科第二党支部 · 支部委员会会议 (2026-11) · 5 working days left"),
        (.reminder, 1, "[Party work reminder] 外科第二党支部 · 支部委员会会议 (2026-11) · 1 working day left"),
        (.due, 0, "[Party work reminder] 外科第二党支部 · 支部委员会会议 (2026-11) · due today"),
        (.overdue, -1, "[Party work overdue] 外科第二党支部 · 支部委员会会议 (2026-11) · 1 working day overdue"),
        (.escalation, -10, "[Party work escalation] 外科第二党支部 · 支部委员会会议 (2026-11) · 10 working days overdue"),
    ])
    func englishSubjects(kind: NoticeKind, left: Int, expected: String) {
        #expect(NoticeMail.subject(Samples.content(kind, workdaysLeft: left), language: .en) == expected)
    }

    @Test func everyKindHasItsOwnTag() {
        for language in [Language.zh, .en] {
            let tags = NoticeKind.allCases.map { NoticeMail.subject(Samples.content($0), language: language) }
                .map { subject in String(subject.prefix { $0 != "】" && $0 != "]" }) }
            #expect(Set(tags).count == NoticeKind.allCases.count - 1)  // reminder and due share one
        }
        #expect(NoticeMail.subject(Samples.content(.report), language: .zh).hasPrefix("【党建工作报告】"))
        #expect(NoticeMail.subject(Samples.content(.backlog), language: .en).hasPrefix("[Party work backlog] "))
    }

    @Test func backlogSubjects() {
        #expect(NoticeMail.backlogSubject(count: 12, language: .zh) == "【党建待办汇总】共 12 项逾期未办")
        #expect(
            NoticeMail.backlogSubject(count: 12, language: .en) == "[Party work backlog] 12 overdue items outstanding"
        )
        #expect(NoticeMail.backlogSubject(count: 1, language: .en) == "[Party work backlog] 1 overdue item outstanding")
        #expect(NoticeMail.backlogSubject(count: -4, language: .zh) == "【党建待办汇总】共 0 项逾期未办")
    }

    @Test func chineseBodySaysWhatWhenAndHow() {
        let body = NoticeMail.body(Samples.content(), language: .zh)
        for expected in [
            "《外科第二党支部 2026 年党建工作计划》中的以下事项还有 5 个工作日到期，请提前安排。",
            "事项：\u{3000}\u{3000}支部委员会会议", "责任单位：外科第二党支部", "周期：\u{3000}\u{3000}2026 年 11 月",
            "截止日期：2026-11-25（周三）", "办理时限：还有 5 个工作日", "联系人：\u{3000}王五 <wangwu@hospital.example>",
            "办理完成后，请告知管理员或运行：", "如有疑问，请联系王五。", "    plankeeper done surgery-2-2026 committee 2026-11",
            "（本提醒按计划设置，在截止前 7 天发出。）", "\n-- \n党建工作计划提醒系统（plankeeper）\n",
        ] {
            #expect(body.contains(expected), "missing \(expected)")
        }
        #expect(!body.contains("完成情况"))  // only counted items have it
        #expect(body.hasSuffix("\n"))
    }

    @Test func englishBody() {
        let body = NoticeMail.body(Samples.content(.overdue, workdaysLeft: -1), language: .en)
        for expected in [
            "is 1 working day overdue and not yet recorded as done", "Due date: 2026-11-25 (Wed)",
            "Period:   November 2026", "Status:   1 working day overdue",
            "Once it is done, tell the administrator or run:",
            "plankeeper done surgery-2-2026 committee 2026-11", "Party work plan reminders (plankeeper)",
        ] {
            #expect(body.contains(expected), "missing \(expected)")
        }
        #expect(!body.contains("as the plan sets"))  // the offset sentence is for reminders ahead of time
    }

    /// The value column must be the same on every label line, counting a
    /// Chinese character as two columns, in both languages and also for
    /// labels of two, three and four characters.
    @Test(arguments: [Language.zh, .en])
    func labelLinesAlign(language: Language) throws {
        var content = Samples.redEducation(done: 1)
        content.note = "第一行说明\n第二行说明"
        let lines = NoticeMail.body(content, language: language).split(
            separator: "\n",
            omittingEmptySubsequences: false
        )
        let colon: Character = language == .zh ? "：" : ":"
        let first = try #require(lines.firstIndex { $0.hasPrefix(language == .zh ? "事项" : "Item") })
        let block = lines[first...].prefix { !$0.isEmpty }
        #expect(block.count == 10)  // 9 labels, the note on two lines
        let continuation = try #require(block.firstIndex { !$0.contains(colon) })
        #expect(lines[continuation].trimmingCharacters(in: [" ", "\u{3000}"]) == "第二行说明")
        var starts: Set<Int> = []
        for line in block {
            // The value starts after the label, its colon and the padding.
            let afterColon = line.firstIndex(of: colon).map { line.index(after: $0) } ?? line.startIndex
            let value = line[afterColon...].firstIndex { $0 != " " && $0 != "\u{3000}" } ?? line.endIndex
            starts.insert(columns(line[..<value]))
        }
        #expect(starts == [10], "value columns \(starts.sorted())")
    }

    @Test func countedItems() {
        #expect(
            NoticeMail.body(Samples.redEducation(done: 1), language: .zh).contains("完成情况：已完成 1 次，本周期要求 2–3 次，还差 1 次")
        )
        #expect(NoticeMail.body(Samples.redEducation(done: 2), language: .zh).contains("已完成 2 次，本周期要求 2–3 次，已达最低要求"))
        #expect(NoticeMail.body(Samples.redEducation(done: 3), language: .zh).contains("，已达要求"))
        #expect(
            NoticeMail.body(Samples.redEducation(done: 0), language: .en).contains(
                "Progress: 0 done, 2–3 times required (2 more needed)"
            )
        )
        #expect(NoticeMail.body(Samples.redEducation(done: 0), language: .zh).contains("周期：\u{3000}\u{3000}2026 年度"))
    }

    /// Mail names periods as `PeriodLabel` does everywhere (issue 14: the
    /// English half-year and year were "second half of 2026", "year 2026").
    @Test func periodsAsSpoken() {
        #expect(PeriodLabel.name(of: "2026-Q4", in: .zh) == "2026 年第四季度")
        #expect(PeriodLabel.name(of: "2026-H1", in: .zh) == "2026 年上半年")
        #expect(PeriodLabel.name(of: "2026-H2", in: .en) == "H2 2026")
        #expect(PeriodLabel.name(of: "2026-Q5", in: .zh) == "2026-Q5")
        #expect(PeriodLabel.name(of: "2026-13", in: .en) == "2026-13")
        #expect(PeriodLabel.name(of: "第三季度", in: .zh) == "第三季度")
        #expect(NoticeMail.body(Samples.redEducation(done: 0), language: .en).contains("Period:   2026\n"))
    }

    /// Hostile values: no trap, and the command line stays pasteable.
    @Test func extremeValuesDoNotTrap() {
        var c = Samples.content(.escalation, workdaysLeft: Int.min)
        c.requiredCount = Int.min...Int.max
        c.doneCount = Int.min
        c.planID = "plan with space"
        c.itemID = "it's"
        c.period = ""
        c.owner = ""
        c.planTitle = ""
        for language in [Language.zh, .en] {
            let subject = NoticeMail.subject(c, language: language)
            #expect(subject.contains("9223372036854775808"))
            let body = NoticeMail.body(c, language: language)
            #expect(body.contains("plankeeper done 'plan with space' 'it'\\''s' ''"))
        }
        let entries = [
            BacklogEntry(
                owner: "",
                itemTitle: "",
                period: "",
                planID: "",
                itemID: "",
                due: Samples.due,
                workdaysOverdue: Int.min
            )
        ]
        #expect(!NoticeMail.backlogBody(entries, recipient: Address(name: "", address: ""), language: .zh).isEmpty)
    }

    @Test func backlogBodyGroupsByBranchOldestFirst() throws {
        let body = NoticeMail.backlogBody(Samples.backlog, recipient: Samples.secretary, language: .zh)
        #expect(body.hasPrefix("王五，您好！\n"))
        #expect(body.contains("以下 3 项工作已逾期，且尚未登记完成。"))
        #expect(body.contains("只在此汇总一次，今后不再逐条提醒，也不再督办"))
        let surgery = try #require(body.range(of: "外科第二党支部（2 项）"))
        let medicine = try #require(body.range(of: "内科第一党支部（1 项）"))
        #expect(surgery.lowerBound < medicine.lowerBound)  // the branch with the oldest deadline first
        let ideology = try #require(
            body.range(
                of:
                    "  1. 意识形态工作分析研判（2026 年上半年）\n     截止 2026-06-30（周二），已逾期 92 个工作日\n     plankeeper done surgery-2-2026 ideology 2026-H1"
            )
        )
        let committee = try #require(body.range(of: "  2. 支部委员会会议（2026 年 9 月）"))
        #expect(ideology.lowerBound < committee.lowerBound && committee.upperBound < medicine.lowerBound)
        #expect(body.contains("  3. 支部党员大会（2026 年第三季度）\n     截止 2026-09-30（周三），已逾期 31 个工作日"))

        let english = NoticeMail.backlogBody(Samples.backlog, recipient: Samples.secretary, language: .en)
        #expect(english.contains("Hello 王五,"))
        #expect(english.contains("外科第二党支部 (2 items)"))
        #expect(english.contains("due 2026-06-30 (Tue), 92 working days overdue"))
        #expect(english.contains("will not be mailed or escalated one by one"))
        #expect(NoticeMail.backlogBody([], recipient: Samples.secretary, language: .zh).contains("目前没有逾期未办的事项。"))
    }

}
