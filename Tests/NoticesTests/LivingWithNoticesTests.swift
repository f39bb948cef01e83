import Diagnostics
import Notices
import PlanFormat
import Scheduling
import Testing
import Vocabulary
import WorkCalendar

private func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }
private func at(_ s: String) -> LocalTime { LocalTime(parsing: s)! }

/// Issue 15, items 1–3, in the pure policy: history is listed once and never
/// mailed one by one; nothing goes out outside the send window (held until
/// the next working day's send-at); escalations fold into the supervisor's
/// digest, which knows what is new since the previous one.
@Suite struct LivingWithNoticesTests {
    static let calendar = WorkdayCalendar.standard(covering: 2025...2027)
    let parser = PlanParser(officialYears: [2024, 2025, 2026])

    func plan(_ extra: String = "") throws -> NoticePolicy.PlanOccurrences {
        let text = """
            id: surgery-2-2026
            owner: 外科第二党支部
            year: 2026
            contacts:
              secretary: 王五 <wangwu@hospital.example>
              office: 党委办公室 <dangban@hospital.example>
            defaults:
              remind: [7d, 1d]
              notify: [secretary]
              escalate: {after: 3wd, to: [office]}
            items:
              - id: committee
                title: 支部委员会会议
                every: month
                due: 25

            """ + extra
        let r = parser.parse(Array(text.utf8), file: "p.yaml")
        let p = try #require(r.plan, "\(r.diagnostics.map { $0.rendered(in: .en) })")
        return .init(plan: p, occurrences: ScheduleExpander(calendar: Self.calendar).occurrences(of: p))
    }

    /// Ticks with the marks a ledger would keep, tracking from the first tick.
    struct Run {
        var policy: NoticePolicy
        var plans: [NoticePolicy.PlanOccurrences]
        var marks = NoticeMarks()
        var completions: [OccurrenceKey: Int] = [:]
        var log: [(LocalTime, NoticePolicy.Decision)] = []

        @discardableResult
        mutating func tick(_ now: LocalTime) -> NoticePolicy.Decision {
            if policy.trackingStart == nil { policy.trackingStart = now }
            let decision = policy.decide(plans: plans, completions: completions, marks: marks, now: now)
            marks.apply(decision.marks)
            log.append((now, decision))
            return decision
        }

        /// Every day at send-at from `from` through `to`.
        mutating func daily(from: String, to: String) {
            var day = d(from)
            while day <= d(to) {
                tick(LocalTime(date: day, hour: 8, minute: 30))
                day = day.adding(days: 1)
            }
        }
    }

    func policy(window: SendWindow = .standard, inDigest: Bool = false) -> NoticePolicy {
        NoticePolicy(calendar: Self.calendar, window: window, escalationsInDigest: inDigest)
    }

    // MARK: 1. History

    @Test func aFirstStartMidYearListsHistoryOnceAndNeverMailsItOneByOne() throws {
        var run = Run(policy: policy(), plans: [try plan()])
        run.tick(at("2026-07-15 09:00"))
        run.daily(from: "2026-07-16", to: "2026-09-30")
        let (_, first) = run.log[0]
        // January to June (due more than catch-up, 7 days, before tracking started): history.
        let history = Set(first.backlog.flatMap(\.lines).map(\.occurrence.period))
        #expect(history == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"])
        #expect(Set(first.backlog.map(\.recipient.address)) == ["wangwu@hospital.example", "dangban@hospital.example"])
        // Listed once, in the first tick only; never mailed, repeated or escalated afterwards.
        #expect(run.log.dropFirst().allSatisfy { $0.1.backlog.isEmpty })
        let mailed = run.log.flatMap { $0.1.send }
        #expect(!mailed.contains { history.contains($0.occurrence.period) })
        // July onwards is tracked: its due, overdue and escalation notices go out.
        let july = mailed.filter { $0.occurrence.period == "2026-07" }.map(\.kind)
        #expect(july.contains(.due) && july.contains(.overdue) && july.contains(.escalation))
    }

    @Test func aDeadlineWithinCatchUpBeforeTrackingStartIsTracked() throws {
        // Due Fri 07-10 (the 25th rule does not apply: a one-off), tracking starts Wed 07-15:
        // 5 days before, within catch-up: its overdue notice goes out at once, and repeats.
        var run = Run(policy: policy(), plans: [try plan("  - id: review\n    title: 半年总结\n    date: 2026-07-10\n")])
        let first = run.tick(at("2026-07-15 09:00"))
        #expect(first.send.contains { $0.occurrence.itemID == "review" && $0.kind == .overdue })
        #expect(!first.backlog.flatMap(\.lines).contains { $0.occurrence.itemID == "review" })
        run.daily(from: "2026-07-16", to: "2026-07-31")
        let later: [Notice] = run.log.dropFirst().flatMap { $0.1.send }
        let repeats = later.filter { $0.occurrence.itemID == "review" && $0.kind == .overdue }
        #expect(repeats.count >= 2)
    }

    @Test func trackFromBeforeTheFirstTickTracksWhatFollowsIt() throws {
        var p = policy()
        p.trackingStart = at("2026-05-01 00:00")  // track-from: 2026-05-01
        let decision = p.decide(
            plans: [try plan()],
            completions: [:],
            marks: NoticeMarks(),
            now: at("2026-07-15 09:00")
        )
        // April's (due Fri 04-24) lies within catch-up before 05-01: tracked, like May and June;
        // July's is not due yet.
        #expect(Set(decision.backlog.flatMap(\.lines).map(\.occurrence.period)) == ["2026-01", "2026-02", "2026-03"])
        #expect(Set(decision.send.map(\.occurrence.period)) == ["2026-04", "2026-05", "2026-06"])
    }

    @Test func historyIsNotInTheDailyOverdueDigestButCounted() throws {
        var p = policy()
        p.trackingStart = at("2026-07-15 09:00")
        let result = p.overdueDigests(
            plans: [try plan()],
            completions: [:],
            handled: [],
            now: at("2026-07-29 09:00"),
            days: .workdays
        )
        let digest = try #require(result.digests.first)
        #expect(digest.lines.map(\.occurrence.period) == ["2026-07"])
        #expect(digest.historyTotal == 6)
        // Only history overdue: no digest at all.
        let early = p.overdueDigests(
            plans: [try plan()],
            completions: [:],
            handled: [],
            now: at("2026-07-20 09:00"),
            days: .workdays
        )
        #expect(early.digests.isEmpty)
    }

    // MARK: 2. Quiet hours

    /// The daemon was stopped on Friday evening and starts again at 00:13 on
    /// Sunday: nothing goes out before Monday's send-at, and it says so.
    @Test func aCatchUpOnASundayNightWaitsForMondaysSendAt() throws {
        var run = Run(policy: policy(), plans: [try plan()])
        run.tick(at("2026-11-02 09:00"))
        run.daily(from: "2026-11-03", to: "2026-11-13")
        // Down from Sat 11-14 to Sun 11-22: the 7d reminder of Wed 11-25 (11-18) was missed.
        let sunday = run.tick(at("2026-11-22 00:13"))
        #expect(sunday.send.isEmpty && sunday.backlog.isEmpty && sunday.marks.isEmpty)
        #expect(sunday.held > 0)
        #expect(sunday.heldUntil == at("2026-11-23 08:30"))
        #expect(sunday.next == at("2026-11-23 08:30"))
        let monday = run.tick(at("2026-11-23 08:30"))
        #expect(monday.send.contains { $0.occurrence.period == "2026-11" && $0.kind == .reminder })
    }

    @Test func aCatchUpAtNightOnAWorkingDayWaitsForTheNextMorning() throws {
        var run = Run(policy: policy(), plans: [try plan()])
        run.tick(at("2026-11-02 09:00"))
        let night = run.tick(at("2026-11-18 23:05"))
        #expect(night.send.isEmpty && night.held > 0)
        #expect(night.heldUntil == at("2026-11-19 08:30"))
        // 06:00 the next working day: still closed, released at that day's send-at.
        let dawn = run.tick(at("2026-11-19 06:00"))
        #expect(dawn.send.isEmpty && dawn.heldUntil == at("2026-11-19 08:30"))
        #expect(!run.tick(at("2026-11-19 08:30")).send.isEmpty)
    }

    @Test func insideTheWindowACatchUpGoesAtOnce() throws {
        var run = Run(policy: policy(), plans: [try plan()])
        run.tick(at("2026-11-02 09:00"))
        let afternoon = run.tick(at("2026-11-18 14:00"))
        #expect(afternoon.send.contains { $0.occurrence.period == "2026-11" && $0.kind == .reminder })
        #expect(afternoon.held == 0)
    }

    @Test func catchUpAtImmediatelySendsAtNightAndOnSundays() throws {
        var run = Run(policy: policy(window: SendWindow(catchUp: .immediately)), plans: [try plan()])
        run.tick(at("2026-11-02 09:00"))
        let sunday = run.tick(at("2026-11-22 00:13"))
        #expect(sunday.send.contains { $0.occurrence.period == "2026-11" && $0.kind == .reminder })
        #expect(sunday.held == 0)
    }

    /// `shift: none` keeps a due date on a Sunday: its due notice waits for Monday.
    @Test func aDueDayOnASundayIsToldOnMonday() throws {
        var run = Run(
            policy: policy(),
            plans: [try plan("  - id: dues\n    title: 党费\n    date: 2026-12-06\n    shift: none\n    remind: []\n")]
        )
        run.tick(at("2026-12-01 09:00"))
        let sunday = run.tick(at("2026-12-06 08:30"))
        #expect(!sunday.send.contains { $0.occurrence.itemID == "dues" })
        #expect(sunday.heldUntil == at("2026-12-07 08:30"))
        let monday = run.tick(at("2026-12-07 08:30"))
        #expect(monday.send.filter { $0.occurrence.itemID == "dues" }.map(\.kind) == [.overdue])
    }

    @Test func theDigestIsNotSentAfterTheWindowCloses() throws {
        var p = policy()
        p.trackingStart = at("2026-01-01 00:00")
        let evening = p.overdueDigests(
            plans: [try plan()],
            completions: [:],
            handled: [],
            now: at("2026-11-18 19:00"),
            days: .workdays
        )
        #expect(evening.digests.isEmpty)
        #expect(evening.next == at("2026-11-19 08:30"))
        let noon = p.overdueDigests(
            plans: [try plan()],
            completions: [:],
            handled: [],
            now: at("2026-11-18 12:00"),
            days: .workdays
        )
        #expect(noon.digests.count == 1)
    }

    // MARK: 3. The supervisor's inbox

    @Test func escalationsFoldIntoTheDigestAndAreMarkedOnce() throws {
        var run = Run(policy: policy(inDigest: true), plans: [try plan()])
        run.tick(at("2026-11-02 09:00"))
        run.daily(from: "2026-11-03", to: "2026-12-10")
        let all = run.log.flatMap { $0.1.send }
        #expect(!all.contains { $0.kind == .escalation })
        let digested = run.log.flatMap { $0.1.digested }
        // November's committee (due Wed 11-25) escalated on Mon 11-30, once.
        #expect(digested.filter { $0.occurrence.period == "2026-11" }.map(\.date) == [d("2026-11-30")])
        #expect(digested.allSatisfy { $0.kind == .escalation && $0.recipient.address == "dangban@hospital.example" })
        let handled = run.log.flatMap { $0.1.handled }.filter { $0.notice.kind == .escalation }
        #expect(handled.allSatisfy { $0.disposition == .digest })
    }

    @Test func theDigestLeadsWithWhatIsNewSinceThePreviousOne() throws {
        var p = policy()
        p.trackingStart = at("2026-01-01 00:00")
        let plans = [try plan()]
        // Mon 11-30: November's committee (due 11-25) was escalated today; the previous digest went out Fri 11-27.
        let result = p.overdueDigests(
            plans: plans,
            completions: [:],
            handled: [],
            now: at("2026-11-30 08:30"),
            days: .workdays,
            previous: ["dangban@hospital.example": d("2026-11-27")]
        )
        let digest = try #require(result.digests.first)
        #expect(digest.previous == d("2026-11-27"))
        #expect(digest.newLines.map(\.occurrence.period) == ["2026-11"])
        #expect(digest.newTotal == 1 && digest.newlyEscalated == 1)
        #expect(digest.total == 11)
        // The next day nothing is new.
        let tuesday = p.overdueDigests(
            plans: plans,
            completions: [:],
            handled: [],
            now: at("2026-12-01 08:30"),
            days: .workdays,
            previous: ["dangban@hospital.example": d("2026-11-30")]
        )
        #expect(tuesday.digests.first?.newTotal == 0)
        // Without a previous digest, new means since the previous working day.
        let first = p.overdueDigests(
            plans: plans,
            completions: [:],
            handled: [],
            now: at("2026-11-26 08:30"),
            days: .workdays
        )
        #expect(first.digests.first?.newLines.map(\.occurrence.period) == ["2026-11"])
    }
}
