import ArgumentParser
import Diagnostics
import Foundation
import PlanFiles
import PlanFormat
import Scheduling
import TextLayout
import Vocabulary
import WorkCalendar

struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "列出每项工作的到期日 (list every occurrence with its due date).",
        discussion: """
            Text output is a table grouped by month, with the weekday and a mark where the
            day matters: （调休）for a weekend make-up working day, the holiday name for an
            off day kept by `shift: none`. JSON output (--format json) is one array with an
            object per occurrence: plan, item, title, owner, period, due, reminders, and
            min/max for `times` items. Plans with errors are reported on stderr and left
            out.

            示例 (examples):
              plankeeper schedule plans/
              plankeeper schedule plans/ --from 2026-11-01 --to 2026-12-31
              plankeeper schedule --format json plans/surgery-2-2026.yaml | jq '.[0]'
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var common: CommonOptions

    @Option(help: "text 或 json (output format).")
    var format: Format = .text

    @Option(help: ArgumentHelp("只列出此日期及以后到期的 (only occurrences due on or after).", valueName: "YYYY-MM-DD"))
    var from: String?

    @Option(help: ArgumentHelp("只列出此日期及以前到期的 (only occurrences due on or before).", valueName: "YYYY-MM-DD"))
    var to: String?

    @Argument(
        help: ArgumentHelp("计划文件或目录 (plan files or folders).", valueName: "PATH"),
        completion: .file(extensions: ["yaml", "yml"])
    )
    var paths: [String]

    func validate() throws {
        for (name, value) in [("--from", from), ("--to", to)] {
            if let value, CivilDate(iso: value) == nil {
                throw ValidationError("\(name) takes a date YYYY-MM-DD, not '\(value)'")
            }
        }
    }

    func run() throws {
        let language = try common.language
        let loaded = try PlanLoader.load(paths: paths, holidays: common.holidays)
        Terminal.print(loaded.diagnostics, language: language)
        let lower = from.flatMap { CivilDate(iso: $0) }
        let upper = to.flatMap { CivilDate(iso: $0) }
        let expander = loaded.expander
        var occurrences: [Occurrence] = []
        for plan in loaded.catalog.plans {
            for o in expander.occurrences(of: plan) {
                if let lower, o.due < lower { continue }
                if let upper, o.due > upper { continue }
                occurrences.append(o)
            }
        }
        switch format {
        case .json: Terminal.write(Self.json(occurrences))
        case .text:
            Terminal.write(
                Self.text(occurrences, calendar: loaded.calendar, language: language, colour: Terminal.stdoutIsTTY)
            )
        }
        if loaded.diagnostics.hasErrors { throw ExitCode(1) }
    }

    static func json(_ occurrences: [Occurrence]) -> String {
        var out = "["
        out.reserveCapacity(occurrences.count * 200)
        for (i, o) in occurrences.enumerated() {
            out += i == 0 ? "\n  {" : ",\n  {"
            out += "\"plan\": "
            JSON.append(o.planID, to: &out)
            out += ", \"item\": "
            JSON.append(o.itemID, to: &out)
            out += ", \"title\": "
            JSON.append(o.title, to: &out)
            out += ", \"owner\": "
            JSON.append(o.owner, to: &out)
            out += ", \"period\": \""
            out += o.period
            out += "\", \"due\": \""
            out += o.due.description
            out += "\", \"reminders\": ["
            var last: CivilDate?
            for r in o.reminders where last != r.date {
                out += last == nil ? "\"" : ", \""
                out += r.date.description
                out += "\""
                last = r.date
            }
            out += "]"
            if let count = o.requiredCount {
                out += ", \"min\": \(count.lowerBound), \"max\": \(count.upperBound)"
            }
            out += "}"
        }
        out += occurrences.isEmpty ? "]\n" : "\n]\n"
        return out
    }

    static func text(_ occurrences: [Occurrence], calendar: WorkdayCalendar, language: Language, colour: Bool) -> String
    {
        if occurrences.isEmpty {
            return Texts.nothingDue.text(in: language)
        }
        let sorted = occurrences.sorted {
            ($0.due, $0.owner, $0.title, $0.period) < ($1.due, $1.owner, $1.title, $1.period)
        }
        var out = ""
        var month: (Int, Int)?
        var table = TextTable()
        func flush() {
            out += table.render(indent: "  ", colour: colour).joined(separator: "\n") + "\n"
            table = TextTable()
        }
        for o in sorted {
            let (y, m, d) = o.due.components
            if month.map({ $0 != (y, m) }) ?? true {
                if month != nil {
                    flush()
                    out += "\n"
                }
                month = (y, m)
                let heading = PeriodLabel.containing(year: y, month: m, kind: .month).name(in: language)
                out += (colour ? Style.bold.apply(heading) : heading) + "\n"
                table.add(language.pick(Texts.scheduleColumns).map { TextTable.Cell($0, .dim) })
            }
            let weekday = language.pick(o.due.weekday.chineseName, o.due.weekday.englishName)
            var dayCell = TextTable.Cell(weekday)
            switch calendar.kind(of: o.due) {
            case .makeup: dayCell = .init(weekday + Texts.makeUpDay.text(in: language), .green)
            case .holiday(let name): dayCell = .init(weekday + Texts.holidayDay(name).text(in: language), .red)
            case .weekend: dayCell = .init(weekday + Texts.offDay.text(in: language), .red)
            case .workday: break
            }
            var title = o.title
            if let count = o.requiredCount {
                let times =
                    count.lowerBound == count.upperBound
                    ? "\(count.lowerBound)" : "\(count.lowerBound)–\(count.upperBound)"
                title += Texts.times(times).text(in: language)
            }
            let reminders = o.reminders.map { r -> String in
                let (_, rm, rd) = r.date.components
                return (rm < 10 ? "0\(rm)" : "\(rm)") + "-" + (rd < 10 ? "0\(rd)" : "\(rd)")
            }
            var seen = Set<String>()
            let uniqueReminders = reminders.filter { seen.insert($0).inserted }
            table.add([
                .init((m < 10 ? "0\(m)" : "\(m)") + "-" + (d < 10 ? "0\(d)" : "\(d)"), .bold),
                dayCell, .init(title), .init(o.owner), .init(o.period, .dim),
                .init(uniqueReminders.joined(separator: " "), .dim),
            ])
        }
        flush()
        return out
    }

}
