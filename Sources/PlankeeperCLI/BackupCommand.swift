import ArgumentParser
import Config
import Evidence
import Foundation
import Ledger
import PlanFiles
import Vocabulary
import WorkCalendar

/// `plankeeper backup DEST`: the ledger and the evidence files, copied while
/// the service runs, into a folder that can be carried away and restored.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "备份台账和证据文件 (back up the ledger and the evidence files; safe while the service runs).",
        discussion: """
            Copies the ledger (台账: the records, the sent notices, what each reminder has
            done) with SQLite's online backup: one consistent snapshot, taken while the
            service and `plankeeper done` go on writing. The copy is DEST/plankeeper.sqlite,
            one self-contained file that passed SQLite's integrity check; the evidence files
            kept with records (attachments of replies) are copied to DEST/evidence/. DEST is
            made (mode 0700: the ledger names people); a backup already there is never
            overwritten.

            With --dated the backup goes to DEST/YYYY-MM-DD (today in the configuration's
            time zone; a second run the same day replaces that day's once the new one is
            complete), and --keep N then removes all but the newest N dated backups: what
            plankeeper-backup.timer runs (disabled until you enable it).

            Restore: stop the service, copy plankeeper.sqlite and evidence/ into the state
            folder (owner plankeeper, mode 0600), start it (operations.md).

            示例 (examples):
              plankeeper backup /media/usb/plankeeper-2026-12-05
              plankeeper backup --dated --keep 14 /var/backups/plankeeper
            """
    )

    @OptionGroup var options: ConfigOptions

    @Argument(
        help: ArgumentHelp("备份文件夹 (the folder to write the backup to).", valueName: "DEST"),
        completion: .directory
    )
    var destination: String

    @Flag(help: "写入 DEST/YYYY-MM-DD (back up into a folder named after today, inside DEST).")
    var dated = false

    @Option(
        help: ArgumentHelp(
            "只保留最新的 N 份按日备份 (with --dated: keep the newest N dated backups).",
            valueName: "N"
        )
    )
    var keep: Int?

    func validate() throws {
        if let keep, keep < 1 { throw ValidationError("--keep must be 1 or more, not \(keep)") }
        if keep != nil && !dated { throw ValidationError("--keep needs --dated (it removes old dated backups)") }
    }

    func run() throws {
        let config = try options.load()
        let language = config.language
        umask(0o077)
        let ledger = try Ledger.openForCLI(config)
        let today = LocalClock(identifier: config.timezone).local(Date()).date
        let target = dated ? destination + "/" + today.description : destination
        let work = dated ? destination + "/.\(today.description).partial-\(getpid())" : destination
        do {
            try FileManager.default.createDirectory(
                atPath: work,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            Terminal.error(
                "plankeeper: error: \(Texts.cannotCreateBackupFolder.text(in: language)) \(work): \(error.localizedDescription)"
            )
            throw ExitCode(1)
        }
        let summary: Ledger.BackupSummary
        let copied: Int
        do {
            summary = try ledger.backup(to: work + "/" + Ledger.fileName)
            copied = try Self.copyEvidence(from: config.state, to: work)
        } catch let error as LedgerError {
            if dated { try? FileManager.default.removeItem(atPath: work) }
            Terminal.error("plankeeper: error: \(error.message.text(in: language))")
            throw ExitCode(1)
        } catch {
            if dated { try? FileManager.default.removeItem(atPath: work) }
            Terminal.error("plankeeper: error: \(Texts.cannotCopyEvidence.text(in: language)): \(error)")
            throw ExitCode(1)
        }
        let store = EvidenceStore(stateDirectory: work)
        let missing = summary.evidenceDigests.filter { digest in
            store.path(sha256: digest).map { !FileManager.default.fileExists(atPath: $0) } ?? true
        }
        if dated {
            try Self.replace(target, with: work)
            if let keep { Self.prune(destination, keeping: keep) }
        }
        let megabytes = String(format: "%.1f", Double(summary.bytes) / 1_048_576)
        Terminal.write(
            Texts.backedUp(
                to: target,
                records: summary.records,
                handledNotices: summary.handledNotices,
                evidence: copied,
                megabytes: megabytes
            ).text(in: language)
        )
        if !missing.isEmpty {
            Terminal.error(
                Texts.evidenceMissing(count: missing.count, example: missing.sorted()[0]).text(in: language)
            )
            throw ExitCode(1)
        }
    }

    /// Copies `<state>/evidence/XX/…` (content-addressed, never changed once
    /// written) into `<destination>/evidence/`, leaving out the store's
    /// `tmp/` of files being written. Returns how many files are there.
    static func copyEvidence(from state: String, to destination: String) throws -> Int {
        let source = EvidenceStore(stateDirectory: state).directory
        let target = EvidenceStore(stateDirectory: destination).directory
        let fm = FileManager.default
        guard let folders = try? fm.contentsOfDirectory(atPath: source) else { return 0 }
        var count = 0
        for folder in folders.sorted() where folder.count == 2 && folder.allSatisfy(\.isHexDigit) {
            let names = (try? fm.contentsOfDirectory(atPath: source + "/" + folder)) ?? []
            try fm.createDirectory(
                atPath: target + "/" + folder,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
            for name in names where !name.hasPrefix(".") {
                let to = target + "/" + folder + "/" + name
                if !fm.fileExists(atPath: to) {
                    try fm.copyItem(atPath: source + "/" + folder + "/" + name, toPath: to)
                }
                count += 1
            }
        }
        return count
    }

    /// Puts the finished backup `work` in place of `target`, keeping the old
    /// one until the new one is there.
    static func replace(_ target: String, with work: String) throws {
        let fm = FileManager.default
        let old = target + ".old-\(getpid())"
        if fm.fileExists(atPath: target) { try fm.moveItem(atPath: target, toPath: old) }
        try fm.moveItem(atPath: work, toPath: target)
        try? fm.removeItem(atPath: old)
    }

    /// Removes all but the newest `keep` dated backups (folders named
    /// YYYY-MM-DD) in `folder`; anything else there is left alone.
    static func prune(_ folder: String, keeping keep: Int) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { CivilDate(iso: $0) != nil }
            .sorted()
        for name in names.dropLast(keep) {
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
    }
}
