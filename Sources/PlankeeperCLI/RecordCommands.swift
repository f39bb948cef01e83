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
            guard plan != nil, item != nil else { throw ValidationError("give PLAN and ITEM (or --history PLAN|--all)") }
            if all || dryRun { throw ValidationError("--all and --dry-run go with --history") }
        }
    }

    func run() throws {
        if history { return try acknowledgeHistory() }
        guard let plan, let item else { return }
        let config = try options.load()
        let zh = config.language == .zh
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
        let request = RecordRequest(doneOn: doneOn, source: .cli, by: who)
        let addition = try ledger.addRecord(
            NewRecord(plan: plan, item: item, period: chosen.period, doneOn: doneOn.description, by: who, note: note,
                      recordedAt: Int64(instant.timeIntervalSince1970), source: .cli)
        ) { existing in
            RecordRules.check(request, of: chosen, existing: existing.map(ExistingRecord.init), today: today, force: force)
        }
        let record: Record
        let overridden: [RecordRefusal]
        switch addition {
        case .refused(let refusal):
            Terminal.error("plankeeper: error: \(chosen.owner) · \(chosen.title)（\(chosen.period)）：\(zh ? refusal.zh : refusal.en)"
                + (refusal.canBeForced ? (zh ? "；确需登记请加 --force" : "; add --force to record it anyway") : ""))
            throw ExitCode(1)
        case .added(let added, let forced):
            record = added
            overridden = forced
        }
        Logs.bootstrap()
        var metadata: Logger.Metadata = [
            "plankeeper_plan": .string(plan), "plankeeper_item": .string(item), "plankeeper_period": .string(chosen.period),
            "plankeeper_owner": .string(chosen.owner), "plankeeper_due": .string(chosen.due.description),
            "plankeeper_kind": "record", "message_id": .string(MessageID.recordAdded), "plankeeper_source": "cli",
        ]
        if let who { metadata["plankeeper_from"] = .string(who) }
        let logger = Logger(label: "plankeeper")
        if overridden.isEmpty {
            logger.notice("\(zh ? "登记完成" : "recorded done"): \(chosen.owner) · \(chosen.title) (\(chosen.period)) \(doneOn)", metadata: metadata)
        } else {
            metadata["plankeeper_forced"] = .string(overridden.map(\.code).joined(separator: ","))
            logger.warning("\(zh ? "强制登记完成（--force）" : "recorded done with --force"): \(chosen.owner) · \(chosen.title) (\(chosen.period)) \(doneOn): \(overridden.map { zh ? $0.zh : $0.en }.joined(separator: "; "))",
                           metadata: metadata)
        }
        let late = doneOn > chosen.due
        Terminal.write(zh
            ? "已登记：\(chosen.owner) · \(chosen.title)（\(chosen.period)），完成于 \(doneOn)，\(late ? "晚于" : "不晚于")截止日期 \(chosen.due)（记录 #\(record.id)）\n"
            : "recorded: \(chosen.owner) · \(chosen.title) (\(chosen.period)), done \(doneOn), \(late ? "after" : "by") the due date \(chosen.due) (record #\(record.id))\n")
    }
}

extension DoneCommand {
    /// `done --history PLAN|--all`: every unrecorded history occurrence
    /// (`NoticePolicy.unrecordedHistory`) recorded as done on its due date.
    func acknowledgeHistory() throws {
        let config = try options.load()
        let zh = config.language == .zh
        let loaded = try PlanLoader.load(paths: [config.plans], holidays: config.holidays)
        Terminal.print(loaded.diagnostics, language: config.language)
        var plans = loaded.catalog.plans
        if let plan {
            guard plans.contains(where: { $0.id == plan }) else {
                let guess = Suggestion.closest(to: plan, among: plans.map(\.id))
                Terminal.error(zh ? "plankeeper: error: 没有 id 为“\(plan)”的计划\(guess.map { "；您是否想写“\($0)”？" } ?? "")"
                                  : "plankeeper: error: no plan with id '\(plan)'\(guess.map { "; did you mean '\($0)'?" } ?? "")")
                throw ExitCode(1)
            }
            plans = plans.filter { $0.id == plan }
        }
        let ledger = try Ledger.openForCLI(config)
        guard let start = ReportInputs.trackingStart(config) else {
            Terminal.error(zh ? "plankeeper: 尚未开始跟踪（还没有运行过 tick，也没有设置 track-from），没有历史事项"
                              : "plankeeper: tracking has not started (no tick yet, no track-from): there is no history")
            return
        }
        let policy = NoticePolicy(config: config, calendar: loaded.calendar, trackingStart: start)
        var completions: [OccurrenceKey: Int] = [:]
        for (key, count) in try ledger.completionCounts() {
            completions[OccurrenceKey(plan: key.plan, item: key.item, period: key.period)] = count
        }
        let entries = plans.map { NoticePolicy.PlanOccurrences(plan: $0, occurrences: loaded.expander.occurrences(of: $0)) }
        let history = policy.unrecordedHistory(entries, completions: completions)
        let who = by ?? ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"]
        let text = note ?? (zh ? "历史事项，批量确认（跟踪开始于 \(start)）" : "history, acknowledged in bulk (tracking began \(start))")
        let now = Int64(Date().timeIntervalSince1970)
        for o in history {
            let required = o.requiredCount?.lowerBound ?? 1
            Terminal.write("\(o.due)\t\(o.planID)\t\(o.itemID)\t\(o.period)\t\(o.owner) · \(o.title)\n")
            guard !dryRun else { continue }
            for _ in completions[o.key, default: 0]..<required {
                _ = try ledger.addRecord(NewRecord(plan: o.planID, item: o.itemID, period: o.period, doneOn: o.due.description,
                                                   by: who, note: text, recordedAt: now))
            }
        }
        Terminal.error(zh
            ? "\(dryRun ? "将登记" : "已登记") \(history.count) 项历史事项（跟踪开始于 \(start)，截止早于开始前 \(config.catchUpMinutes / 1440) 天）"
            : "\(dryRun ? "would record" : "recorded") \(history.count) history \(history.count == 1 ? "occurrence" : "occurrences") (tracking began \(start); due more than \(config.catchUpMinutes / 1440) days before)")
        if !dryRun && !history.isEmpty {
            Logs.bootstrap()
            Logger(label: "plankeeper").notice("\(zh ? "批量确认历史事项" : "history acknowledged"): \(history.count)", metadata: [
                "plankeeper_kind": "record", "message_id": .string(MessageID.recordAdded),
                "plankeeper_plan": .string(plan ?? "*"),
            ])
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
        let zh = config.language == .zh
        guard let removed = try ledger.removeLatestRecord(plan: plan, item: item, period: period) else {
            Terminal.error(zh ? "plankeeper: error: \(plan)/\(item)/\(period) 没有完成记录" : "plankeeper: error: no record for \(plan)/\(item)/\(period)")
            throw ExitCode(1)
        }
        Logs.bootstrap()
        Logger(label: "plankeeper").notice("\(zh ? "撤销完成登记" : "record removed"): \(plan)/\(item)/\(period)", metadata: [
            "plankeeper_plan": .string(plan), "plankeeper_item": .string(item), "plankeeper_period": .string(period),
            "plankeeper_kind": "record", "message_id": .string(MessageID.recordRemoved), "plankeeper_source": "cli",
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
        let clock = LocalClock(identifier: config.timezone)
        let listed = records.map { r in
            ListedRecord(
                plan: r.plan, item: r.item, period: r.period, doneOn: r.doneOn, recordedAt: r.recordedAt,
                utcOffset: clock.timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(r.recordedAt))),
                by: r.by, source: r.source, note: r.note, evidence: r.evidence)
        }
        switch format {
        case .json:
            Terminal.write(RecordListing.json(listed))
        case .csv:
            Terminal.write(RecordListing.csv(listed))
        case .text:
            var table = TextTable()
            table.add((zh ? ["#", "计划", "事项", "周期", "完成日期", "经办人", "来源", "附件", "备注"]
                          : ["#", "Plan", "Item", "Period", "Done", "By", "Source", "Files", "Note"]).map { .init($0, .dim) })
            for r in records {
                table.add([.init(String(r.id)), .init(r.plan), .init(r.item), .init(r.period), .init(r.doneOn), .init(r.by ?? ""),
                           .init(zh ? r.source.zh : r.source.en), .init(r.evidence.isEmpty ? "" : String(r.evidence.count)),
                           .init(r.note.map { $0.replacingOccurrences(of: "\n", with: " ") } ?? "")])
            }
            Terminal.write(records.isEmpty ? (zh ? "（没有记录）\n" : "(no records)\n") : table.render(colour: Terminal.stdoutIsTTY).joined(separator: "\n") + "\n")
        }
        _ = orphans
    }
}

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "比较两个版本的计划对日程的影响 (show how an edit changes the schedule).",
        discussion: """
            Compares the occurrences of OLD and NEW (files or folders) by plan, item and
            period: + added, - removed, ~ moved or retitled. Exit code 0 when nothing
            changes, 1 when something does, 2 on trouble — like diff(1). The daemon logs the
            same after a reload.

            示例 (example):
              cp /etc/plankeeper/plans/surgery-2-2026.yaml /tmp/new.yaml && vi /tmp/new.yaml
              plankeeper diff /etc/plankeeper/plans/surgery-2-2026.yaml /tmp/new.yaml
            """
    )

    @OptionGroup var common: CommonOptions
    @Argument(help: "原计划 (old plan file or folder).", completion: .file(extensions: ["yaml", "yml"])) var old: String
    @Argument(help: "新计划 (new plan file or folder).", completion: .file(extensions: ["yaml", "yml"])) var new: String

    func run() throws {
        let language = try common.language
        let a = try PlanLoader.load(paths: [old], holidays: common.holidays)
        let b = try PlanLoader.load(paths: [new], holidays: common.holidays)
        Terminal.print(a.diagnostics + b.diagnostics, language: language)
        if b.diagnostics.hasErrors { throw ExitCode(2) }
        let before = a.catalog.plans.flatMap { a.expander.occurrences(of: $0) }
        let after = b.catalog.plans.flatMap { b.expander.occurrences(of: $0) }
        let diff = PlanDiff(old: before, new: after)
        var out = ""
        for change in diff.changes {
            switch change {
            case .added(let o): out += "+ \(o.due) \(o.planID)/\(o.itemID) \(o.period)  \(o.title)\n"
            case .removed(let o): out += "- \(o.due) \(o.planID)/\(o.itemID) \(o.period)  \(o.title)\n"
            case .moved(let x, let y): out += "~ \(x.due) → \(y.due) \(y.planID)/\(y.itemID) \(y.period)  \(y.title)\n"
            case .retitled(let x, let y): out += "~ \(y.due) \(y.planID)/\(y.itemID) \(y.period)  \(x.title) → \(y.title)\n"
            }
        }
        Terminal.write(out)
        Terminal.error(language == .zh ? "\(diff.changes.count) 处变动" : "\(diff.changes.count) change\(diff.changes.count == 1 ? "" : "s")")
        if !diff.isEmpty { throw ExitCode(1) }
    }
}
