import Diagnostics
import Notices
import PlanFormat
import Scheduling
import Testing
import Vocabulary
import WorkCalendar

private func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }
private func at(_ s: String) -> LocalTime { LocalTime(parsing: s)! }

/// Scenario tests of the notice policy, driven by an explicit "now" and a
/// ledger kept in memory: what a daemon would send tick after tick.
@Suite struct NoticePolicyTests {
    static let calendar = WorkdayCalendar.standard(covering: 2025...2027)
    let policy = NoticePolicy(calendar: calendar)
    let parser = PlanParser(officialYears: [2024, 2025, 2026])

    func plan(_ items: String) throws -> NoticePolicy.PlanOccurrences {
        let text = """
            id: surgery-2-2026
            owner: 外科第二党支部
            year: 2026
            contacts:
              secretary: 王五 <wangwu@hospital.example>
              deputy: 赵六 <zhaoliu@hospital.example>
              office: [党委办公室 <dangban@hospital.example>]
            defaults:
              remind: [7d, 1d]
              notify: [secretary]
              escalate: {after: 3wd, to: [office]}
            items:

            """ + items
        let r = parser.parse(Array(text.utf8), file: "p.yaml")
        let p = try #require(r.plan, "\(r.diagnostics.map { $0.rendered(in: .en) })")
        return .init(plan: p, occurrences: ScheduleExpander(calendar: Self.calendar).occurrences(of: p))
    }

    /// The stream marks a ledger keeps between ticks.
    struct Run {
        var policy: NoticePolicy
        var plans: [NoticePolicy.PlanOccurrences]
        var marks = NoticeMarks()
        var completions: [OccurrenceKey: Int] = [:]
        var sent: [Notice] = []
        var digests: [BacklogDigest] = []

        mutating func tick(_ now: LocalTime) -> NoticePolicy.Decision {
            // Tracking starts at the first tick, as the ledger records it.
            if policy.trackingStart == nil { policy.trackingStart = now }
            let decision = policy.decide(plans: plans, completions: completions, marks: marks, now: now)
            sent += decision.send
            digests += decision.backlog
            marks.apply(decision.marks)
            return decision
        }
    }

    let committee = "  - id: committee\n    title: 支部委员会会议\n    every: month\n    due: 25\n"

    func committee(due: Int) -> String { "  - id: committee\n    title: 支部委员会会议\n    every: month\n    due: \(due)\n" }

    @Test func aDeadlineMovedOntoTheDayOfASentReminderStillGetsItsDueNotice() throws {
        var run = Run(policy: policy, plans: [try plan(committee)])
        // 11-18: the 7d reminder of Wednesday 11-25.
        let first = run.tick(at("2026-11-18 09:00"))
        #expect(first.send.filter { $0.occurrence.period == "2026-11" }.map(\.kind) == [.reminder])
        // The branch moves the meeting to that very day.
        run.plans = [try plan(committee(due: 18))]
        let moved = run.tick(at("2026-11-18 10:00"))
        #expect(moved.send.filter { $0.occurrence.period == "2026-11" }.map(\.kind) == [.due])
        // And only once.
        #expect(run.tick(at("2026-11-18 11:00")).send.filter { $0.occurrence.period == "2026-11" }.isEmpty)
    }

    @Test func aDeadlineMovedBeforeASentReminderIsOverdueAtOnce() throws {
        var run = Run(policy: policy, plans: [try plan(committee)])
        _ = run.tick(at("2026-11-18 09:00"))
        // Moved to Tuesday 11-17: its due day has passed, so it is one working day late.
        run.plans = [try plan(committee(due: 17))]
        let moved = run.tick(at("2026-11-18 10:00"))
        let november = moved.send.filter { $0.occurrence.period == "2026-11" }
        #expect(november.map(\.kind) == [.overdue])
        #expect(november.first?.date == d("2026-11-18"))
    }

    @Test func aDeadlineMovedLaterAfterItsDueNoticeGetsItsNewReminders() throws {
        var run = Run(policy: policy, plans: [try plan(committee(due: 18))])
        _ = run.tick(at("2026-11-17 09:00"))  // the 1d reminder
        let dueDay = run.tick(at("2026-11-18 09:00"))
        #expect(dueDay.send.filter { $0.occurrence.period == "2026-11" }.map(\.kind) == [.due])
        // Postponed to Monday 11-30: its 7d reminder (11-23) and due notice go out.
        run.plans = [try plan(committee(due: 30))]
        #expect(run.tick(at("2026-11-18 10:00")).send.filter { $0.occurrence.period == "2026-11" }.isEmpty)
        let reminder = run.tick(at("2026-11-23 09:00")).send.filter { $0.occurrence.period == "2026-11" }
        #expect(reminder.map(\.kind) == [.reminder])
        let due = run.tick(at("2026-11-30 09:00")).send.filter { $0.occurrence.period == "2026-11" }
        #expect(due.map(\.kind) == [.due])
    }

    @Test func firstStartMidYearSendsTheOneDueReminderAndDigestsTheRest() throws {
        var run = Run(policy: policy, plans: [try plan(committee)])
        // 2026-11-25 is due; its 7d reminder is 11-18 08:30.
        let decision = run.tick(at("2026-11-18 09:00"))
        #expect(decision.send.map(\.kind) == [.reminder])
        #expect(decision.send.first?.occurrence.period == "2026-11")
        #expect(decision.send.first?.label == "7d")
        #expect(decision.send.first?.recipient.address == "wangwu@hospital.example")
        // January to October are overdue: one digest per recipient, not 10 × 2 mails.
        #expect(decision.backlog.count == 2)
        #expect(decision.backlog.allSatisfy { $0.lines.count == 10 })
        #expect(
            Set(decision.backlog.map(\.recipient.address)) == ["wangwu@hospital.example", "dangban@hospital.example"]
        )
        // January to October are history: never repeated (the old policy
        // woke the next morning for their weekly overdue repeats). The next
        // notice is November's 1d reminder.
        #expect(decision.next == at("2026-11-24 08:30"))
        var day = at("2026-11-19 08:30")
        while day < at("2026-12-31 08:30") {
            let later = run.tick(day)
            #expect(later.backlog.isEmpty, "\(day)")
            #expect(
                later.send.allSatisfy { $0.occurrence.period >= "2026-11" },
                "\(day): \(later.send.map(\.occurrence.period))"
            )
            day = LocalTime(date: day.date.adding(days: 1), minute: day.minute)
        }
    }

    @Test func aBacklogLimitKeepsTheOldestLinesTheCountsAndTheKey() throws {
        let plans = [
            try plan(committee + "  - id: lecture\n    title: 党课\n    every: quarter\n    due: last-workday\n")
        ]
        let now = at("2026-11-18 09:00")
        var policy = policy
        policy.trackingStart = now
        let whole = policy.decide(plans: plans, completions: [:], marks: NoticeMarks(), now: now)
        let cut = policy.decide(plans: plans, completions: [:], marks: NoticeMarks(), now: now, digestLimit: 4)
        #expect(whole.backlog.map(\.recipient.address) == cut.backlog.map(\.recipient.address))
        for (a, b) in zip(whole.backlog, cut.backlog) {
            // January to October's committees and Q1 to Q3's lectures.
            #expect(a.total == 13 && a.lines.count == 13 && !a.isTruncated)
            #expect(b.total == 13 && b.lines.count == 4 && b.isTruncated)
            #expect(b.lines == Array(a.lines.sorted(by: Self.oldestFirst).prefix(4)))
            #expect(b.lines.map(\.occurrence.period) == ["2026-01", "2026-02", "2026-03", "2026-Q1"])
            #expect(b.branches.map(\.overdue) == [13] && b.branches.first?.owner == "外科第二党支部")
            // The key stands for every line, kept or not.
            #expect(a.key == b.key)
        }
        // Another set of lines, another key.
        let fewer = policy.decide(
            plans: [try plan(committee)],
            completions: [:],
            marks: NoticeMarks(),
            now: now,
            digestLimit: 4
        )
        #expect(Set(fewer.backlog.map(\.key)).isDisjoint(with: cut.backlog.map(\.key)))
        // The same tick as without a limit in everything else.
        #expect(cut.send == whole.send && cut.marks == whole.marks && cut.next == whole.next)
    }

    static func oldestFirst(_ a: BacklogLine, _ b: BacklogLine) -> Bool {
        let (x, y) = (a.occurrence, b.occurrence)
        return (x.due, x.owner, x.title, x.period, x.planID, x.itemID) < (
            y.due, y.owner, y.title, y.period, y.planID, y.itemID
        )
    }

    @Test func theSameTickTwiceAddsNothing() throws {
        var run = Run(policy: policy, plans: [try plan(committee)])
        _ = run.tick(at("2026-11-18 09:00"))
        let again = run.tick(at("2026-11-18 09:00"))
        #expect(again.send.isEmpty && again.backlog.isEmpty && again.handled.isEmpty && again.marks.isEmpty)
    }

    @Test func nothingGoesOutBeforeSendAt() throws {
        var run = Run(policy: policy, plans: [try plan(committee)])
        _ = run.tick(at("2026-11-17 09:00"))
        let early = run.tick(at("2026-11-18 08:29"))
        #expect(early.send.isEmpty)
        #expect(early.next == at("2026-11-18 08:30"))
        let onTime = run.tick(at("2026-11-18 08:30"))
        // (Older occurrences' weekly overdue repeats go out too; look at November's.)
        #expect(onTime.send.filter { $0.occurrence.period == "2026-11" }.map(\.kind) == [.reminder])
    }

    @Test func aDaySequenceSendsEachNoticeOnItsDay() throws {
        var run = Run(policy: policy, plans: [try plan(committee)])
        _ = run.tick(at("2026-11-10 09:00"))
        run.sent = []
        var day = d("2026-11-11")
        while day <= d("2026-12-10") {
            _ = run.tick(LocalTime(date: day, hour: 9, minute: 0))
            day = day.adding(days: 1)
        }
        let november = run.sent.filter { $0.occurrence.period == "2026-11" }
        #expect(
            november.filter { $0.kind != .escalation }.map { "\($0.kind.rawValue) \($0.date)" } == [
                "reminder 2026-11-18", "reminder 2026-11-24", "due 2026-11-25",
                "overdue 2026-11-26", "overdue 2026-12-03", "overdue 2026-12-10",
            ]
        )
        // Escalation 3 working days after 11-25 → 11-30, to the office only.
        let escalations = november.filter { $0.kind == .escalation }
        #expect(escalations.map(\.date) == [d("2026-11-30")])
        #expect(escalations.map(\.recipient.address) == ["dangban@hospital.example"])
    }

    @Test func doneSuppressesLaterNotices() throws {
        var run = Run(policy: policy, plans: [try plan(committee)])
        _ = run.tick(at("2026-11-18 09:00"))
        run.completions[OccurrenceKey(plan: "surgery-2-2026", item: "committee", period: "2026-11")] = 1
        let later = run.tick(at("2026-11-24 09:00"))
        #expect(later.send.filter { $0.occurrence.period == "2026-11" }.isEmpty)
        #expect(run.tick(at("2026-11-26 09:00")).send.filter { $0.occurrence.period == "2026-11" }.isEmpty)
    }

    @Test func aReminderMissedByADayIsCaughtUp() throws {
        var run = Run(policy: policy, plans: [try plan(committee)])
        _ = run.tick(at("2026-11-17 09:00"))
        // Down on the 18th; back on the 19th.
        let back = run.tick(at("2026-11-19 10:00"))
        #expect(
            back.send.filter { $0.occurrence.period == "2026-11" }.map { "\($0.kind) \($0.date)" } == [
                "reminder 2026-11-18"
            ]
        )
        // Every overdue occurrence of earlier months is nagged at most once per tick.
        let keys = back.send.map { "\($0.occurrence.key)|\($0.recipient.address)|\($0.kind == .escalation)" }
        #expect(Set(keys).count == keys.count)
    }

    @Test func overdueGoesOutOnTheFirstWorkingDayAfterTheDueDate() throws {
        // Due Friday 2026-12-25; the first working day after is Monday 12-28.
        var run = Run(policy: policy, plans: [try plan("  - id: review\n    date: 2026-12-25\n    escalate: ~\n")])
        _ = run.tick(at("2026-12-25 09:00"))
        #expect(run.tick(at("2026-12-26 09:00")).send.isEmpty)
        #expect(run.tick(at("2026-12-27 09:00")).send.isEmpty)
        #expect(run.tick(at("2026-12-28 09:00")).send.map { "\($0.kind) \($0.date)" } == ["overdue 2026-12-28"])
    }

    @Test func timesItemsAreDoneAtTheirMinimumCount() throws {
        var run = Run(policy: policy, plans: [try plan("  - id: red\n    times: 2..3\n    within: year\n")])
        let key = OccurrenceKey(plan: "surgery-2-2026", item: "red", period: "2026")
        run.completions[key] = 1
        #expect(run.tick(at("2026-12-24 09:00")).send.map(\.kind) == [.reminder])
        run.completions[key] = 2
        #expect(run.tick(at("2026-12-30 09:00")).send.isEmpty)
    }

    @Test func recipientsAreDeduplicatedAcrossRoles() throws {
        var run = Run(
            policy: policy,
            plans: [try plan("  - id: a\n    date: 2026-12-25\n    notify: [secretary, deputy, secretary]\n")]
        )
        let decision = run.tick(at("2026-12-18 09:00"))
        #expect(
            decision.send.map(\.recipient.address).sorted() == ["wangwu@hospital.example", "zhaoliu@hospital.example"]
        )
        #expect(Set(decision.send.map(\.key)).count == 2)
    }

    @Test func overdueRepeatsStopAfterTheHorizon() throws {
        var run = Run(policy: policy, plans: [try plan("  - id: review\n    date: 2026-12-25\n    escalate: ~\n")])
        _ = run.tick(at("2026-12-28 09:00"))
        var day = d("2026-12-29")
        while day <= d("2027-06-30") {
            _ = run.tick(LocalTime(date: day, hour: 9, minute: 0))
            day = day.adding(days: 1)
        }
        let last = try #require(run.sent.map(\.date).max())
        #expect(last <= d("2027-03-31"))
        #expect(last >= d("2027-03-22"))
        #expect(run.tick(at("2027-07-01 09:00")).next == nil)
    }

    @Test func workdaysLeftCountsWorkingDays() {
        #expect(policy.workdaysLeft(due: d("2026-02-24"), today: d("2026-02-13")) == 2)  // 02-14 (make-up Sat), 02-24
        #expect(policy.workdaysLeft(due: d("2026-02-13"), today: d("2026-02-13")) == 0)
        #expect(policy.workdaysLeft(due: d("2026-11-25"), today: d("2026-11-30")) == -3)
    }
}
