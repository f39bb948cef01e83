import ArgumentParser
import Config
import Foundation
import Notices
import PlanFiles
import PlanFormat
import Reports
import Vocabulary
import WorkCalendar

struct ICSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ics",
        abstract: "导出日历文件，供手机导入或订阅 (an iCalendar file of every deadline, for phones and calendar apps).",
        discussion: """
            Writes an RFC 5545 calendar on stdout: one all-day event per occurrence on its due
            date, with an alarm for each reminder on the day plankeeper mails it, at --alarm-at
            (default: the config's send-at, else 08:30). Each event's UID is
            PLAN/ITEM/PERIOD@plankeeper, so importing a newer file, or a subscription
            refreshing, moves and retitles events instead of duplicating them. Serve the file
            over HTTP(S) to subscribe (webcal://), or mail it and open it on the phone.

            示例 (examples):
              plankeeper ics plans/ > 党建工作.ics
              plankeeper ics plans/ --owner 外科第二党支部 > 外科第二党支部.ics
              plankeeper ics --config /etc/plankeeper/plankeeper.yaml > /var/www/html/plankeeper.ics
            """
    )

    @OptionGroup var inputs: ReportInputOptions

    @Option(help: ArgumentHelp("只导出一个责任单位的计划 (only this owner's plans).", valueName: "NAME"))
    var owner: String?

    @Option(help: ArgumentHelp("提醒时刻 (time of day alarms fire).", valueName: "HH:MM"))
    var alarmAt: String?

    @Option(help: ArgumentHelp("日历名称 (the calendar's name in the app).", valueName: "NAME"))
    var name: String?

    @Argument(help: ArgumentHelp("计划文件或目录；省略时用配置中的计划目录 (plan files or folders; default: the config's plans).", valueName: "PATH"))
    var paths: [String] = []

    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
              (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        return h * 60 + m
    }

    func validate() throws {
        if let alarmAt, Self.minutes(alarmAt) == nil { throw ValidationError("--alarm-at takes HH:MM (24-hour), not '\(alarmAt)'") }
    }

    func run() throws {
        var input = try ReportInputs.load(paths: paths, options: inputs, needsRecords: false)
        try input.filter(owner: owner)
        let l = input.language
        // DTSTAMP: now, or 00:00 of --now in the service's zone, so a test
        // (or a mirror) can produce the same bytes twice.
        let instant = inputs.now == nil ? Date() : input.clock.instant(LocalTime(date: input.today, minute: 0))
        let calendarName = name ?? owner.map { l.pick("\($0) 党建工作", "\($0) party work") } ?? l.pick("党建工作计划", "Party-building work plans")
        let alarm = alarmAt.flatMap(Self.minutes) ?? input.config?.sendAt ?? 8 * 60 + 30
        let ics = ICSCalendar(name: calendarName, stamp: Int(instant.timeIntervalSince1970.rounded(.down)), language: l, alarmMinute: alarm)
        var titles: [String: String] = [:]
        var notes: [String: String] = [:]
        for plan in input.plans {
            titles[plan.id] = plan.title
            for item in plan.items { if let note = item.note { notes["\(plan.id)/\(item.id)"] = note } }
        }
        Terminal.write(ics.render(input.occurrences, planTitles: titles, notes: notes))
        if input.hadErrors { throw ExitCode(1) }
    }
}
