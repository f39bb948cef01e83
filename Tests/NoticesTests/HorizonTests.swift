import Diagnostics
import Foundation
import Notices
import PlanFormat
import Scheduling
import Testing
import Vocabulary
import WorkCalendar

private func at(_ s: String) -> LocalTime { LocalTime(parsing: s)! }

/// `overdue-horizon` (issue 15, items 1 and 5): past it, an occurrence is
/// mailed about no more, in no form (no repeat, no escalation, no backlog or
/// digest line), and a plan with nothing left before it is retired, so a tick
/// years after a plan's year costs nothing for it.
@Suite struct HorizonTests {
    static let calendar = WorkdayCalendar.standard(covering: 2024...2027)
    let policy = NoticePolicy(calendar: calendar, overdueHorizonDays: 90)
    let parser = PlanParser(officialYears: [2024, 2025, 2026])

    func plan(year: Int, _ items: String) throws -> NoticePolicy.PlanOccurrences {
        let text = """
            id: nursing-\(year)
            owner: 护理党支部
            year: \(year)
            contacts:
              secretary: 王五 <wangwu@hospital.example>
              office: 党委办公室 <dangban@hospital.example>
            defaults:
              remind: [7d]
              notify: [secretary]
              escalate: {after: 3wd, to: [office]}
            items:

            """ + items
        let r = parser.parse(Array(text.utf8), file: "p.yaml")
        let p = try #require(r.plan, "\(r.diagnostics.map { $0.rendered(in: .en) })")
        return .init(plan: p, occurrences: ScheduleExpander(calendar: Self.calendar).occurrences(of: p))
    }

    let monthly = "  - id: committee\n    title: 支部委员会会议\n    every: month\n    due: 25\n"

    /// A first start on 2026-11-18 with a 2025 plan in the folder: the old
    /// backlog listed its 46 items while the daily digest left them out.
    @Test func aBacklogLeavesOutWhatIsPastTheHorizon() throws {
        let old = try plan(year: 2025, monthly)
        let current = try plan(year: 2026, monthly.replacingOccurrences(of: "committee", with: "group"))
        var policy = policy
        policy.trackingStart = at("2026-11-18 09:00")
        let decision = policy.decide(
            plans: [old, current],
            completions: [:],
            marks: NoticeMarks(),
            now: at("2026-11-18 09:00")
        )
        let listed = decision.backlog.flatMap(\.lines).map(\.occurrence.planID)
        #expect(!listed.isEmpty)
        #expect(!listed.contains("nursing-2025"))
        #expect(!decision.send.contains { $0.occurrence.planID == "nursing-2025" })
        #expect(!decision.marks.contains { $0.occurrence.plan == "nursing-2025" })
        let digests = policy.overdueDigests(
            plans: [old, current],
            completions: [:],
            handled: [],
            now: at("2026-11-18 09:00"),
            days: .workdays
        )
        #expect(!digests.digests.flatMap(\.lines).contains { $0.occurrence.planID == "nursing-2025" })
    }

    @Test func onTheHorizonDayItStillCounts() throws {
        let old = try plan(year: 2025, monthly)
        // 2025-12-31 + 90 days = 2026-03-31.
        var policy = policy
        policy.trackingStart = at("2026-03-31 09:00")
        let last = policy.decide(plans: [old], completions: [:], marks: NoticeMarks(), now: at("2026-03-31 09:00"))
        #expect(!last.backlog.isEmpty)
        let after = policy.decide(plans: [old], completions: [:], marks: NoticeMarks(), now: at("2026-04-01 09:00"))
        #expect(after.backlog.isEmpty && after.send.isEmpty && after.marks.isEmpty)
    }

    @Test func aPlanIsRetiredOnceEverythingInItIsPastTheHorizon() throws {
        let old = try plan(year: 2025, monthly)
        #expect(!policy.isRetired(old, today: CivilDate(iso: "2026-03-31")!))
        #expect(policy.isRetired(old, today: CivilDate(iso: "2026-04-01")!))
        #expect(policy.isRetired(old, today: CivilDate(iso: "2029-01-01")!))
    }

    /// A `date:` written into the next year keeps its plan alive and gets its
    /// notices, until its own deadline's horizon.
    @Test func aDeadlineAfterThePlansYearKeepsItsNotices() throws {
        let late = try plan(year: 2025, "  - id: review\n    title: 述职评议\n    date: 2026-06-30\n")
        #expect(!policy.isRetired(late, today: CivilDate(iso: "2026-06-01")!))
        let decision = policy.decide(plans: [late], completions: [:], marks: NoticeMarks(), now: at("2026-06-30 08:30"))
        #expect(decision.send.map(\.kind) == [.due])
        #expect(policy.isRetired(late, today: CivilDate(iso: "2026-09-29")!))
    }

    /// A typo's year (`date: 2206-12-18` in a 2026 plan) is decided in
    /// constant time: one reminder, one due notice, far ahead.
    @Test func aTyposYearIsNotWalkedTo() throws {
        let typo = try plan(year: 2026, "  - id: review\n    title: 述职评议\n    date: 2206-12-18\n")
        let decision = policy.decide(plans: [typo], completions: [:], marks: NoticeMarks(), now: at("2028-03-01 09:00"))
        #expect(decision.send.isEmpty && decision.backlog.isEmpty)
        #expect(decision.next?.date == CivilDate(iso: "2206-12-11"))
        #expect(policy.workdaysLeft(due: CivilDate(iso: "2206-12-18")!, today: CivilDate(iso: "2028-03-01")!) > 45_000)
    }
}
