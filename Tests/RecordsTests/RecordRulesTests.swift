import Records
import Testing
import WorkCalendar

@testable import Scheduling

@Suite struct RecordRulesTests {
    static func date(_ text: String) -> CivilDate { CivilDate(iso: text)! }

    let today = date("2026-11-20")

    /// 支部委员会会议 of November 2026, due 11-25.
    let monthly = Occurrence(
        planID: "surgery-2-2026",
        itemID: "branch-committee",
        title: "支部委员会会议",
        owner: "外科第二党支部",
        period: "2026-11",
        periodStart: date("2026-11-01"),
        periodEnd: date("2026-11-30"),
        due: date("2026-11-25"),
        nominalDue: date("2026-11-25"),
        reminders: [],
        requiredCount: nil
    )

    /// 红色教育 2–3 times in 2026.
    let times = Occurrence(
        planID: "surgery-2-2026",
        itemID: "red-education",
        title: "红色教育",
        owner: "外科第二党支部",
        period: "2026",
        periodStart: date("2026-01-01"),
        periodEnd: date("2026-12-31"),
        due: date("2026-12-31"),
        nominalDue: date("2026-12-31"),
        reminders: [],
        requiredCount: 2...3
    )

    func record(
        _ id: Int64,
        _ done: String,
        by: String? = "王五",
        address: String? = nil,
        source: RecordSource = .mail
    )
        -> ExistingRecord
    {
        ExistingRecord(id: id, doneOn: Self.date(done), by: by, byAddress: address, source: source, recordedAt: 0)
    }

    @Test func acceptsADateInsideTheWindow() {
        for done in ["2026-11-01", "2026-11-19", "2026-11-20"] {
            let request = RecordRequest(doneOn: Self.date(done), source: .mail)
            #expect(RecordRules.check(request, of: monthly, existing: [], today: today) == .accept(overridden: []))
        }
    }

    @Test func refusesADateBeforeThePeriodOrInTheFuture() {
        let early = RecordRules.check(
            RecordRequest(doneOn: Self.date("2026-10-31"), source: .mail),
            of: monthly,
            existing: [],
            today: today
        )
        #expect(
            early
                == .refuse(
                    .beforePeriod(
                        doneOn: Self.date("2026-10-31"),
                        period: "2026-11",
                        periodStart: Self.date("2026-11-01")
                    )
                )
        )
        let future = RecordRules.check(
            RecordRequest(doneOn: Self.date("2026-11-21"), source: .web),
            of: monthly,
            existing: [],
            today: today
        )
        #expect(future == .refuse(.inFuture(doneOn: Self.date("2026-11-21"), today: today)))
        // A one-off (the year is its period): before the plan year.
        let yearly = RecordRules.check(
            RecordRequest(doneOn: Self.date("2025-12-30"), source: .mail),
            of: times,
            existing: [],
            today: today
        )
        guard case .refuse(let refusal) = yearly else {
            Issue.record("accepted")
            return
        }
        #expect(refusal.zh.contains("早于计划年度 2026"))
        #expect(refusal.en.contains("before the plan year 2026"))
    }

    @Test func onlyTheCommandLineMayForceADate() {
        let request = RecordRequest(doneOn: Self.date("2026-10-30"), source: .cli)
        let forced = RecordRules.check(request, of: monthly, existing: [], today: today, force: true)
        guard case .accept(let overridden) = forced else {
            Issue.record("not accepted")
            return
        }
        #expect(overridden.map(\.code) == ["before-period"])
        let mail = RecordRequest(doneOn: Self.date("2026-10-30"), source: .mail)
        #expect(
            RecordRules.check(mail, of: monthly, existing: [], today: today, force: true) != .accept(overridden: [])
        )
        // Force never records a duplicate.
        let duplicate = RecordRules.check(
            RecordRequest(doneOn: today, source: .cli),
            of: monthly,
            existing: [record(1, "2026-11-20")],
            today: today,
            force: true
        )
        #expect(duplicate == .refuse(.alreadyRecorded(doneOn: today, by: "王五")))
    }

    @Test func aSecondRecordSaysWhoAndWhenAndToUndoFirst() {
        let verdict = RecordRules.check(
            RecordRequest(doneOn: today, source: .mail),
            of: monthly,
            existing: [record(4, "2026-11-20")],
            today: today
        )
        guard case .refuse(let refusal) = verdict else {
            Issue.record("accepted twice")
            return
        }
        #expect(refusal.en == "already recorded on 11-20 by 王五; undo first")
        #expect(refusal.zh == "该事项本周期已于 11-20 由王五登记完成；如需更改，请先撤销")
        #expect(!refusal.canBeForced)
    }

    @Test func timesItemsAcceptUpToTheirMost() {
        var existing: [ExistingRecord] = []
        for n in 1...3 {
            let verdict = RecordRules.check(
                RecordRequest(doneOn: today, source: .mail),
                of: times,
                existing: existing,
                today: today
            )
            #expect(verdict == .accept(overridden: []), "record \(n)")
            existing.append(record(Int64(n), "2026-0\(n + 3)-01"))
        }
        let fourth = RecordRules.check(
            RecordRequest(doneOn: today, source: .mail),
            of: times,
            existing: existing,
            today: today
        )
        #expect(fourth == .refuse(.countReached(count: 3, maximum: 3)))
    }

    @Test func undoTakesBackOnlyWhatThePersonMayTakeBack() {
        let byMail = record(1, "2026-11-19", address: "wangwu@hospital.example", source: .mail)
        let byAdmin = record(2, "2026-11-20", by: "root", source: .cli)
        let byWeb = record(3, "2026-11-20", address: "WangWu@Hospital.Example", source: .web)
        // The admin: the latest, whoever made it.
        #expect(RecordRules.recordToUndo(by: .admin, among: [byMail, byAdmin]) == .success(byAdmin))
        // By mail: the latest this address made by mail, case-insensitively.
        #expect(
            RecordRules.recordToUndo(
                by: .person(address: "WANGWU@hospital.example", source: .mail),
                among: [byMail, byAdmin, byWeb]
            ) == .success(byMail)
        )
        // On the web: mail or web records of that address.
        #expect(
            RecordRules.recordToUndo(
                by: .person(address: "wangwu@hospital.example", source: .web),
                among: [byMail, byAdmin, byWeb]
            ) == .success(byWeb)
        )
        // Someone else's record, or the admin's, is not theirs.
        #expect(
            RecordRules.recordToUndo(
                by: .person(address: "lisi@hospital.example", source: .mail),
                among: [byMail]
            ) == .failure(.notTheirs(by: "王五", source: .mail))
        )
        #expect(
            RecordRules.recordToUndo(
                by: .person(address: "wangwu@hospital.example", source: .mail),
                among: [byAdmin]
            ) == .failure(.notTheirs(by: "root", source: .cli))
        )
        #expect(RecordRules.recordToUndo(by: .admin, among: []) == .failure(.nothingRecorded))
    }

    @Test func timingCountsWorkingDaysAfterTheDeadline() {
        let calendar = WorkdayCalendar.standard(covering: 2026...2026)
        #expect(
            RecordTiming(doneOn: Self.date("2026-11-25"), due: Self.date("2026-11-25"), calendar: calendar) == .onTime
        )
        #expect(
            RecordTiming(doneOn: Self.date("2026-11-20"), due: Self.date("2026-11-25"), calendar: calendar) == .onTime
        )
        // 11-25 is a Wednesday: Thursday, Friday and Monday are three working days.
        #expect(
            RecordTiming(doneOn: Self.date("2026-11-30"), due: Self.date("2026-11-25"), calendar: calendar)
                == .late(workdays: 3)
        )
        // Across the National Day break (10-01..10-07 off, 10-10 a make-up working day).
        #expect(
            RecordTiming(doneOn: Self.date("2026-10-08"), due: Self.date("2026-09-30"), calendar: calendar)
                == .late(workdays: 1)
        )
        #expect(RecordTiming.late(workdays: 1).en == "1 working day late")
        #expect(RecordTiming.late(workdays: 3).zh == "逾期 3 个工作日完成")
    }
}
