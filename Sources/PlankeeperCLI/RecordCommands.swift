import ArgumentParser
import Config
import Diagnostics
import Foundation
import Journal
import Ledger
import Logging
import Notices
import Outbox
import PlanFiles
import PlanFormat
import Records
import Reports
import Scheduling
import TextLayout
import Vocabulary
import WorkCalendar

/// Finds the plan and item a record is about, and its period when omitted.
struct RecordTarget {
    var plan: Plan
    var item: Item
    var occurrences: [Occurrence]

    static func resolve(
        config: DaemonConfig,
        plan planID: String,
        item itemID: String
    ) throws -> (RecordTarget, PlanLoader.Loaded) {
        let loaded = try PlanLoader.load(paths: [config.plans], holidays: config.holidays)
        let language = config.language
        guard let plan = loaded.catalog.plans.first(where: { $0.id == planID }) else {
            let guess = Suggestion.closest(to: planID, among: loaded.catalog.plans.map(\.id))
            Terminal.error(Texts.noPlan(planID, guess: guess).text(in: language))
            throw ExitCode(1)
        }
        guard let item = plan.items.first(where: { $0.id == itemID }) else {
            let guess = Suggestion.closest(to: itemID, among: plan.items.map(\.id))
            Terminal.error(
                Texts.noItem(itemID, plan: planID, guess: guess, items: plan.items.map(\.id)).text(in: language)
            )
            throw ExitCode(1)
        }
        return (
            RecordTarget(plan: plan, item: item, occurrences: loaded.expander.occurrences(of: item, in: plan)), loaded
        )
    }
}

struct DoneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "done",
        abstract: "登记一项工作已完成 (record that an obligation was done).",
        discussion: """
            Records are kept in the ledger (台账) by plan id, item id and period label, so
            they survive edits of titles and dates. PERIOD may be left out when it is clear:
            the period containing the date done, else the one open occurrence. For a `times`
            item (e.g. 红色教育 2–3 次) record each time separately, up to its most. Safe
            while the daemon runs; a recorded occurrence gets no further notices.

            The same rules as a reply by mail: a date before the period starts (for a
            one-off, before its plan year) or after today is refused, unless --force (the
            journal says so); a second record of an occurrence is refused ("undo first").
            Branch secretaries can also just reply 完成 to a notice (docs/mail.md).

            History (deadlines that were overdue before plankeeper started tracking,
            shown as 未跟踪 / not tracked by `status`) is acknowledged in bulk:
            --history PLAN records every unrecorded history occurrence of one plan,
            --history --all of every plan, each as done on its due date with the note
            历史事项，批量确认 (or --note). Use it for what was done before plankeeper;
            leave what was not done unrecorded. --dry-run lists what would be recorded.

            示例 (examples):
              plankeeper done surgery-2-2026 committee 2026-11 --by 王五
              plankeeper done surgery-2-2026 red-education --date 2026-06-12 --note 参观展览
              # held early, by decision of the branch:
              plankeeper done surgery-2-2026 committee 2026-11 --date 2026-10-30 --force
              plankeeper done --history surgery-2-2026 --dry-run
              plankeeper done --history --all --by 党办
            """
    )

    @OptionGroup var options: ConfigOptions
    @Argument(help: "计划 id (plan id).", completion: .custom(Completions.planIDs)) var plan: String?
    @Argument(help: "事项 id (item id).", completion: .custom(Completions.itemIDs)) var item: String?
    @Argument(help: "周期 (period label: 2026-11, 2026-Q4, 2026-H2, 2026).", completion: .custom(Completions.openPeriods))
    var period: String?
    @Option(help: ArgumentHelp("完成日期 (date done; default today).", valueName: "YYYY-MM-DD")) var date: String?
    @Option(help: "经办人 (who did it; default $SUDO_USER or $USER).") var by: String?
    @Option(help: "备注 (a note for the record).") var note: String?
    @Flag(help: "日期不在周期内也登记，并记入日志 (record a date before the period or after today anyway; logged).")
    var force = false
    @Option(help: ArgumentHelp("假定的当前时间 (pretend it is this time; as tick --now).", valueName: "INSTANT"))
    var now: String?
    @Flag(help: "批量确认历史事项 (acknowledge the history of PLAN, or of --all plans).") var history = false
    @Flag(help: "与 --history 一起：所有计划 (with --history: every plan).") var all = false
    @Flag(help: "与 --history 一起：只列出，不登记 (with --history: list, record nothing).") var dryRun = false

    func validate() throws {
        if history {
            guard (plan == nil) == all, item == nil, period == nil, date == nil, !force else {
                throw ValidationError("--history takes one PLAN or --all, and no ITEM, PERIOD, --date or --force")
            }
        } else {
            guard plan != nil, item != nil else {
                throw ValidationError("give PLAN and ITEM (or --history PLAN|--all)")
            }
            if all || dryRun { throw ValidationError("--all and --dry-run go with --history") }
        }
    }

    func run() throws {
        if history { return try acknowledgeHistory() }
        guard let plan, let item else { return }
        let config = try options.load()
        let language = config.language
        let clock = LocalClock(identifier: config.timezone)
        var instant = Date()
        if let now {
            guard let parsed = clock.parseInstant(now) else {
                throw ValidationError("--now takes YYYY-MM-DD, YYYY-MM-DDTHH:MM or an ISO 8601 instant, not '\(now)'")
            }
            instant = parsed
        }
        let today = clock.local(instant).date
        var doneOn = today
        if let date {
            guard let d = CivilDate(iso: date) else { throw ValidationError("--date takes YYYY-MM-DD, not '\(date)'") }
            doneOn = d
        }
        let (target, _) = try RecordTarget.resolve(config: config, plan: plan, item: item)
        let ledger = try Ledger.openForCLI(config)
        let counts = try ledger.completionCounts()
        func isDone(_ o: Occurrence) -> Bool {
            counts[OccurrenceKey(plan: o.planID, item: o.itemID, period: o.period), default: 0]
                >= (o.requiredCount?.lowerBound ?? 1)
        }
        let chosen: Occurrence
        if let period {
            guard let o = target.occurrences.first(where: { $0.period == period }) else {
                Terminal.error(
                    Texts.noPeriod(period, of: "\(plan)/\(item)", periods: target.occurrences.map(\.period))
                        .text(in: language)
                )
                throw ExitCode(1)
            }
            chosen = o
        } else if let o = target.occurrences.first(where: {
            $0.periodStart <= doneOn && doneOn <= $0.periodEnd && (!isDone($0) || $0.requiredCount != nil)
        }) {
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
        let request = RecordRequest(doneOn: doneOn, source: .cli, by: who)
        let addition = try ledger.addRecord(
            NewRecord(
                plan: plan,
                item: item,
                period: chosen.period,
                doneOn: doneOn.description,
                by: who,
                note: note,
                recordedAt: Int64(instant.timeIntervalSince1970),
                source: .cli
            )
        ) { existing in
            RecordRules.check(
                request,
                of: chosen,
                existing: existing.map(ExistingRecord.init),
                today: today,
                force: force
            )
        }
        let record: Record
        let overridden: [RecordRefusal]
        switch addition {
        case .refused(let refusal):
            Terminal.error(
                Texts.refused(
                    owner: chosen.owner,
                    title: chosen.title,
                    period: chosen.period,
                    reason: Message(zh: refusal.zh, en: refusal.en),
                    canBeForced: refusal.canBeForced
                ).text(in: language)
            )
            throw ExitCode(1)
        case .added(let added, let forced):
            record = added
            overridden = forced
        }
        Logs.bootstrap()
        var metadata: Logger.Metadata = [
            JournalField.plan: .string(plan), JournalField.item: .string(item),
            JournalField.period: .string(chosen.period),
            JournalField.owner: .string(chosen.owner), JournalField.due: .string(chosen.due.description),
            JournalField.kind: "record", JournalField.messageID: .string(MessageID.recordAdded),
            JournalField.source: "cli",
        ]
        if let who { metadata[JournalField.from] = .string(who) }
        let logger = Logger(label: "plankeeper")
        if overridden.isEmpty {
            logger.notice(
                "\(Texts.recordedDone.text(in: language)): \(chosen.owner) · \(chosen.title) (\(chosen.period)) \(doneOn)",
                metadata: metadata
            )
        } else {
            metadata[JournalField.forced] = .string(overridden.map(\.code).joined(separator: ","))
            let reasons = overridden.map { Message(zh: $0.zh, en: $0.en).text(in: language) }.joined(separator: "; ")
            logger.warning(
                "\(Texts.recordedDoneForced.text(in: language)): \(chosen.owner) · \(chosen.title) (\(chosen.period)) \(doneOn): \(reasons)",
                metadata: metadata
            )
        }
        let late = doneOn > chosen.due
        Terminal.write(
            Texts.recorded(
                owner: chosen.owner,
                title: chosen.title,
                period: chosen.period,
                doneOn: doneOn.description,
                late: late,
                due: chosen.due.description,
                id: record.id
            ).text(in: language)
        )
    }
}

extension DoneCommand {
    /// `done --history PLAN|--all`: every unrecorded history occurrence
    /// (`NoticePolicy.unrecordedHistory`) recorded as done on its due date.
    func acknowledgeHistory() throws {
        let config = try options.load()
        let language = config.language
        let loaded = try PlanLoader.load(paths: [config.plans], holidays: config.holidays)
        Terminal.print(loaded.diagnostics, language: config.language)
        var plans = loaded.catalog.plans
        if let plan {
            guard plans.contains(where: { $0.id == plan }) else {
                let guess = Suggestion.closest(to: plan, among: plans.map(\.id))
                Terminal.error(Texts.noPlan(plan, guess: guess).text(in: language))
                throw ExitCode(1)
            }
            plans = plans.filter { $0.id == plan }
        }
        let ledger = try Ledger.openForCLI(config)
        guard let start = ReportInputs.trackingStart(config) else {
            Terminal.error(Texts.trackingNotStarted.text(in: language))
            return
        }
        let policy = NoticePolicy(config: config, calendar: loaded.calendar, trackingStart: start)
        let completions = try ledger.completionCounts()
        let entries = plans.map {
            NoticePolicy.PlanOccurrences(plan: $0, occurrences: loaded.expander.occurrences(of: $0))
        }
        let history = policy.unrecordedHistory(entries, completions: completions)
        let who = by ?? ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"]
        let text = note ?? Texts.historyNote(start: start.description).text(in: language)
        let now = Int64(Date().timeIntervalSince1970)
        for o in history {
            let required = o.requiredCount?.lowerBound ?? 1
            Terminal.write("\(o.due)\t\(o.planID)\t\(o.itemID)\t\(o.period)\t\(o.owner) · \(o.title)\n")
            guard !dryRun else { continue }
            for _ in completions[o.key, default: 0]..<required {
                _ = try ledger.addRecord(
                    NewRecord(
                        plan: o.planID,
                        item: o.itemID,
                        period: o.period,
                        doneOn: o.due.description,
                        by: who,
                        note: text,
                        recordedAt: now
                    )
                )
            }
        }
        Terminal.error(
            Texts.historyRecorded(
                dryRun: dryRun,
                count: history.count,
                start: start.description,
                catchUpDays: config.catchUpMinutes / 1440
            ).text(in: language)
        )
        if !dryRun && !history.isEmpty {
            Logs.bootstrap()
            Logger(label: "plankeeper").notice(
                "\(Texts.historyAcknowledged.text(in: language)): \(history.count)",
                metadata: [
                    JournalField.kind: "record", JournalField.messageID: .string(MessageID.recordAdded),
                    JournalField.plan: .string(plan ?? "*"),
                ]
            )
        }
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
    @Argument(help: "计划 id (plan id).", completion: .custom(Completions.planIDs)) var plan: String
    @Argument(help: "事项 id (item id).", completion: .custom(Completions.itemIDs)) var item: String
    @Argument(help: "周期 (period label).", completion: .custom(Completions.recordedPeriods)) var period: String

    func run() throws {
        let config = try options.load()
        let ledger = try Ledger.openForCLI(config)
        let language = config.language
        guard let removed = try ledger.removeLatestRecord(plan: plan, item: item, period: period) else {
            Terminal.error(Texts.noRecord("\(plan)/\(item)/\(period)").text(in: language))
            throw ExitCode(1)
        }
        Logs.bootstrap()
        Logger(label: "plankeeper").notice(
            "\(Texts.recordRemoved.text(in: language)): \(plan)/\(item)/\(period)",
            metadata: [
                JournalField.plan: .string(plan), JournalField.item: .string(item),
                JournalField.period: .string(period),
                JournalField.kind: "record", JournalField.messageID: .string(MessageID.recordRemoved),
                JournalField.source: "cli",
            ]
        )
        Terminal.write(
            Texts.removed(id: removed.id, key: "\(plan)/\(item)/\(period)", doneOn: removed.doneOn).text(in: language)
        )
    }
}

struct RecordsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "records",
        abstract: "列出完成记录（台账） (list the records).",
        discussion: """
            Records whose plan or item is no longer loaded are kept and listed with a
            warning. JSON is a stable, documented output: an array of objects with plan,
            item, period, done_on (YYYY-MM-DD), recorded_at (RFC 3339), by, source (cli,
            mail, web), note and evidence (a list of {name, type, size, sha256}). CSV has
            the same columns, UTF-8 with a byte-order mark so Excel opens the Chinese text
            correctly, formulas defused.

            示例 (examples):
              plankeeper records --plan surgery-2-2026
              plankeeper records --format csv > 台账.csv
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv }

    @OptionGroup var options: ConfigOptions
    @Option(help: "只列出某个计划 (only this plan id).", completion: .custom(Completions.planIDs)) var plan: String?
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
        let clock = LocalClock(identifier: config.timezone)
        let listed = records.map { r in
            ListedRecord(
                plan: r.plan,
                item: r.item,
                period: r.period,
                doneOn: r.doneOn,
                recordedAt: r.recordedAt,
                utcOffset: clock.timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(r.recordedAt))),
                by: r.by,
                source: r.source,
                note: r.note,
                evidence: r.evidence
            )
        }
        switch format {
        case .json:
            Terminal.write(RecordListing.json(listed))
        case .csv:
            Terminal.write(RecordListing.csv(listed))
        case .text:
            var table = TextTable()
            table.add(language.pick(Texts.recordColumns).map { .init($0, .dim) })
            for r in records {
                table.add([
                    .init(String(r.id)), .init(r.plan), .init(r.item), .init(r.period), .init(r.doneOn),
                    .init(r.by ?? ""),
                    .init(Message(zh: r.source.zh, en: r.source.en).text(in: language)),
                    .init(r.evidence.isEmpty ? "" : String(r.evidence.count)),
                    .init(r.note.map { $0.replacingOccurrences(of: "\n", with: " ") } ?? ""),
                ])
            }
            Terminal.write(
                records.isEmpty
                    ? Texts.noRecords.text(in: language)
                    : table.render(colour: Terminal.stdoutIsTTY).joined(separator: "\n") + "\n"
            )
        }
        _ = orphans
    }
}
