import ArgumentParser
import Config
import Foundation
import Notices
import PlanFiles
import PlanFormat
import Reports
import Scheduling
import Vocabulary
import WorkCalendar

struct ICSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ics",
        abstract: "导出日历文件，供手机导入或订阅 (an iCalendar file of every deadline, for phones and calendar apps).",
        discussion: """
            Writes an RFC 5545 calendar on stdout: one all-day event per occurrence on
            its due date, with an alarm for each reminder on the day plankeeper mails
            it, at --alarm-at (default: the config's send-at, else 08:30). With a
            configuration (--config, or the default one) the ledger is read: a done
            occurrence keeps its event, marked ✓, with the day it was done and no
            alarms. Each event's UID is PLAN/ITEM/PERIOD@DOMAIN, DOMAIN being the
            config's mail.from domain (plankeeper without a configuration), so importing
            a newer file, or a subscription refreshing, moves, retitles and ticks off
            events instead of duplicating them. Serve the file over HTTP(S) to subscribe
            (webcal://), or mail it and open it on the phone.

            示例 (examples):
              plankeeper ics plans/ > 党建工作.ics
              plankeeper ics plans/ --owner 外科第二党支部 > 外科第二党支部.ics
              plankeeper ics > /var/www/html/plankeeper.ics   # the service's configuration
            """
    )

    @OptionGroup var inputs: ReportInputOptions

    @Option(help: ArgumentHelp("只导出一个责任单位的计划 (only this owner's plans).", valueName: "NAME"))
    var owner: String?

    @Option(help: ArgumentHelp("提醒时刻 (time of day alarms fire).", valueName: "HH:MM"))
    var alarmAt: String?

    @Option(help: ArgumentHelp("日历名称 (the calendar's name in the app).", valueName: "NAME"))
    var name: String?

    @Argument(
        help: ArgumentHelp(
            "计划文件或目录；省略时用配置中的计划目录 (plan files or folders; default: the config's plans).",
            valueName: "PATH"
        ),
        completion: .file(extensions: ["yaml", "yml"])
    )
    var paths: [String] = []

    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0..<24).contains(h), (0..<60).contains(m)
        else { return nil }
        return h * 60 + m
    }

    /// `hospital.example` out of `名称 <plankeeper@hospital.example>`, for the UIDs.
    static func mailDomain(_ from: String) -> String? {
        var address = Substring(from)
        if let open = from.lastIndex(of: "<"), let close = from.lastIndex(of: ">"), open < close {
            address = from[from.index(after: open)..<close]
        }
        guard let at = address.lastIndex(of: "@") else { return nil }
        let domain = address[address.index(after: at)...].trimmingCharacters(in: .whitespaces).lowercased()
        return domain.isEmpty || domain.contains(where: { $0 == "/" || $0 == " " }) ? nil : domain
    }

    func validate() throws {
        if let alarmAt, Self.minutes(alarmAt) == nil {
            throw ValidationError("--alarm-at takes HH:MM (24-hour), not '\(alarmAt)'")
        }
    }

    func run() throws {
        // The ledger, for what is done: a done occurrence keeps its event, ✓, without alarms.
        var input = try ReportInputs.load(paths: paths, options: inputs, needsRecords: true)
        try input.filter(owner: owner)
        let l = input.language
        // DTSTAMP: now, or 00:00 of --now in the service's zone, so a test
        // (or a mirror) can produce the same bytes twice.
        let instant = inputs.now == nil ? Date() : input.clock.instant(LocalTime(date: input.today, minute: 0))
        let calendarName =
            name ?? owner.map { l.pick("\($0) 党建工作", "\($0) party work") }
            ?? l.pick("党建工作计划", "Party-building work plans")
        let alarm = alarmAt.flatMap(Self.minutes) ?? input.config?.sendAt ?? 8 * 60 + 30
        let domain = input.config.flatMap { Self.mailDomain($0.mail.from) } ?? "plankeeper"
        let ics = ICSCalendar(
            name: calendarName,
            stamp: Int(instant.timeIntervalSince1970.rounded(.down)),
            language: l,
            alarmMinute: alarm,
            uidDomain: domain
        )
        let occurrences = input.occurrences
        let evaluator = StatusEvaluator(calendar: input.calendar, today: input.today, completions: input.completions)
        var done: [OccurrenceKey: CivilDate] = [:]
        for o in occurrences { if let day = evaluator.status(of: o).doneOn { done[o.key] = day } }
        var titles: [String: String] = [:]
        var notes: [String: String] = [:]
        for plan in input.plans {
            titles[plan.id] = plan.title
            for item in plan.items { if let note = item.note { notes["\(plan.id)/\(item.id)"] = note } }
        }
        Terminal.write(ics.render(occurrences, planTitles: titles, notes: notes, done: done))
        if input.hadErrors { throw ExitCode(1) }
    }
}
