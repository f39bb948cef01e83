import Foundation
import PlanFormat
import Reports
import Scheduling
import Testing
import Vocabulary
import WorkCalendar

@Suite struct StatusTests {
    let fx: Fixture
    init() throws { fx = try Fixture.load() }

    func status(_ key: String, on today: String) throws -> OccurrenceStatus {
        let evaluator = StatusEvaluator(calendar: fx.calendar, today: day(today), completions: fx.completions)
        let o = try #require(fx.occurrences.first { $0.key.description == key })
        return evaluator.status(of: o)
    }

    @Test func eachStateOnTheFixture() throws {
        // Done on the due date: on time.
        #expect(
            try status("fx-surgery-2026/assembly/2026-Q4", on: "2027-01-05").state == .doneOnTime(on: day("2026-12-31"))
        )
        #expect(
            try status("fx-surgery-2026/committee/2026-11", on: "2027-01-05").state
                == .doneLate(on: day("2026-11-30"), workdaysLate: 3)
        )
        #expect(try status("fx-surgery-2026/committee/2026-12", on: "2027-01-05").state == .overdue(workdaysLate: 6))
        // 11-26 → 11-27: one working day left; 11-27 itself: due today.
        #expect(try status("fx-surgery-2026/review/2026", on: "2026-11-26").state == .dueSoon(workdaysLeft: 1))
        #expect(try status("fx-surgery-2026/committee/2026-12", on: "2026-12-25").state == .dueSoon(workdaysLeft: 0))
        // 12-18 → 12-25 is 5 working days: due soon; 12-17 is 6: upcoming.
        #expect(try status("fx-surgery-2026/committee/2026-12", on: "2026-12-18").state == .dueSoon(workdaysLeft: 5))
        #expect(try status("fx-surgery-2026/committee/2026-12", on: "2026-12-17").state == .upcoming)
        // The day after a Friday deadline, a Saturday: overdue by 0 working days.
        #expect(try status("fx-surgery-2026/committee/2026-12", on: "2026-12-26").state == .overdue(workdaysLate: 0))
        // The record of 2027-01-08 counts from that day on: late by 12-28..12-31
        // (4) and 01-04..01-08 (5; 01-01 is 元旦) = 9 working days.
        #expect(
            try status("fx-surgery-2026/committee/2026-12", on: "2027-01-08").state
                == .doneLate(on: day("2027-01-08"), workdaysLate: 9)
        )
        #expect(try status("fx-surgery-2026/committee/2026-12", on: "2027-01-07").state == .overdue(workdaysLate: 8))
    }

    @Test func timesItemIsDoneOnlyAtItsMinimumAndOnTimeByTheMinimumthRecord() throws {
        let o = try #require(fx.occurrences.first { $0.key.description == "fx-surgery-2026/red-education/2026" })
        func state(_ dates: [String], today: String = "2027-01-05") -> OccurrenceStatus {
            let records = dates.map { Completion(plan: o.planID, item: o.itemID, period: o.period, doneOn: day($0)) }
            return StatusEvaluator(calendar: fx.calendar, today: day(today), completions: records).status(of: o)
        }
        #expect(state(["2026-06-10"]).state == .overdue(workdaysLate: 2))
        #expect(state(["2026-06-10"]).progress == "1/2")
        // Recorded out of order: the 2nd by date decides.
        #expect(state(["2026-12-30", "2026-06-10"]).state == .doneOnTime(on: day("2026-12-30")))
        #expect(state(["2027-01-04", "2026-06-10", "2026-12-01"]).state == .doneOnTime(on: day("2026-12-01")))
        #expect(state(["2026-06-10", "2027-01-04"]).state == .doneLate(on: day("2027-01-04"), workdaysLate: 1))
        #expect(state(["2026-06-10", "2026-07-01", "2026-08-01"]).progress == "3/2")
    }

    @Test func statusBoardTextIsAlignedAndPlainWhenNotColoured() throws {
        let board = StatusBoard(
            plans: fx.plans,
            expander: fx.expander,
            completions: fx.completions,
            today: day("2026-11-26")
        )
        let text = board.text(language: .zh, colour: false)
        #expect(!text.contains("\u{1B}["))
        #expect(text.hasPrefix("截至 2026-11-26（周四）\n"))
        #expect(text.contains("外科第二党支部 · 外科第二党支部 2026 年党建工作计划（fx-surgery-2026）"))
        // Every row of the plan's table starts its state column at the same
        // display column (CJK counted as two), header included.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let surgery = Array(
            lines.drop { !$0.contains("fx-surgery-2026") }.dropFirst().prefix {
                $0.hasPrefix("  2") || $0.hasPrefix("  到期日")
            }
        )
        // Header, 12 committee meetings, 4 assemblies, 1 红色教育, 1 述职评议.
        #expect(surgery.count == 1 + 12 + 4 + 1 + 1)
        let markers = ["状态", "按时完成", "逾期完成", "逾期", "即将到期", "今天到期", "未到期"]
        var stateColumns: Set<Int> = []
        for line in surgery {
            let hit = try #require(
                markers.compactMap { line.range(of: $0) }.min { $0.lowerBound < $1.lowerBound },
                "no state in \(line)"
            )
            stateColumns.insert(DisplayWidthProbe.width(String(line[..<hit.lowerBound])))
        }
        #expect(stateColumns.count == 1, "\(stateColumns)")
        #expect(text.contains("逾期 1 个工作日"))
        #expect(text.contains("即将到期（还有 1 个工作日）"))
        #expect(text.contains("按时完成 ") && text.contains("逾期未完成 1"))
        let coloured = board.text(language: .en, colour: true)
        #expect(coloured.contains("\u{1B}[1;31moverdue 1 working day"))
    }

    @Test func statusJSONCarriesStateAndDays() throws {
        let board = StatusBoard(
            plans: fx.plans.filter { $0.id == "fx-surgery-2026" },
            expander: fx.expander,
            completions: fx.completions,
            today: day("2027-01-05")
        )
        let json = board.json()
        #expect(
            json.contains(
                "\"item\": \"committee\", \"title\": \"支部委员会会议\", \"owner\": \"外科第二党支部\", \"period\": \"2026-12\", \"due\": \"2026-12-25\", \"state\": \"overdue\", \"done_on\": null, \"workdays_late\": 6, \"records\": {\"mail\": 0, \"web\": 0, \"cli\": 0, \"evidence\": 0}}"
            )
        )
        #expect(
            json.contains(
                "\"period\": \"2026\", \"due\": \"2026-12-31\", \"state\": \"overdue\", \"done_on\": null, \"workdays_late\": 2, \"count\": 1, \"required\": 2, \"min\": 2, \"max\": 3, \"records\": {\"mail\": 0, \"web\": 0, \"cli\": 1, \"evidence\": 0}}"
            )
        )
        #expect(json.contains("\"counts\": {\"done\": "))
    }

    /// The agenda looks 14 days ahead and 30 days back. On 2026-11-20 nothing
    /// due 10-21..11-19 is open (every October occurrence has a record), so it
    /// lists no overdue item; the 53 older debts (the fixture records only Q4,
    /// so January–September stand open: 外科 9 committee + 3 assembly, 内科 8
    /// committee (September's was done late) + 3 assembly + 3 党课, 护理 9,
    /// 医技 9 + 9 党小组会) are only counted.
    @Test func agendaListsTheWindowByDateAndOnlyRecentOverdue() throws {
        let agenda = Agenda(
            occurrences: fx.occurrences,
            completions: fx.completions,
            calendar: fx.calendar,
            today: day("2026-11-20"),
            days: 14
        )
        #expect(agenda.last == day("2026-12-03"))
        #expect(
            agenda.entries.map { "\($0.occurrence.due) \($0.occurrence.owner)" } == [
                "2026-11-25 内科第一党支部", "2026-11-25 医技党支部", "2026-11-25 外科第二党支部", "2026-11-25 护理党支部",
                "2026-11-27 医技党支部", "2026-11-27 外科第二党支部",
            ]
        )
        // Only 医技's November committee (recorded 11-20) is done by 11-20.
        #expect(agenda.entries.filter(\.isDone).map(\.occurrence.owner) == ["医技党支部"])
        #expect(agenda.overdue.isEmpty)
        #expect(agenda.olderOverdue == 53)
        let text = agenda.text(language: .zh, colour: false, calendar: fx.calendar)
        #expect(text.hasPrefix("未来 14 天到期的工作（2026-11-20 至 2026-12-03）\n"))
        // The date is written once per day.
        #expect(text.components(separatedBy: "11-25").count == 2)
        #expect(text.contains("\n\n更早逾期未完成的还有 53 项"))
        #expect(!text.contains("\u{1B}["))

        // On 2027-01-05 (no 2027 plans), 外科's December committee (its record is
        // dated 01-08) and its half-met 红色教育 are the recent debts.
        let later = Agenda(
            occurrences: fx.occurrences,
            completions: fx.completions,
            calendar: fx.calendar,
            today: day("2027-01-05"),
            days: 7
        )
        #expect(later.entries.isEmpty)
        #expect(
            later.overdue.map(\.occurrence.key.description) == [
                "fx-surgery-2026/committee/2026-12", "fx-surgery-2026/red-education/2026",
            ]
        )
        #expect(later.olderOverdue == 53)
        let en = later.text(language: .en, colour: false, calendar: fx.calendar)
        #expect(en.contains("(nothing due)"))
        #expect(en.contains("Overdue in the last 30 days (2):"))
        #expect(en.contains("overdue 6 working days"))
        #expect(en.contains("1/2"))

        // A longer look-back lists them all.
        let all = Agenda(
            occurrences: fx.occurrences,
            completions: fx.completions,
            calendar: fx.calendar,
            today: day("2027-01-05"),
            days: 7,
            overdueDays: 400
        )
        #expect(all.overdue.count == 55 && all.olderOverdue == 0)
    }

    @Test func agendaJSONNamesTheWindow() throws {
        let agenda = Agenda(
            occurrences: fx.occurrences,
            completions: fx.completions,
            calendar: fx.calendar,
            today: day("2027-01-05"),
            days: 7
        )
        let object = try #require(try JSONSerialization.jsonObject(with: Data(agenda.json().utf8)) as? [String: Any])
        #expect(object["today"] as? String == "2027-01-05")
        #expect(object["through"] as? String == "2027-01-11")
        #expect(object["overdue_since"] as? String == "2026-12-06")
        #expect(object["older_overdue"] as? Int == 53)
        let overdue = try #require(object["overdue"] as? [[String: Any]])
        #expect(overdue.map { $0["due"] as? String } == ["2026-12-25", "2026-12-31"])
        #expect(overdue.first?["workdays_late"] as? Int == 6)
    }
}

/// Display width as a terminal shows it (CJK = 2), for alignment checks.
enum DisplayWidthProbe {
    static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) {
            $0 + (($1.value >= 0x2E80 && $1.value <= 0x9FFF) || ($1.value >= 0xFF00 && $1.value <= 0xFF60) ? 2 : 1)
        }
    }
}
