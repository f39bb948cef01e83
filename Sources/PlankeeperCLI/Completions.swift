import Config
import Foundation
import Ledger
import PlanFiles
import PlanFormat
import Scheduling
import Vocabulary
import WorkCalendar

/// What Tab offers for `done` and `undo` (and `records --plan`): the plan
/// ids, item ids and periods of the plans the configuration names.
///
/// The shell runs `plankeeper ---completion …` at each Tab, as whoever
/// types, with the words of the command line so far: the configuration is
/// the one those words name (`--config FILE`), else `$PLANKEEPER_CONFIG`,
/// else the system's. Nothing is printed but the candidates, nothing is
/// written (the ledger is opened read-only, and only when this user may
/// read it), and every failure means "no candidates", never an error.
enum Completions {
    /// Options of `done`/`undo` that take a value: the word after each is
    /// not a positional argument.
    static let valueOptions: Set<String> = [
        "--config", "--lang", "--date", "--by", "--note", "--now", "--plan",
        "--format",
    ]

    static func planIDs(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        guard let context = Context(words: words) else { return [] }
        return context.loaded.catalog.plans.map(\.id).filter { $0.hasPrefix(prefix) }.sorted()
    }

    static func itemIDs(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        guard let context = Context(words: words), let plan = context.plan(positional(words, before: index).first)
        else { return [] }
        return plan.items.map(\.id).filter { $0.hasPrefix(prefix) }
    }

    /// For `done`: the periods of the item that have begun and are not
    /// recorded as done (all that have begun when the ledger is not
    /// readable), the most recent first. For `undo`: the periods that have
    /// a record (or, unreadable, that have begun).
    static func openPeriods(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        periods(words, index, prefix, recorded: false)
    }

    static func recordedPeriods(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        periods(words, index, prefix, recorded: true)
    }

    static func periods(_ words: [String], _ index: Int, _ prefix: String, recorded: Bool) -> [String] {
        let before = positional(words, before: index)
        guard before.count >= 2, let context = Context(words: words), let plan = context.plan(before[0]),
            let item = plan.items.first(where: { $0.id == before[1] })
        else { return [] }
        let today = LocalClock(identifier: context.config.timezone).local(Date()).date
        let begun = context.loaded.expander.occurrences(of: item, in: plan).filter { $0.periodStart <= today }
        var chosen = begun
        if let ledger = Ledger.openReadOnly(folder: context.config.state),
            let counts = try? ledger.completionCounts(plan: plan.id)
        {
            chosen = begun.filter { occurrence in
                let count = counts[occurrence.key, default: 0]
                return recorded ? count > 0 : count < (occurrence.requiredCount?.lowerBound ?? 1)
            }
        }
        return chosen.reversed().map(\.period).filter { $0.hasPrefix(prefix) }
    }

    /// The positional words between the subcommand and the word being
    /// completed, option values left out.
    static func positional(_ words: [String], before index: Int) -> [String] {
        guard let command = words.firstIndex(where: { ["done", "undo", "records"].contains($0) }) else { return [] }
        var result: [String] = []
        var i = command + 1
        while i < min(index, words.count) {
            let word = words[i]
            if valueOptions.contains(word) {
                i += 2
                continue
            }
            if !word.hasPrefix("-") { result.append(word) }
            i += 1
        }
        return result
    }

    /// The configuration and plans the command line names.
    struct Context {
        var config: DaemonConfig
        var loaded: PlanLoader.Loaded

        init?(words: [String]) {
            var path: String?
            for (i, word) in words.enumerated() {
                if word == "--config", i + 1 < words.count { path = words[i + 1] }
                if word.hasPrefix("--config=") { path = String(word.dropFirst("--config=".count)) }
            }
            let env = ProcessInfo.processInfo.environment["PLANKEEPER_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
            let file = NSString(string: path ?? env ?? DaemonConfig.defaultPath).expandingTildeInPath
            guard case .success(let bytes) = PlanLoader.read(file),
                let parsed = DaemonConfig.parse(bytes, path: file).0,
                let loaded = try? PlanLoader.load(paths: [parsed.plans], holidays: parsed.holidays)
            else { return nil }
            config = parsed
            self.loaded = loaded
        }

        func plan(_ id: String?) -> Plan? {
            guard let id else { return nil }
            return loaded.catalog.plans.first { $0.id == id }
        }
    }
}
