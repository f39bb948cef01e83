import ArgumentParser
import Config
import Foundation
import Ledger
import PlanFiles
import Vocabulary
import WorkCalendar

/// `plankeeper prune --before DATE`: the sent-notice audit trail shortened
/// by hand; `retention:` in the configuration does the same every day.
struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "清理旧的发送记录 (delete sent-notice rows before a day; records and evidence stay).",
        discussion: """
            The ledger keeps a row for every notice it sent (about two million a year for a
            city): the audit trail of what went out, when, to whom. prune deletes the rows of
            notices due before DATE, in short transactions, safe while the service runs. The
            records of work done (台账), the evidence files, and what keeps a notice from
            going out twice are never touched. Back up first (plankeeper backup). The space
            is reused by the ledger, not returned to the disk.

            The configuration's `retention:` (e.g. 730d) prunes the same way once a day.

            示例 (examples):
              plankeeper prune --before 2025-01-01 --dry-run
              plankeeper prune --before 2025-01-01
            """
    )

    @OptionGroup var options: ConfigOptions

    @Option(
        help: ArgumentHelp(
            "删除此日期之前的发送记录 (delete the rows of notices due before this day).",
            valueName: "YYYY-MM-DD"
        )
    )
    var before: String

    @Flag(help: "只统计，不删除 (count what would go, delete nothing).")
    var dryRun = false

    func run() throws {
        guard let day = CivilDate(iso: before) else {
            throw ValidationError("--before takes YYYY-MM-DD, not '\(before)'")
        }
        let config = try options.load()
        let language = config.language
        let ledger = try Ledger.openForCLI(config)
        let today = LocalClock(identifier: config.timezone).local(Date()).date
        do {
            if dryRun {
                let count = try ledger.countHandledNotices(before: day.description)
                Terminal.write(
                    Texts.wouldPrune(count, before: day.description).text(in: language)
                )
                return
            }
            let count = try ledger.pruneHandledNotices(before: day.description, today: today.description)
            Terminal.write(
                Texts.pruned(count, before: day.description).text(in: language)
            )
        } catch {
            Terminal.error("plankeeper: error: \(error.message.text(in: language))")
            throw ExitCode(1)
        }
    }
}
