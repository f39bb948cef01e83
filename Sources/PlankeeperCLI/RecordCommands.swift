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
        let language = config.language
        guard let plan = loaded.catalog.plans.first(where: { $0.id == planID }) else {
            let guess = Suggestion.closest(to: planID, among: loaded.catalog.plans.map(\.id))
            Terminal.error(Texts.noPlan(planID, guess: guess).text(in: language))
            throw ExitCode(1)
        }
        guard let item = plan.items.first(where: { $0.id == itemID }) else {
            let guess = Suggestion.closest(to: itemID, among: plan.items.map(\.id))
            Terminal.error(Texts.noItem(itemID, plan: planID, guess: guess, items: plan.items.map(\.id)).text(in: language))
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
        let language = config.language
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
                Terminal.error(Texts.noPeriod(period, of: "\(plan)/\(item)", periods: target.occurrences.map(\.period))
                    .text(in: language))
                throw ExitCode(1)
            }
            chosen = o
        } else if let o = target.occurrences.first(where: { $0.periodStart <= doneOn && doneOn <= $0.periodEnd && (!isDone($0) || $0.requiredCount != nil) }) {
            chosen = o
        } else {
            let open = target.occurrences.filter { !isDone($0) && $0.periodStart <= doneOn }
            guard open.count == 1 else {
                Terminal.error(Texts.namePeriod(open: open.map(\.period)).text(in: language))
                throw ExitCode(1)
            }
            chosen = open[0]
        }
        let who = by ?? ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"]
        let record = try ledger.addRecord(NewRecord(plan: plan, item: item, period: chosen.period, doneOn: doneOn.description,
                                                    by: who, note: note, recordedAt: Int64(Date().timeIntervalSince1970)))
        Logs.bootstrap()
        Logger(label: "plankeeper").notice("\(Texts.recordedDone.text(in: language)): \(chosen.owner) · \(chosen.title) (\(chosen.period)) \(doneOn)", metadata: [
            JournalField.plan: .string(plan), JournalField.item: .string(item), JournalField.period: .string(chosen.period),
            JournalField.owner: .string(chosen.owner), JournalField.due: .string(chosen.due.description),
            JournalField.kind: "record", JournalField.messageID: .string(MessageID.recordAdded),
        ])
        let late = doneOn > chosen.due
        Terminal.write(Texts.recorded(
            owner: chosen.owner, title: chosen.title, period: chosen.period, doneOn: doneOn.description, late: late,
            due: chosen.due.description, id: record.id
        ).text(in: language))
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
        let language = config.language
        guard let removed = try ledger.removeLatestRecord(plan: plan, item: item, period: period) else {
            Terminal.error(Texts.noRecord("\(plan)/\(item)/\(period)").text(in: language))
            throw ExitCode(1)
        }
        Logs.bootstrap()
        Logger(label: "plankeeper").notice("\(Texts.recordRemoved.text(in: language)): \(plan)/\(item)/\(period)", metadata: [
            JournalField.plan: .string(plan), JournalField.item: .string(item), JournalField.period: .string(period),
            JournalField.kind: "record", JournalField.messageID: .string(MessageID.recordRemoved),
        ])
        Terminal.write(Texts.removed(id: removed.id, key: "\(plan)/\(item)/\(period)", doneOn: removed.doneOn).text(in: language))
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
        let language = config.language
        let ledger = try Ledger.openForCLI(config)
        let records = try ledger.records(plan: plan)
        let loaded = try? PlanLoader.load(paths: [config.plans], holidays: config.holidays)
        var known: Set<String> = []
        for p in loaded?.catalog.plans ?? [] { for i in p.items { known.insert("\(p.id)/\(i.id)") } }
        var orphans = 0
        for r in records where loaded != nil && !known.contains("\(r.plan)/\(r.item)") {
            orphans += 1
            Terminal.error(Texts.orphanRecord(id: r.id, key: "\(r.plan)/\(r.item)/\(r.period)").text(in: language))
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
            table.add(language.pick(Texts.recordColumns).map { .init($0, .dim) })
            for r in records {
                table.add([.init(String(r.id)), .init(r.plan), .init(r.item), .init(r.period), .init(r.doneOn), .init(r.by ?? ""), .init(r.note ?? "")])
            }
            Terminal.write(records.isEmpty ? Texts.noRecords.text(in: language) : table.render(colour: Terminal.stdoutIsTTY).joined(separator: "\n") + "\n")
        }
        _ = orphans
    }
}
