import ArgumentParser
import Diagnostics
import Foundation
import PlanFiles
import TextLayout
import Vocabulary
import WorkCalendar

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "显示某年的工作日历 (show a year's working-day calendar).",
        discussion: """
            A month grid like cal(1), Monday first, with off days and make-up working days
            marked so the admin can check a year's holiday data at a glance:
              15*  法定节假日 / holiday (off)       14+  调休上班 / make-up working day
            Weekends are off unless marked +. Below the grid: the year's holidays and the
            notice they come from. --format json prints one object per day:
              {"date": "2026-02-14", "workday": true, "kind": "makeup", "name": "春节"}
            with kind one of workday, weekend, holiday, makeup.

            示例 (examples):
              plankeeper calendar 2026
              plankeeper calendar 2026 --month 2
              plankeeper calendar 2027 --holidays /etc/plankeeper/holidays
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var common: CommonOptions

    @Argument(help: "年份 (year), e.g. 2026.")
    var year: Int

    @Option(help: "只显示一个月 1–12 (one month only).")
    var month: Int?

    @Option(help: "text 或 json (output format).")
    var format: Format = .text

    func validate() throws {
        guard (2000...2099).contains(year) else { throw ValidationError("YEAR must be from 2000 to 2099, not \(year)") }
        if let month, !(1...12).contains(month) { throw ValidationError("--month must be from 1 to 12, not \(month)") }
    }

    func run() throws {
        let language = try common.language
        let (admin, diagnostics) = PlanLoader.adminHolidays(PlanLoader.holidayFolder(common.holidays))
        Terminal.print(diagnostics, language: language)
        let calendar = WorkdayCalendar.standard(adminYears: admin, covering: year...year)
        let months = month.map { [$0] } ?? Array(1...12)
        switch format {
        case .json: Terminal.write(json(calendar, months: months))
        case .text: Terminal.write(text(calendar, months: months, language: language, colour: Terminal.stdoutIsTTY))
        }
        if diagnostics.hasErrors { throw ExitCode(1) }
    }

    func json(_ calendar: WorkdayCalendar, months: [Int]) -> String {
        var out: [String] = []
        for m in months {
            var day = CivilDate.firstOfMonth(year: year, month: m)
            let end = CivilDate.endOfMonth(year: year, month: m)
            while day <= end {
                var entry = "{\"date\": \"\(day)\", "
                switch calendar.kind(of: day) {
                case .workday: entry += "\"workday\": true, \"kind\": \"workday\"}"
                case .weekend: entry += "\"workday\": false, \"kind\": \"weekend\"}"
                case .holiday(let n): entry += "\"workday\": false, \"kind\": \"holiday\", \"name\": \(JSON.string(n))}"
                case .makeup(let n): entry += "\"workday\": true, \"kind\": \"makeup\", \"name\": \(JSON.string(n))}"
                }
                out.append("  " + entry)
                day = day.adding(days: 1)
            }
        }
        return "[\n" + out.joined(separator: ",\n") + "\n]\n"
    }

    /// One month as lines of equal display width (7 cells of 4 columns).
    func monthBlock(_ calendar: WorkdayCalendar, month m: Int, language: Language, colour: Bool) -> [String] {
        let width = 28
        let title = PeriodLabel.containing(year: year, month: m, kind: .month).name(in: language)
        let pad = max(0, (width - DisplayWidth.of(title)) / 2)
        var lines = [DisplayWidth.padded(String(repeating: " ", count: pad) + title, to: width)]
        let header = language.pick(Texts.weekdayHeader)
        lines.append(header.map { DisplayWidth.padded(" " + $0, to: 4) }.joined())
        let first = CivilDate.firstOfMonth(year: year, month: m)
        let days = CivilDate.daysIn(year: year, month: m)
        var cells = Array(repeating: "    ", count: first.weekday.rawValue - 1)
        for d in 1...days {
            let date = first.adding(days: d - 1)
            let number = d < 10 ? "  \(d)" : " \(d)"
            var cell: String
            switch calendar.kind(of: date) {
            case .holiday:
                cell = number + "*"
                if colour { cell = Style.boldRed.apply(cell) }
            case .makeup:
                cell = number + "+"
                if colour { cell = Style.green.apply(cell) }
            case .weekend:
                cell = number + " "
                if colour { cell = Style.red.apply(cell) }
            case .workday: cell = number + " "
            }
            cells.append(cell)
        }
        while cells.count % 7 != 0 { cells.append("    ") }
        for week in stride(from: 0, to: cells.count, by: 7) {
            lines.append(cells[week..<week + 7].joined())
        }
        while lines.count < 8 { lines.append(String(repeating: " ", count: width)) }
        return lines
    }

    func text(_ calendar: WorkdayCalendar, months: [Int], language: Language, colour: Bool) -> String {
        var out = ""
        for row in stride(from: 0, to: months.count, by: 3) {
            let blocks = months[row..<min(row + 3, months.count)].map {
                monthBlock(calendar, month: $0, language: language, colour: colour)
            }
            for i in 0..<8 {
                let line = blocks.map { $0[i] }.joined(separator: "   ")
                out += String(line.reversed().drop { $0 == " " }.reversed()) + "\n"
            }
        }
        out += Texts.calendarLegend.text(in: language)
        if let official = calendar.officialYears[year] {
            out +=
                Texts.source.text(in: language) + official.source
                + (official.origin == "built-in" ? "" : Texts.origin(official.origin).text(in: language)) + "\n"
            var byName: [String: (off: [CivilDate], work: [CivilDate])] = [:]
            for (d, n) in official.offDays { byName[n, default: ([], [])].off.append(d) }
            for (d, n) in official.makeupDays { byName[n, default: ([], [])].work.append(d) }
            let entries = byName.sorted {
                ($0.value.off.min() ?? .init(dayNumber: 0)) < ($1.value.off.min() ?? .init(dayNumber: 0))
            }
            var table = TextTable()
            for (name, days) in entries {
                let off = days.off.sorted()
                let range =
                    off.isEmpty ? "" : (off.count == 1 ? short(off[0]) : "\(short(off.first!))..\(short(off.last!))")
                let count = Texts.days(off.count).text(in: language)
                let work = days.work.sorted().map {
                    short($0) + language.pick($0.weekday.chineseName, " " + $0.weekday.englishName)
                }
                let workText =
                    work.isEmpty ? "" : Texts.makeUpWorkdays.text(in: language) + work.joined(separator: ", ")
                table.add([.init(name), .init(range), .init(count), .init(workText)])
            }
            out += table.render(indent: "  ", colour: false).joined(separator: "\n") + "\n"
        } else {
            out += Texts.noOfficialList(year).text(in: language)
            var table = TextTable()
            for h in Holiday.allCases {
                let days = h.statutoryDays(in: year).filter { $0.year == year }
                guard let first = days.first else { continue }
                table.add([
                    .init(language.pick(h.chineseName, h.englishName)),
                    .init(days.count == 1 ? short(first) : "\(short(first))..\(short(days.last!))"),
                ])
            }
            out += table.render(indent: "  ", colour: false).joined(separator: "\n") + "\n"
        }
        return out
    }

    func short(_ d: CivilDate) -> String { String(d.description.dropFirst(5)) }
}
