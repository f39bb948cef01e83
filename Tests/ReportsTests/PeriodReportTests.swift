import Reports
import Scheduling
import Testing
import WorkCalendar

/// The report fixture's figures, computed by hand from
/// `Fixtures/q4-2026/plans/*.yaml` and `Fixtures/q4-2026/records.tsv`.
///
/// Q4 2026 due dates: 支部委员会会议 (due 25) 10-23 (10-25 is a Sunday), 11-25, 12-25;
/// 医技 党小组会 (last-fri) 10-30, 11-27, 12-25; 支部党员大会 (last-workday) 12-31;
/// 内科 党课 (quarter, 15) 12-15; 红色教育 (times) 12-31; 外科 述职评议 (date 11-28, Sat) 11-27.
@Suite struct PeriodReportTests {
    let fx: Fixture
    init() throws { fx = try Fixture.load() }

    /// As of 2027-01-05 (after the quarter; the report's send day is 2027-01-04).
    ///
    /// | owner | due | done | on time | late | overdue | completion | on time |
    /// |---|---|---|---|---|---|---|---|
    /// | 外科第二党支部 | 6 | 4 | 3 (10-22, Q4 assembly 12-31 = due, review 11-27) | 1 (11-30) | 2 (Dec committee; 红色教育 1/2) | 66.7% | 50.0% |
    /// | 内科第一党支部 | 6 | 6 | 5 | 1 (12-28) | 0 | 100.0% | 83.3% |
    /// | 护理党支部 | 3 | 3 | 2 | 1 (12-29) | 0 | 100.0% | 66.7% |
    /// | 医技党支部 | 6 | 6 | 4 | 2 (10-26, 12-01) | 0 | 100.0% | 66.7% |
    /// | total | 21 | 19 | 14 | 5 | 2 | 90.5% | 66.7% |
    ///
    /// Ranking by on-time rate then completion: 内科 1; 医技 and 护理 tie at 4/6 = 2/3 and
    /// 100% → 2, 2; 外科 4.
    @Test func quarterFiguresMatchTheHandComputedTable() throws {
        let r = try fx.report("2026-Q4", asOf: "2027-01-05")
        #expect(r.isRanked)
        #expect(r.owner("外科第二党支部")?.figures == figures("6/4/3/1/2/0/6"))
        #expect(r.owner("内科第一党支部")?.figures == figures("6/6/5/1/0/0/6"))
        #expect(r.owner("护理党支部")?.figures == figures("3/3/2/1/0/0/3"))
        #expect(r.owner("医技党支部")?.figures == figures("6/6/4/2/0/0/6"))
        #expect(r.totals == figures("21/19/14/5/2/0/21"))

        #expect(r.owners.map(\.owner) == ["内科第一党支部", "医技党支部", "护理党支部", "外科第二党支部"])
        #expect(r.owners.map(\.rank) == [1, 2, 2, 4])

        let surgery = try #require(r.owner("外科第二党支部"))
        #expect(abs(try #require(surgery.figures.completionRate) - 4.0 / 6) < 1e-12)
        #expect(abs(try #require(surgery.figures.onTimeRate) - 0.5) < 1e-12)
        #expect(abs(try #require(r.totals.completionRate) - 19.0 / 21) < 1e-12)
        #expect(abs(try #require(r.totals.onTimeRate) - 14.0 / 21) < 1e-12)
    }

    @Test func missingListsTheOverdueWithWorkingDaysAndTheHalfMetTimesItem() throws {
        let r = try fx.report("2026-Q4", asOf: "2027-01-05")
        let missing = try #require(r.owner("外科第二党支部")).missing
        #expect(
            missing.map(\.occurrence.key.description) == [
                "fx-surgery-2026/committee/2026-12", "fx-surgery-2026/red-education/2026",
            ]
        )
        // 12-25 → 2027-01-05: 12-28..12-31 (4), 01-01 off (元旦), 01-04, 01-05.
        #expect(missing[0].state == .overdue(workdaysLate: 6))
        // The record dated 2027-01-08 is after the report day: not counted.
        #expect(missing[0].count == 0)
        #expect(missing[1].state == .overdue(workdaysLate: 2))
        #expect(missing[1].progress == "1/2")
        for other in ["内科第一党支部", "护理党支部", "医技党支部"] {
            #expect(r.owner(other)?.missing.isEmpty == true)
        }
        let late = r.owners.flatMap(\.late).map { "\($0.occurrence.key) \($0.state)" }
        #expect(
            Set(late) == [
                "fx-surgery-2026/committee/2026-11 doneLate(on: 2026-11-30, workdaysLate: 3)",
                "fx-medicine-2026/committee/2026-12 doneLate(on: 2026-12-28, workdaysLate: 1)",
                "fx-nursing-2026/committee/2026-12 doneLate(on: 2026-12-29, workdaysLate: 2)",
                "fx-medtech-2026/committee/2026-10 doneLate(on: 2026-10-26, workdaysLate: 1)",
                "fx-medtech-2026/party-group/2026-11 doneLate(on: 2026-12-01, workdaysLate: 2)",
            ]
        )
    }

    /// A later report day counts the record of 2027-01-08: 外科's December
    /// committee becomes done late, and 外科 stays fourth.
    @Test func aLaterReportDayCountsLaterRecords() throws {
        let r = try fx.report("2026-Q4", asOf: "2027-01-10")
        #expect(r.owner("外科第二党支部")?.figures == figures("6/5/3/2/1/0/6"))
        #expect(r.owner("外科第二党支部")?.rank == 4)
    }

    /// November 2026 (月督导), as of 2027-01-05: no ranking.
    /// 外科: committee 11-30 late, review 11-27 on time; 内科 11-25 on time;
    /// 护理 11-24 on time; 医技: committee 11-20 on time, 党小组会 12-01 late.
    @Test func monthReportHasNoRanking() throws {
        let r = try fx.report("2026-11", asOf: "2027-01-05")
        #expect(!r.isRanked)
        #expect(r.owners.allSatisfy { $0.rank == nil })
        #expect(r.owners.map(\.owner) == ["内科第一党支部", "医技党支部", "外科第二党支部", "护理党支部"])  // by name
        #expect(r.owner("外科第二党支部")?.figures == figures("2/2/1/1/0/0/2"))
        #expect(r.owner("内科第一党支部")?.figures == figures("1/1/1/0/0/0/1"))
        #expect(r.owner("护理党支部")?.figures == figures("1/1/1/0/0/0/1"))
        #expect(r.owner("医技党支部")?.figures == figures("2/2/1/1/0/0/2"))
        #expect(r.totals == figures("6/6/4/2/0/0/6"))
    }

    /// Mid-quarter, as of 2026-11-26: records dated later are ignored; the rates
    /// count only what can be judged (due by then, or already done).
    ///
    /// 外科: 10-22 on time; 11-25 committee overdue (record 11-30 is later); review
    ///   (11-27), Dec committee, assembly, 红色教育 (1/2) pending → 6/1/1/0/1/4, assessed 2.
    /// 内科: Oct, Nov on time; 红色教育 H2 done 09-18 ahead of its 12-31 due date →
    ///   assessed 3 = done 3 = on time 3; Dec committee, assembly, lecture pending.
    /// 护理: Oct (first record 10-23), Nov on time; Dec pending → 3/2/2/0/0/1, assessed 2.
    /// 医技: Oct committee late (10-26), Oct 党小组会 on time, Nov committee on time; Nov
    ///   党小组会 (11-27) and both December ones pending → 6/3/2/1/0/3, assessed 3.
    /// Ranking: 内科 and 护理 100%/100% → 1, 1; 医技 66.7% → 3; 外科 50% → 4.
    @Test func midQuarterReportJudgesOnlyWhatIsDueOrDone() throws {
        let r = try fx.report("2026-Q4", asOf: "2026-11-26")
        #expect(r.owner("外科第二党支部")?.figures == figures("6/1/1/0/1/4/2"))
        #expect(r.owner("内科第一党支部")?.figures == figures("6/3/3/0/0/3/3"))
        #expect(r.owner("护理党支部")?.figures == figures("3/2/2/0/0/1/2"))
        #expect(r.owner("医技党支部")?.figures == figures("6/3/2/1/0/3/3"))
        #expect(r.totals == figures("21/9/8/1/1/11/10"))
        #expect(r.owners.map(\.owner) == ["内科第一党支部", "护理党支部", "医技党支部", "外科第二党支部"])
        #expect(r.owners.map(\.rank) == [1, 1, 3, 4])
        let surgery = try #require(r.owner("外科第二党支部"))
        #expect(surgery.missing.map(\.occurrence.key.description) == ["fx-surgery-2026/committee/2026-11"])
        #expect(surgery.missing.first?.state == .overdue(workdaysLate: 1))
        #expect(surgery.pending.count == 4)
    }

    /// Before anything in the period is due, an owner with nothing done has
    /// nothing to judge: no rate and no rank (listed last, by name).
    @Test func nothingAssessedMeansNoRateAndNoRank() throws {
        let r = try fx.report("2026-Q4", asOf: "2026-10-01")
        #expect(r.owners.map(\.owner) == ["内科第一党支部", "医技党支部", "外科第二党支部", "护理党支部"])
        #expect(r.owners.map(\.rank) == [1, nil, nil, nil])
        #expect(r.owner("外科第二党支部")?.figures.completionRate == nil)
        #expect(r.owner("外科第二党支部")?.figures == figures("6/0/0/0/0/6/0"))
        // 内科's 红色教育 H2 was done on 09-18: it can be judged already.
        #expect(r.owner("内科第一党支部")?.rank == 1)
        #expect(r.owner("内科第一党支部")?.figures.onTimeRate == 1)
    }

    @Test func ranksAreSharedAndSkip() {
        func owner(_ name: String, _ f: String) -> PeriodReport.OwnerSummary {
            PeriodReport.OwnerSummary(owner: name, plans: [], figures: figures(f), rank: nil, statuses: [])
        }
        // Same on-time rate (1/2), different completion: completion decides.
        let a = owner("甲", "4/2/2/0/2/0/4")
        let b = owner("乙", "4/4/2/2/0/0/4")
        let c = owner("丙", "2/1/1/0/1/0/2")  // ties with 甲
        let d = owner("丁", "1/1/1/0/0/0/1")
        let e = owner("戊", "1/0/0/0/0/1/0")  // nothing assessed
        let ranked = PeriodReport.ranked([a, b, c, d, e])
        #expect(ranked.map(\.owner) == ["丁", "乙", "甲", "丙", "戊"])
        #expect(ranked.map(\.rank) == [1, 2, 3, 3, nil])
    }

    @Test func yearReportCoversEveryOccurrenceDueInTheYear() throws {
        let r = try fx.report("2026", asOf: "2027-01-05")
        let expected = fx.occurrences.filter { $0.due.year == 2026 }.count
        #expect(r.totals.due == expected)
        #expect(r.totals.due == r.totals.done + r.totals.overdue + r.totals.pending)
        #expect(r.totals.done == r.totals.onTime + r.totals.late)
        #expect(r.totals.pending == 0)
        let h2 = try fx.report("2026-H2", asOf: "2027-01-05")
        let q3 = try fx.report("2026-Q3", asOf: "2027-01-05")
        let q4 = try fx.report("2026-Q4", asOf: "2027-01-05")
        #expect(h2.totals.due == q3.totals.due + q4.totals.due)
        #expect(h2.totals.onTime == q3.totals.onTime + q4.totals.onTime)
    }
}
