import Diagnostics
import Notices
import PlanFormat
import Scheduling
import Testing
import Vocabulary
import WorkCalendar

private func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }
private func at(_ s: String) -> LocalTime { LocalTime(parsing: s)! }

/// The supervisor's daily overdue digest: who gets it, what it lists, when.
@Suite struct OverdueDigestTests {
    static let calendar = WorkdayCalendar.standard(covering: 2025...2027)
    let policy = NoticePolicy(calendar: calendar)
    let parser = PlanParser(officialYears: [2024, 2025, 2026])

    func plan(
        id: String,
        owner: String,
        office: String = "党委办公室 <dangban@hospital.example>"
    ) throws -> NoticePolicy.PlanOccurrences {
        let text = """
            id: \(id)
            owner: \(owner)
            year: 2026
            contacts:
              secretary: 王五 <wangwu@hospital.example>
              office: [\(office)]
            defaults:
              notify: [secretary]
              escalate: {after: 3wd, to: [office]}
            items:
              - id: committee
                title: 支部委员会会议
                every: month
                due: 25
              - id: lecture
                title: 党课
                every: quarter
                due: last-workday
                escalate: {after: 5wd, to: [office, secretary]}

            """
        let r = parser.parse(Array(text.utf8), file: "\(id).yaml")
        let p = try #require(r.plan, "\(r.diagnostics.map { $0.rendered(in: .en) })")
        return .init(plan: p, occurrences: ScheduleExpander(calendar: Self.calendar).occurrences(of: p))
    }

    @Test func listsEveryOverdueOccurrenceOfTheSupervisedPlansInOneMailPerRecipient() throws {
        let plans = [try plan(id: "a-2026", owner: "一支部"), try plan(id: "b-2026", owner: "二支部")]
        // 2026-03-02 (Monday): committee Jan (due 01-23, a Friday, 25th is Sunday) and Feb
        // (due 02-25) are overdue in both plans; nothing else is.
        let result = policy.overdueDigests(
            plans: plans,
            completions: [:],
            handled: [],
            now: at("2026-03-02 09:00"),
            days: .workdays
        )
        #expect(result.digests.map(\.recipient.address) == ["dangban@hospital.example"])
        let digest = try #require(result.digests.first)
        #expect(
            digest.lines.map { "\($0.occurrence.planID) \($0.occurrence.period)" }
                == ["a-2026 2026-01", "b-2026 2026-01", "a-2026 2026-02", "b-2026 2026-02"]
        )
        // 02-25 → 03-02: 26, 27, 28 (a Saturday worked for 春节), 03-02 = 4 working
        // days late; escalated after 3wd (on 02-28).
        let feb = try #require(digest.lines.first { $0.occurrence.period == "2026-02" })
        #expect(feb.workdaysLate == 4)
        #expect(feb.escalated)
        #expect(digest.key == "digest/2026-03-02/dangban@hospital.example")
        #expect(result.next == at("2026-03-03 08:30"))
    }

    @Test func aDoneOccurrenceLeavesTheDigestAndNothingOverdueMeansNoMail() throws {
        let plans = [try plan(id: "a-2026", owner: "一支部")]
        let now = at("2026-02-24 09:00")  // only January's committee is overdue
        let before = policy.overdueDigests(plans: plans, completions: [:], handled: [], now: now, days: .workdays)
        #expect(before.digests.first?.lines.count == 1)
        let done: [OccurrenceKey: Int] = [OccurrenceKey(plan: "a-2026", item: "committee", period: "2026-01"): 1]
        let after = policy.overdueDigests(plans: plans, completions: done, handled: [], now: now, days: .workdays)
        #expect(after.digests.isEmpty)
    }

    @Test func eachRoleHolderGetsOnlyTheItemsEscalatedToThem() throws {
        let plans = [try plan(id: "a-2026", owner: "一支部")]
        // 2026-04-01: Q1 lecture (due 03-31) is overdue; it escalates to office and secretary.
        let result = policy.overdueDigests(
            plans: plans,
            completions: [:],
            handled: [],
            now: at("2026-04-01 09:00"),
            days: .workdays
        )
        let secretary = try #require(result.digests.first { $0.recipient.address == "wangwu@hospital.example" })
        #expect(secretary.lines.map(\.occurrence.itemID) == ["lecture"])
        #expect(secretary.roles == ["secretary"])
        let office = try #require(result.digests.first { $0.recipient.address == "dangban@hospital.example" })
        #expect(Set(office.lines.map(\.occurrence.itemID)) == ["committee", "lecture"])
    }

    @Test func anAddressReachedThroughTwoRolesListsEachOccurrenceOnce() throws {
        // The secretary is also the office here: the Q1 lecture escalates to both roles.
        let plans = [try plan(id: "a-2026", owner: "一支部", office: "王五 <wangwu@hospital.example>")]
        let result = policy.overdueDigests(
            plans: plans,
            completions: [:],
            handled: [],
            now: at("2026-04-01 09:00"),
            days: .workdays
        )
        #expect(result.digests.count == 1)
        let digest = try #require(result.digests.first)
        #expect(Set(digest.roles) == ["office", "secretary"])
        // committee 2026-01, -02, -03 and the Q1 lecture, each once.
        #expect(
            digest.lines.map { "\($0.occurrence.itemID) \($0.occurrence.period)" }
                == ["committee 2026-01", "committee 2026-02", "committee 2026-03", "lecture 2026-Q1"]
        )
    }

    @Test func aLimitKeepsTheOldestLinesAndCountsEveryOneOfThemPerBranch() throws {
        // 40 branches; on 2026-07-01 each has committee Jan–Jun and lecture Q1–Q2 overdue
        // (8 lines), the lecture also escalated to the secretaries.
        let plans = try (0..<40).map { try plan(id: "b\($0)-2026", owner: "支部\($0 < 10 ? "0" : "")\($0)") }
        let now = at("2026-07-01 09:00")
        let all = policy.overdueDigests(plans: plans, completions: [:], handled: [], now: now, days: .workdays)
        let cut = policy.overdueDigests(
            plans: plans,
            completions: [:],
            handled: [],
            now: now,
            days: .workdays,
            limit: 25
        )
        #expect(all.digests.map(\.recipient.address) == cut.digests.map(\.recipient.address))
        let office = try #require(all.digests.first { $0.recipient.address == "dangban@hospital.example" })
        let officeCut = try #require(cut.digests.first { $0.recipient.address == "dangban@hospital.example" })
        #expect(office.lines.count == 320 && !office.isTruncated)
        #expect(officeCut.total == 320 && officeCut.isTruncated)
        // The same first 25 lines as the full digest, in the same order.
        #expect(officeCut.lines == Array(office.lines.prefix(25)))
        #expect(officeCut.escalatedTotal == office.lines.filter(\.escalated).count)
        #expect(officeCut.branches.count == 40)
        #expect(officeCut.branches.allSatisfy { $0.overdue == 8 && $0.oldestDue == d("2026-01-23") })
        #expect(officeCut.branches.map(\.owner) == (0..<40).map { "支部\($0 < 10 ? "0" : "")\($0)" })
        #expect(officeCut.branches.map(\.escalated).reduce(0, +) == officeCut.escalatedTotal)
        // The secretary (the same address in every branch) supervises the lectures only:
        // 80, cut to 25 too; under a limit of 100 their digest is whole.
        let secretary = try #require(cut.digests.first { $0.recipient.address == "wangwu@hospital.example" })
        #expect(secretary.total == 80 && secretary.lines.count == 25)
        #expect(secretary.lines.allSatisfy { $0.occurrence.itemID == "lecture" })
        let roomy = policy.overdueDigests(
            plans: plans,
            completions: [:],
            handled: [],
            now: now,
            days: .workdays,
            limit: 100
        )
        let whole = try #require(roomy.digests.first { $0.recipient.address == "wangwu@hospital.example" })
        #expect(!whole.isTruncated && whole.lines.count == 80)
    }

    @Test func aCitysDigestListsEveryBranchOnceAndSkipsWhatWasSentToday() throws {
        // 300 branches under one office: one digest with every overdue occurrence once.
        let plans = try (0..<300).map { try plan(id: "b\($0)-2026", owner: "支部\($0)") }
        let result = policy.overdueDigests(
            plans: plans,
            completions: [:],
            handled: [],
            now: at("2026-03-02 09:00"),
            days: .workdays
        )
        let digest = try #require(result.digests.first)
        #expect(digest.lines.count == 600)
        #expect(Set(digest.lines.map(\.occurrence.key)).count == 600)
        #expect(digest.lines.first?.occurrence.period == "2026-01" && digest.lines.last?.occurrence.period == "2026-02")
        let again = policy.overdueDigests(
            plans: plans,
            completions: [:],
            handled: [digest.key],
            now: at("2026-03-02 10:00"),
            days: .workdays
        )
        #expect(again.digests.isEmpty)
    }

    @Test func goesOutAtSendAtOnWorkdaysOnceAndNeverMakesUpAMissedDay() throws {
        let plans = [try plan(id: "a-2026", owner: "一支部")]
        // Before send-at: nothing yet, wake at 08:30.
        let early = policy.overdueDigests(
            plans: plans,
            completions: [:],
            handled: [],
            now: at("2026-03-02 08:00"),
            days: .workdays
        )
        #expect(early.digests.isEmpty)
        #expect(early.next == at("2026-03-02 08:30"))
        // Sent once: with its key handled, the same day gives nothing.
        let first = policy.overdueDigests(
            plans: plans,
            completions: [:],
            handled: [],
            now: at("2026-03-02 08:30"),
            days: .workdays
        )
        let handled = Set(first.digests.map(\.key))
        #expect(handled.count == 1)
        let again = policy.overdueDigests(
            plans: plans,
            completions: [:],
            handled: handled,
            now: at("2026-03-02 17:00"),
            days: .workdays
        )
        #expect(again.digests.isEmpty)
        // Saturday 2026-03-07: no digest on workdays, wake Monday; daily sends.
        let saturday = policy.overdueDigests(
            plans: plans,
            completions: [:],
            handled: handled,
            now: at("2026-03-07 09:00"),
            days: .workdays
        )
        #expect(saturday.digests.isEmpty)
        #expect(saturday.next == at("2026-03-09 08:30"))
        let daily = policy.overdueDigests(
            plans: plans,
            completions: [:],
            handled: handled,
            now: at("2026-03-07 09:00"),
            days: .daily
        )
        #expect(daily.digests.first?.date == d("2026-03-07"))
        // A make-up working day (2026-02-14 is a Saturday worked for 春节) gets one.
        let makeUp = policy.overdueDigests(
            plans: plans,
            completions: [:],
            handled: [],
            now: at("2026-02-14 09:00"),
            days: .workdays
        )
        #expect(makeUp.digests.count == 1)
        // Off: nothing, and no wake-up either.
        let off = policy.overdueDigests(
            plans: plans,
            completions: [:],
            handled: [],
            now: at("2026-03-02 09:00"),
            days: .off
        )
        #expect(off.digests.isEmpty && off.next == nil)
    }

    @Test func stopsAfterTheOverdueHorizon() throws {
        let plans = [try plan(id: "a-2026", owner: "一支部")]
        // Horizon: 90 days after 2026-12-31 is 2027-03-31.
        let inside = policy.overdueDigests(
            plans: plans,
            completions: [:],
            handled: [],
            now: at("2027-03-31 09:00"),
            days: .workdays
        )
        #expect(!inside.digests.isEmpty)
        let outside = policy.overdueDigests(
            plans: plans,
            completions: [:],
            handled: [],
            now: at("2027-04-01 09:00"),
            days: .workdays
        )
        #expect(outside.digests.isEmpty)
    }
}
