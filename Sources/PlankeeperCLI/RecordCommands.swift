import ArgumentParser
import Config
import Diagnostics
import Foundation
import Journal
import Ledger
import Logging
import PlanFiles
import PlanFormat
import Scheduling
import TextLayout
import Vocabulary
import WorkCalendar

/// Finds the plan and item a record is about, and its period when omitted.
struct RecordTarget {
    var plan: Plan
    var item: Item
    var occurrences: [Occurrence]

    static func resolve(config: DaemonConfig, plan planID: String, item itemID: String) throws -> (RecordTarget, PlanLoader.Loaded) {
        let loaded = try PlanLoader.load(paths: [config.plans], holidays: config.holidays)
        let zh = config.language == .zh
        guard let plan = loaded.catalog.plans.first(where: { $0.id == planID }) else {
            let guess = Suggestion.closest(to: planID, among: loaded.catalog.plans.map(\.id))
            Terminal.error(zh ? "plankeeper: error: 没有 id 为“\(planID)”的计划\(guess.map { "；您是否想写“\($0)”？" } ?? "")"
                              : "plankeeper: error: no plan with id '\(planID)'\(guess.map { "; did you mean '\($0)'?" } ?? "")")
            throw ExitCode(1)
        }
        guard let item = plan.items.first(where: { $0.id == itemID }) else {
            let guess = Suggestion.closest(to: itemID, among: plan.items.map(\.id))
            Terminal.error(zh ? "plankeeper: error: 计划 \(planID) 中没有事项“\(itemID)”\(guess.map { "；您是否想写“\($0)”？" } ?? "")；可用：\(plan.items.map(\.id).joined(separator: "、"))"
                              : "plankeeper: error: plan \(planID) has no item '\(itemID)'\(guess.map { "; did you mean '\($0)'?" } ?? ""); items: \(plan.items.map(\.id).joined(separator: ", "))")
            throw ExitCode(1)
        }
        return (RecordTarget(plan: plan, item: item, occurrences: loaded.expander.occurrences(of: item, in: plan)), loaded)
    }
}

struct DoneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "done",
        abstract: "登记一项工作已完成 (record that an obligation was done).",
        discussion: """
            Records are kept in the ledger (台账) by plan id, item id and period label, so they
            survive edits of titles and dates. PERIOD may be left out when it is clear: the
            period containing the date done, else the one open occurrence. For a `times` item
            (e.g. 红色教育 2–3 次) record each time separately. Safe while the daemon runs;
            a recorded occurrence gets no further notices.

            示例 (examples):
              plankeeper done surgery-2-2026 committee 2026-11 --by 王五
              plankeeper done surgery-2-2026 red-education --date 2026-06-12 --note 参观革命纪念馆
            """
    )

    @OptionGroup var options: ConfigOptions
    @Argument(help: "计划 id (plan id).") var plan: String
    @Argument(help: "事项 id (item id).") var item: String
    @Argument(help: "周期 (period label: 2026-11, 2026-Q4, 2026-H2, 2026).") var period: String?
    @Option(help: ArgumentHelp("完成日期 (date done; default today).", valueName: "YYYY-MM-DD")) var date: String?
    @Option(help: "经办人 (who did it; default $SUDO_USER or $USER).") var by: String?
    @Option(help: "备注 (a note for the record).") var note: String?

    func run() throws {
        let config = try options.load()
        let zh = config.language == .zh
        let clock = LocalClock(identifier: config.timezone)
        let today = clock.local(Date()).date
        var doneOn = today
        if let date {
            guard let d = CivilDate(iso: date) else { throw ValidationError("--date takes YYYY-MM-DD, not '\(date)'") }
            doneOn = d
        }
        let (target, _) = try RecordTarget.resolve(config: config, plan: plan, item: item)
        let ledger = try Ledger.openForCLI(config)
        let counts = try ledger.completionCounts()
        func isDone(_ o: Occurrence) -> Bool {
            counts[OccurrenceKey(plan: o.planID, item: o.itemID, period: o.period), default: 0] >= (o.requiredCount?.lowerBound ?? 1)
        }
        let chosen: Occurrence
        if let period {
            guard let o = target.occurrences.first(where: { $0.period == period }) else {
                Terminal.error(zh ? "plankeeper: error: \(plan)/\(item) 没有周期“\(period)”；可用：\(target.occurrences.map(\.period).joined(separator: "、"))"
                                  : "plankeeper: error: \(plan)/\(item) has no period '\(period)'; periods: \(target.occurrences.map(\.period).joined(separator: ", "))")
                throw ExitCode(1)
            }
            chosen = o
        } else if let o = target.occurrences.first(where: { $0.periodStart <= doneOn && doneOn <= $0.periodEnd && (!isDone($0) || $0.requiredCount != nil) }) {
            chosen = o
        } else {
            let open = target.occurrences.filter { !isDone($0) && $0.periodStart <= doneOn }
            guard open.count == 1 else {
                Terminal.error(zh ? "plankeeper: error: 请指明周期：\(open.isEmpty ? "没有未完成的周期" : "未完成的周期有 " + open.map(\.period).joined(separator: "、"))"
                                  : "plankeeper: error: name the period: \(open.isEmpty ? "no open period" : "open periods are " + open.map(\.period).joined(separator: ", "))")
                throw ExitCode(1)
            }
            chosen = open[0]
        }
        let who = by ?? ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"]
        let record = try ledger.addRecord(NewRecord(plan: plan, item: item, period: chosen.period, doneOn: doneOn.description,
                                                    by: who, note: note, recordedAt: Int64(Date().timeIntervalSince1970)))
        Logs.bootstrap()
        Logger(label: "plankeeper").notice("\(zh ? "登记完成" : "recorded done"): \(chosen.owner) · \(chosen.title) (\(chosen.period)) \(doneOn)", metadata: [
            JournalField.plan: .string(plan), JournalField.item: .string(item), JournalField.period: .string(chosen.period),
            JournalField.owner: .string(chosen.owner), JournalField.due: .string(chosen.due.description),
            JournalField.kind: "record", JournalField.messageID: .string(MessageID.recordAdded),
        ])
        let late = doneOn > chosen.due
        Terminal.write(zh
            ? "已登记：\(chosen.owner) · \(chosen.title)（\(chosen.period)），完成于 \(doneOn)，\(late ? "晚于" : "不晚于")截止日期 \(chosen.due)（记录 #\(record.id)）\n"
            : "recorded: \(chosen.owner) · \(chosen.title) (\(chosen.period)), done \(doneOn), \(late ? "after" : "by") the due date \(chosen.due) (record #\(record.id))\n")
    }
}

struct UndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "撤销最近一次完成登记 (remove the latest record of an occurrence).",
        discussion: """
            示例 (example):
              plankeeper undo surgery-2-2026 committee 2026-11
            """
    )

    @OptionGroup var options: ConfigOptions
    @Argument(help: "计划 id (plan id).") var plan: String
    @Argument(help: "事项 id (item id).") var item: String
    @Argument(help: "周期 (period label).") var period: String

    func run() throws {
        let config = try options.load()
        let ledger = try Ledger.openForCLI(config)
        let zh = config.language == .zh
        guard let removed = try ledger.removeLatestRecord(plan: plan, item: item, period: period) else {
            Terminal.error(zh ? "plankeeper: error: \(plan)/\(item)/\(period) 没有完成记录" : "plankeeper: error: no record for \(plan)/\(item)/\(period)")
            throw ExitCode(1)
        }
        Logs.bootstrap()
        Logger(label: "plankeeper").notice("\(zh ? "撤销完成登记" : "record removed"): \(plan)/\(item)/\(period)", metadata: [
            JournalField.plan: .string(plan), JournalField.item: .string(item), JournalField.period: .string(period),
            JournalField.kind: "record", JournalField.messageID: .string(MessageID.recordRemoved),
        ])
        Terminal.write(zh ? "已撤销记录 #\(removed.id)（\(plan)/\(item)/\(period)，完成于 \(removed.doneOn)）\n"
                          : "removed record #\(removed.id) (\(plan)/\(item)/\(period), done \(removed.doneOn))\n")
    }
}

struct RecordsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "records",
        abstract: "列出完成记录（台账） (list the records).",
        discussion: """
            Records whose plan or item is no longer loaded are kept and listed with a warning.
            CSV is UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly.

            示例 (examples):
              plankeeper records --plan surgery-2-2026
              plankeeper records --format csv > 台账.csv
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv }

    @OptionGroup var options: ConfigOptions
    @Option(help: "只列出某个计划 (only this plan id).") var plan: String?
    @Option(help: "text、json 或 csv (output format).") var format: Format = .text

    func run() throws {
        let config = try options.load()
        let zh = config.language == .zh
        let ledger = try Ledger.openForCLI(config)
        let records = try ledger.records(plan: plan)
        let loaded = try? PlanLoader.load(paths: [config.plans], holidays: config.holidays)
        var known: Set<String> = []
        for p in loaded?.catalog.plans ?? [] { for i in p.items { known.insert("\(p.id)/\(i.id)") } }
        var orphans = 0
        for r in records where loaded != nil && !known.contains("\(r.plan)/\(r.item)") {
            orphans += 1
            Terminal.error(zh ? "plankeeper: warning: 记录 #\(r.id)（\(r.plan)/\(r.item)/\(r.period)）对应的计划或事项已不存在；记录保留"
                              : "plankeeper: warning: record #\(r.id) (\(r.plan)/\(r.item)/\(r.period)) names a plan or item that is not loaded; it is kept")
        }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Terminal.write(String(decoding: try encoder.encode(records), as: UTF8.self) + "\n")
        case .csv:
            // The one CSV writer: a note such as `=HYPERLINK(…)` is guarded, never run by Excel.
            var out = CSV.byteOrderMark + CSV.row(["id", "plan", "item", "period", "done_on", "by", "note", "recorded_at"])
            for r in records {
                out += CSV.row([String(r.id), r.plan, r.item, r.period, r.doneOn, r.by ?? "", r.note ?? "", String(r.recordedAt)])
            }
            Terminal.write(out)
        case .text:
            var table = TextTable()
            table.add((zh ? ["#", "计划", "事项", "周期", "完成日期", "经办人", "备注"] : ["#", "Plan", "Item", "Period", "Done", "By", "Note"]).map { .init($0, .dim) })
            for r in records {
                table.add([.init(String(r.id)), .init(r.plan), .init(r.item), .init(r.period), .init(r.doneOn), .init(r.by ?? ""), .init(r.note ?? "")])
            }
            Terminal.write(records.isEmpty ? (zh ? "（没有记录）\n" : "(no records)\n") : table.render(colour: Terminal.stdoutIsTTY).joined(separator: "\n") + "\n")
        }
        _ = orphans
    }
}
