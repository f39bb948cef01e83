import ArgumentParser
import Config
import Diagnostics
import Foundation
import Ledger
import PlanFiles
import PlanFormat
import Reports
import Scheduling
import Vocabulary
import WorkCalendar

/// Options shared by the commands that look at plans and records together
/// (`status`, `agenda`, `report`, `ics`).
///
/// Plans come from PATH arguments when given, else from the configuration's
/// `plans:` folder. Records come from the configuration's ledger (`state:`)
/// whenever a configuration is named (`--config` or `$PLANKEEPER_CONFIG`), so
/// an administrator can look at a copy of the plans against the live records,
/// and a secretary can look at a plan file with no service installed at all.
struct ReportInputOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "配置文件，用于读取计划目录和完成记录 (configuration: plan folder and the records ledger; default $PLANKEEPER_CONFIG, or /etc/plankeeper/plankeeper.yaml when no PATH is given).",
            valueName: "FILE"
        ),
        completion: .file(extensions: ["yaml", "yml"])
    )
    var config: String?

    @Option(
        name: .long,
        help: "输出语言 zh 或 en (output language; default $PLANKEEPER_LANG, the config's language, else zh).",
        completion: .list(["zh", "en"])
    )
    var lang: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "管理员节假日目录 (admin holiday folder; default: the config's, $PLANKEEPER_HOLIDAYS or /etc/plankeeper/holidays).",
            valueName: "DIR"
        ),
        completion: .directory
    )
    var holidays: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "假定今天是这一天 (pretend today is this day; default: today in the config's time zone, else Asia/Shanghai).",
            valueName: "YYYY-MM-DD"
        )
    )
    var now: String?

    /// `--now` must be a real day in a plausible range: a typo such as
    /// `20266-01-01` would otherwise make every working-day count walk
    /// millions of days.
    func validate() throws {
        if let now {
            guard let d = CivilDate(iso: now) else {
                throw ValidationError("--now takes a date YYYY-MM-DD, not '\(now)'")
            }
            guard (1900...2200).contains(d.year) else {
                throw ValidationError("--now must lie between 1900 and 2200, not '\(now)'")
            }
        }
        if let lang, Language(identifier: lang) == nil {
            throw ValidationError("--lang must be zh or en, not '\(lang)'")
        }
    }
}

/// Plans, calendar, records and "today", read once for a reporting command.
struct ReportInputs {
    var plans: [Plan]
    var calendar: WorkdayCalendar
    var completions: [Completion]
    var config: DaemonConfig?
    var language: Language
    var today: CivilDate
    /// A plan had an error (reported on stderr, left out): exit 1 at the end.
    var hadErrors: Bool

    var expander: ScheduleExpander { ScheduleExpander(calendar: calendar) }
    var occurrences: [Occurrence] { plans.flatMap { expander.occurrences(of: $0) } }
    var clock: LocalClock { LocalClock(identifier: config?.timezone ?? "Asia/Shanghai") }

    /// Per plan id, the organisation units above its owner (from a roster),
    /// for reports that keep same-named branches of two hospitals apart and
    /// total each hospital.
    var units: [String: [String]] {
        var out: [String: [String]] = [:]
        for p in plans where !p.units.isEmpty { out[p.id] = p.units }
        return out
    }

    /// - Parameter needsRecords: false for `ics`, which shows deadlines only.
    static func load(paths: [String], options: ReportInputOptions, needsRecords: Bool = true) throws -> ReportInputs {
        let env = ProcessInfo.processInfo.environment
        let named = options.config ?? env["PLANKEEPER_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        var config: DaemonConfig?
        if let named {
            config = try loadConfig(named, explicit: true)
        } else if paths.isEmpty {
            config = try loadConfig(DaemonConfig.defaultPath, explicit: false)
        }
        var language: Language = config?.language ?? .zh
        if let chosen = options.lang ?? env["PLANKEEPER_LANG"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let l = Language(identifier: chosen) else {
                throw ValidationError("--lang must be zh or en, not '\(chosen)'")
            }
            language = l
        }
        let planPaths = paths.isEmpty ? [config?.plans ?? "/etc/plankeeper/plans"] : paths
        let holidays = options.holidays ?? config?.holidays
        let loaded = try PlanLoader.load(paths: planPaths, holidays: holidays)
        Terminal.print(loaded.diagnostics, language: language)

        var completions: [Completion] = []
        if needsRecords, let config {
            completions = try readRecords(config, language: language)
        } else if needsRecords {
            Terminal.error(Texts.noRecordsRead.text(in: language))
        }
        let clock = LocalClock(identifier: config?.timezone ?? "Asia/Shanghai")
        let today = options.now.flatMap { CivilDate(iso: $0) } ?? clock.local(Date()).date
        return ReportInputs(
            plans: loaded.catalog.plans,
            calendar: loaded.calendar,
            completions: completions,
            config: config,
            language: language,
            today: today,
            hadErrors: loaded.diagnostics.hasErrors
        )
    }

    /// Reads and validates a configuration, printing its diagnostics in the
    /// `FILE:LINE:COLUMN` form; a missing default file is a usage error that
    /// says what to pass instead.
    static func loadConfig(_ path: String, explicit: Bool) throws -> DaemonConfig {
        guard FileManager.default.fileExists(atPath: path) else {
            if explicit { throw UsageError(description: "\(path): no such configuration file（配置文件不存在）") }
            throw UsageError(
                description:
                    "no configuration at \(path): pass plan files or folders, or --config FILE（请给出计划文件或 --config）"
            )
        }
        let bytes: [UInt8]
        switch PlanLoader.read(path) {
        case .success(let b): bytes = b
        case .failure(let d):
            Terminal.print([d], language: .zh)
            throw ExitCode(1)
        }
        let (parsed, diagnostics) = DaemonConfig.parse(bytes, path: path)
        Terminal.print(diagnostics, language: parsed?.language ?? .zh)
        guard let config = parsed else { throw ExitCode(1) }
        return config
    }

    /// The ledger's records as completions. A ledger that does not exist yet
    /// (the service never ran, nobody recorded anything) means no records;
    /// it is not created by a command that only reads.
    static func readRecords(_ config: DaemonConfig, language: Language) throws -> [Completion] {
        let file = (config.state as NSString).appendingPathComponent(Ledger.fileName)
        guard FileManager.default.fileExists(atPath: file) else { return [] }
        let records: [Record]
        do {
            records = try Ledger.open(folder: config.state).records()
        } catch {
            Terminal.error("plankeeper: error: \(error)")
            throw ExitCode(1)
        }
        var out: [Completion] = []
        for r in records {
            guard let date = CivilDate(iso: r.doneOn) else {
                Terminal.error(Texts.invalidRecordDate(id: r.id, date: r.doneOn).text(in: language))
                continue
            }
            out.append(
                Completion(
                    plan: r.plan,
                    item: r.item,
                    period: r.period,
                    doneOn: date,
                    by: r.by,
                    note: r.note,
                    source: r.source,
                    evidence: r.evidence.count
                )
            )
        }
        return out
    }

    /// Keeps the plans of one owner; an unknown owner is an error that lists
    /// the owners there are, suggesting one that contains what was typed
    /// (`外科二支部` → `外科第二党支部`), else the closest by spelling.
    mutating func filter(owner: String?) throws {
        guard let owner else { return }
        let kept = plans.filter { $0.owner == owner }
        if kept.isEmpty {
            var owners: [String] = []
            for p in plans where !owners.contains(p.owner) { owners.append(p.owner) }
            func isSubsequence(_ a: String, of b: String) -> Bool {
                var rest = Substring(b)
                for c in a {
                    guard let i = rest.firstIndex(of: c) else { return false }
                    rest = rest[rest.index(after: i)...]
                }
                return true
            }
            let guess = owners.first { isSubsequence(owner, of: $0) } ?? Suggestion.closest(to: owner, among: owners)
            Terminal.error(Texts.noOwner(owner, guess: guess, owners: owners).text(in: language))
            throw ExitCode(1)
        }
        plans = kept
    }
}
