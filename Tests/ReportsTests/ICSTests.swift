import Diagnostics
import Foundation
import PlanFormat
import Reports
import Scheduling
import Testing
import Vocabulary
import WorkCalendar

@Suite struct ICSTests {
    let fx: Fixture
    init() throws { fx = try Fixture.load() }

    /// Unfolds (RFC 5545 §3.1) into content lines, checking every physical
    /// line on the way: CRLF-terminated, at most 75 octets, valid UTF-8 alone.
    func contentLines(_ ics: String) -> [String] {
        let bytes = Array(ics.utf8)
        var physical: [[UInt8]] = []
        var current: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 13 && i + 1 < bytes.count && bytes[i + 1] == 10 {
                physical.append(current)
                current = []
                i += 2
            } else {
                #expect(bytes[i] != 10 && bytes[i] != 13, "bare CR or LF at byte \(i)")
                current.append(bytes[i])
                i += 1
            }
        }
        #expect(current.isEmpty, "the calendar must end in CRLF")
        var lines: [String] = []
        for p in physical {
            #expect(p.count <= 75, "a line of \(p.count) octets")
            let text = String(validating: p, as: UTF8.self)
            #expect(text != nil, "a fold split a UTF-8 character")
            if p.first == 32, !lines.isEmpty {
                lines[lines.count - 1] += String(decoding: p.dropFirst(), as: UTF8.self)
            } else {
                lines.append(String(decoding: p, as: UTF8.self))
            }
        }
        return lines
    }

    func event(_ lines: [String], uid: String) throws -> [String] {
        let start = try #require(lines.firstIndex(of: "UID:" + uid))
        let end = try #require(lines[start...].firstIndex(of: "END:VEVENT"))
        return Array(lines[start..<end])
    }

    @Test func oneEventPerOccurrenceWithStableUIDsAndAlarmsOnTheMailDays() throws {
        let surgery = try #require(fx.plans.first { $0.id == "fx-surgery-2026" })
        let occurrences = fx.expander.occurrences(of: surgery)
        let ics = ICSCalendar(name: "外科第二党支部 党建工作", stamp: 1_795_000_000).render(occurrences)
        let lines = contentLines(ics)
        #expect(lines.first == "BEGIN:VCALENDAR" && lines.last == "END:VCALENDAR")
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == occurrences.count)
        #expect(lines.filter { $0.hasPrefix("UID:") }.count == Set(lines.filter { $0.hasPrefix("UID:") }).count)
        #expect(lines.contains("DTSTAMP:20261118T110640Z"))

        // November: due Wed 11-25; 7d → Wed 11-18, 3wd → Fri 11-20; alarms at 08:30.
        // No configuration: the plain word.
        let nov = try event(lines, uid: "fx-surgery-2026/committee/2026-11@plankeeper")
        #expect(nov.contains("DTSTART;VALUE=DATE:20261125") && nov.contains("DTEND;VALUE=DATE:20261126"))
        #expect(
            nov.filter { $0.hasPrefix("TRIGGER") } == [
                "TRIGGER;RELATED=START:-P6DT15H30M", "TRIGGER;RELATED=START:-P4DT15H30M",
            ]
        )
        #expect(nov.contains("SUMMARY:外科第二党支部 · 支部委员会会议（2026-11）"))

        // February: due Wed 02-25 after the Spring Festival break (02-15..02-23 off,
        // Sat 02-14 a make-up working day). 7d → 02-18 is off → 02-14 (11 days);
        // 3wd → 02-24, 02-14, 02-13 → 02-13 (12 days).
        let feb = try event(lines, uid: "fx-surgery-2026/committee/2026-02@plankeeper")
        #expect(
            feb.filter { $0.hasPrefix("TRIGGER") } == [
                "TRIGGER;RELATED=START:-P11DT15H30M", "TRIGGER;RELATED=START:-P10DT15H30M",
            ]
        )

        // The `times` item says how many times are needed.
        let red = try event(lines, uid: "fx-surgery-2026/red-education/2026@plankeeper")
        #expect(red.contains { $0.hasPrefix("DESCRIPTION:") && $0.contains("要求次数：2–3 次（至少 2 次）") })
        #expect(red.contains("DTSTART;VALUE=DATE:20261231"))
    }

    /// Issue 15, item 8: after `done` the event stays, ✓ in its title, with
    /// the day it was done and no alarm; open events' alarms say how far
    /// ahead as a person says it; no description holds a shell command; the
    /// UIDs carry the configured mail domain.
    @Test func aDoneOccurrenceKeepsItsEventTickedOffWithoutAlarms() throws {
        let surgery = try #require(fx.plans.first { $0.id == "fx-surgery-2026" })
        let occurrences = fx.expander.occurrences(of: surgery)
        let november = try #require(occurrences.first { $0.itemID == "committee" && $0.period == "2026-11" })
        let october = try #require(occurrences.first { $0.itemID == "committee" && $0.period == "2026-10" })
        let ics = ICSCalendar(name: "x", stamp: 0, uidDomain: "hospital.example")
            .render(occurrences, done: [october.key: CivilDate(iso: "2026-10-20")!])
        let lines = contentLines(ics)
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == occurrences.count)
        #expect(lines.filter { $0.hasPrefix("UID:") }.allSatisfy { $0.hasSuffix("@hospital.example") })
        let done = try event(lines, uid: "fx-surgery-2026/committee/2026-10@hospital.example")
        #expect(done.contains("SUMMARY:✓ 外科第二党支部 · 支部委员会会议（2026-10）"))
        #expect(done.contains { $0.hasPrefix("DESCRIPTION:已完成：2026-10-20") })
        #expect(!done.contains("BEGIN:VALARM"))
        let open = try event(lines, uid: "fx-surgery-2026/committee/2026-11@hospital.example")
        #expect(open.contains("SUMMARY:外科第二党支部 · 支部委员会会议（2026-11）"))
        #expect(
            open.filter { $0.hasPrefix("DESCRIPTION:提前") }.sorted() == [
                "DESCRIPTION:提前 3 个工作日：外科第二党支部 · 支部委员会会议（2026-11），\(november.due) 到期",
                "DESCRIPTION:提前 7 天：外科第二党支部 · 支部委员会会议（2026-11），\(november.due) 到期",
            ]
        )
        #expect(open.filter { $0 == "BEGIN:VALARM" }.count == 2)
        #expect(!lines.contains { $0.contains("plankeeper done") || $0.contains("提醒（") })
    }

    @Test func alarmsSayHowFarAheadInEnglishToo() {
        let ics = ICSCalendar(name: "x", stamp: 0, language: .en)
        #expect(ics.ahead(Offset(3, .workdays)) == "3 working days ahead")
        #expect(ics.ahead(Offset(1, .workdays)) == "1 working day ahead")
        #expect(ics.ahead(Offset(7, .days)) == "7 days ahead")
        #expect(ICSCalendar(name: "x", stamp: 0).ahead(Offset(1, .days)) == "提前 1 天")
    }

    @Test func triggerDurations() {
        #expect(ICSCalendarProbe.trigger(daysBefore: 7, minute: 510) == "-P6DT15H30M")
        #expect(ICSCalendarProbe.trigger(daysBefore: 1, minute: 540) == "-PT15H")
        #expect(ICSCalendarProbe.trigger(daysBefore: 0, minute: 510) == "PT8H30M")
        #expect(ICSCalendarProbe.trigger(daysBefore: 0, minute: 0) == "PT0S")
        #expect(ICSCalendarProbe.trigger(daysBefore: 3, minute: 0) == "-P3D")
    }

    @Test func textIsEscapedAndLongChineseLinesFoldOnCharacterBoundaries() throws {
        #expect(ICSCalendar.escape("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf")
        let long = "SUMMARY:" + String(repeating: "党建工作计划提醒", count: 12)
        let folded = ICSCalendar.fold(long)
        #expect(folded.hasSuffix("\r\n"))
        let physical = String(decoding: folded.utf8.dropLast(2), as: UTF8.self).components(separatedBy: "\r\n")
        #expect(physical.count > 1)
        #expect(physical.allSatisfy { $0.utf8.count <= 75 })
        #expect(physical.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(physical.first.map { $0.utf8.count } == 74)  // 8 ASCII + 22 three-octet characters
        #expect(
            physical.enumerated().map { $0.offset == 0 ? $0.element : String($0.element.dropFirst()) }.joined() == long
        )

        let plan = """
            id: esc
            title: "计划, 甲; 乙"
            owner: 办公室
            year: 2026
            items:
              - id: x
                title: "学习; 讨论, 总结 \\\\ 反馈"
                date: 2026-06-10
                note: "第一行\\n第二行"
            """
        let catalog = PlanCatalog.load(
            [PlanSource(path: "esc.yaml", bytes: Array(plan.utf8))],
            parser: PlanParser(officialYears: [2026])
        )
        #expect(catalog.diagnostics.isEmpty, "\(catalog.diagnostics.map { $0.rendered(in: .en) })")
        let ics = ICSCalendar(name: "a,b", stamp: 0, language: .en)
            .render(
                catalog.plans.flatMap { fx.expander.occurrences(of: $0) },
                planTitles: ["esc": "计划, 甲; 乙"],
                notes: ["esc/x": "第一行\n第二行"]
            )
        let lines = contentLines(ics)
        #expect(lines.contains("X-WR-CALNAME:a\\,b"))
        #expect(lines.contains("SUMMARY:办公室 · 学习\\; 讨论\\, 总结 \\\\ 反馈 (2026)"))
        #expect(
            lines.contains {
                $0.hasPrefix("DESCRIPTION:Plan: 计划\\, 甲\\; 乙\\nOwner: 办公室") && $0.contains("Note: 第一行\\n第二行")
            }
        )
        #expect(lines.contains("DTSTAMP:19700101T000000Z"))
    }
}

enum ICSCalendarProbe {
    static func trigger(daysBefore: Int, minute: Int) -> String {
        ICSCalendar.trigger(daysBefore: daysBefore, minute: minute)
    }
}

@Suite struct PeriodAndScheduleTests {
    @Test func periodLabels() throws {
        #expect(PeriodLabel("2026-11")?.start == day("2026-11-01"))
        #expect(PeriodLabel("2026-Q4")?.end == day("2026-12-31"))
        #expect(PeriodLabel("2026-h1")?.label == "2026-H1")
        #expect(PeriodLabel("2026")?.kind == .year)
        #expect(PeriodLabel("2026-02")?.end == day("2026-02-28"))
        for bad in [
            "2026-13", "2026-00", "2026-Q5", "2026-H3", "26-11", "2026-1", "2026-11-01", "", "２０２６", "2026-Q", "abcd",
        ] {
            #expect(PeriodLabel(bad) == nil, "\(bad)")
        }
        let q1 = try #require(PeriodLabel("2027-Q1"))
        #expect(q1.previous.label == "2026-Q4" && q1.previous.next == q1)
        #expect(PeriodLabel.containing(day("0000-06-01"), kind: .quarter).label == "0-Q2")
    }

    let calendar = WorkdayCalendar.standard(covering: 2025...2027)

    /// Send days: the first working day after the period.
    /// 2026-09 → 10-08 (国庆 10-01..10-07); 2026-01 → Mon 02-02; 2026-Q4 and
    /// 2026 → Mon 2027-01-04 (元旦 Fri 01-01, then the weekend); 2026-H1 → Wed 07-01.
    @Test func reportsAreDueOnTheFirstWorkingDayAfterThePeriod() throws {
        let s = ScheduledReports(kinds: [.year, .month, .quarter, .halfYear, .month], calendar: calendar)
        #expect(s.kinds == [.month, .quarter, .halfYear, .year])
        func send(_ label: String) throws -> CivilDate { s.sendDate(of: try #require(PeriodLabel(label))) }
        #expect(try send("2026-09") == day("2026-10-08"))
        #expect(try send("2026-01") == day("2026-02-02"))
        #expect(try send("2026-Q4") == day("2027-01-04"))
        #expect(try send("2026") == day("2027-01-04"))
        #expect(try send("2026-H1") == day("2026-07-01"))

        #expect(s.due(through: day("2027-01-03")).isEmpty)
        #expect(s.due(through: day("2027-01-04")).map(\.label) == ["2026-12", "2026-Q4", "2026-H2", "2026"])
        // Within the catch-up window they are still due (the spool makes it once).
        #expect(
            s.due(through: day("2027-01-11"), catchUpDays: 7).map(\.label) == ["2026-12", "2026-Q4", "2026-H2", "2026"]
        )
        #expect(s.due(through: day("2027-01-12"), catchUpDays: 7).isEmpty)
        #expect(s.due(through: day("2026-10-09"), catchUpDays: 7).map(\.label) == ["2026-09", "2026-Q3"])

        let next = try #require(s.next(after: day("2026-12-15")))
        #expect(next.date == day("2027-01-04"))
        #expect(next.periods.map(\.label) == ["2026-12", "2026-Q4", "2026-H2", "2026"])
        #expect(s.next(after: day("2027-01-04"))?.date == day("2027-02-01"))
        #expect(ScheduledReports(kinds: [], calendar: calendar).next(after: day("2027-01-04")) == nil)
        #expect(ScheduledReports.kind(named: "季度") == .quarter && ScheduledReports.kind(named: "weekly") == nil)
    }
}
