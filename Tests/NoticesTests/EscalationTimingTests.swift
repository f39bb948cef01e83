import Diagnostics
import Notices
import PlanFormat
import Scheduling
import Testing
import Vocabulary
import WorkCalendar

private func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }

/// `escalate: {after: Nwd}` (issue 15, item 4): the Nth working day after the
/// due date, N ≥ 1, at send-at; `0wd` is the first (with a warning), never the
/// due date itself. Checked for every N from 0 to 5 on a deadline right
/// before the 2026 Spring Festival break (Fri 02-13; Sat 02-14 is a make-up
/// working day; 02-15..02-23 off).
@Suite struct EscalationTimingTests {
    static let calendar = WorkdayCalendar.standard(covering: 2025...2027)
    let policy = NoticePolicy(calendar: calendar)
    let parser = PlanParser(officialYears: [2024, 2025, 2026])

    /// N → the day the escalation goes out.
    static let expected: [Int: String] = [
        0: "2026-02-14", 1: "2026-02-14", 2: "2026-02-24", 3: "2026-02-25", 4: "2026-02-26", 5: "2026-02-27",
    ]

    func plan(after: String) throws -> (NoticePolicy.PlanOccurrences, [Diagnostic]) {
        let text = """
            id: surgery-2-2026
            owner: 外科第二党支部
            year: 2026
            contacts:
              secretary: 王五 <wangwu@hospital.example>
              office: 党委办公室 <dangban@hospital.example>
            items:
              - id: integrity
                title: 节前廉洁提醒
                date: 2026-02-13
                remind: []
                notify: [secretary]
                escalate: {after: \(after), to: [office]}
            """
        let r = parser.parse(Array(text.utf8), file: "p.yaml")
        let p = try #require(r.plan, "\(r.diagnostics.map { $0.rendered(in: .en) })")
        return (
            .init(plan: p, occurrences: ScheduleExpander(calendar: Self.calendar).occurrences(of: p)), r.diagnostics
        )
    }

    /// Day by day from the due date, at send-at, with the ledger's marks
    /// carried over: the escalation goes out exactly once, on the expected day.
    @Test(arguments: 0...5)
    func theEscalationGoesOutOnTheNthWorkingDayAfterTheDueDate(_ n: Int) throws {
        let (entry, _) = try plan(after: "\(n)wd")
        let occurrence = try #require(entry.occurrences.first)
        #expect(policy.escalationDate(of: occurrence, after: Offset(n, .workdays)) == d(Self.expected[n]!))
        var marks = NoticeMarks()
        var escalatedOn: [CivilDate] = []
        var day = d("2026-02-13")
        while day <= d("2026-03-06") {
            let decision = policy.decide(
                plans: [entry],
                completions: [:],
                marks: marks,
                now: LocalTime(date: day, hour: 8, minute: 30)
            )
            escalatedOn += decision.send.filter { $0.kind == .escalation }.map(\.date)
            marks.apply(decision.marks)
            day = day.adding(days: 1)
        }
        #expect(escalatedOn == [d(Self.expected[n]!)], "after: \(n)wd")
    }

    /// Recorded on the escalation day (before send-at) or earlier: never
    /// escalated; recorded the day after: escalated as planned.
    @Test(arguments: 0...5)
    func aRecordOnOrBeforeTheEscalationDayPreventsIt(_ n: Int) throws {
        let (entry, _) = try plan(after: "\(n)wd")
        let key = try #require(entry.occurrences.first).key
        let due = d(Self.expected[n]!)
        let at = LocalTime(date: due, hour: 8, minute: 30)
        let recorded = policy.decide(plans: [entry], completions: [key: 1], marks: NoticeMarks(), now: at)
        #expect(!recorded.send.contains { $0.kind == .escalation })
        let open = policy.decide(plans: [entry], completions: [:], marks: NoticeMarks(), now: at)
        #expect(open.send.contains { $0.kind == .escalation && $0.date == due })
        // The day before: not yet (N = 0 and 1 both fall on the make-up Saturday).
        let before = policy.decide(
            plans: [entry],
            completions: [:],
            marks: NoticeMarks(),
            now: LocalTime(date: due.adding(days: -1), hour: 23, minute: 59)
        )
        #expect(!before.send.contains { $0.kind == .escalation })
    }

    @Test func zeroIsTakenAsTheFirstWithAWarningAtTheValue() throws {
        for zero in ["0wd", "0d"] {
            let (entry, diagnostics) = try plan(after: zero)
            #expect(!diagnostics.hasErrors)
            #expect(diagnostics.map(\.location.description) == ["p.yaml:13:23"], "\(diagnostics)")
            #expect(diagnostics.first?.message.en.contains("first working day after the due date") == true)
            #expect(entry.plan.items.first?.notices.escalate?.after == Offset(1, zero == "0wd" ? .workdays : .days))
        }
    }

    /// The overdue digest marks an item escalated from the same day on.
    @Test func theDigestCountsItEscalatedFromThatDay() throws {
        let (entry, _) = try plan(after: "2wd")
        let on = policy.overdueDigests(
            plans: [entry],
            completions: [:],
            handled: [],
            now: LocalTime(date: d("2026-02-24"), hour: 9, minute: 0),
            days: .workdays
        )
        #expect(on.digests.first?.lines.first?.escalated == true)
        let before = policy.overdueDigests(
            plans: [entry],
            completions: [:],
            handled: [],
            now: LocalTime(date: d("2026-02-14"), hour: 9, minute: 0),
            days: .workdays
        )
        #expect(before.digests.first?.lines.first?.escalated == false)
    }
}
