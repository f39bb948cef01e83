import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Chooses, once at start-up, where plankeeper's log goes.
///
/// This matters because `sd_journal_sendv` reports success when there is no
/// journal socket at all and the message is simply gone: sending to the
/// journal blindly would lose every line on a machine without journald.
///
/// The rule: `$PLANKEEPER_LOG` when it says `journal` or `stderr`; otherwise
/// the journal handler when journald's socket is there (the only way
/// `sd_journal_sendv` reaches it), and readable stderr lines when it is not.
/// When our stderr is itself a journal stream (`$JOURNAL_STREAM`, as under
/// systemd when the socket is not visible, e.g. with `RootDirectory=`), those
/// lines start with a `<N>` syslog priority, which journald turns into the
/// entry's `PRIORITY`, so `journalctl -p` still works.
public enum JournalDetection {
    /// Where journald listens for native-protocol entries.
    public static let socketPath = "/run/systemd/journal/socket"

    /// Forces the choice: `journal` or `stderr`. Unset, empty, `auto` or
    /// anything else means detect (an unknown value must not silence logs).
    /// Forcing `journal` where there is no socket loses every message.
    public static let overrideVariable = "PLANKEEPER_LOG"

    /// The two places a log can go.
    public enum Destination: String, Sendable, Hashable {
        case journal
        case stderr
    }

    /// Whether a journal is there to receive our log: `$JOURNAL_STREAM` is
    /// set (systemd connected our stderr to the journal: we run as a service)
    /// or journald's socket exists.
    public static func journalAvailable(environment: [String: String]) -> Bool {
        journalAvailable(environment: environment, socketExists: isSocket(atPath: socketPath))
    }

    /// The decision with the file system check passed in, so it is testable.
    static func journalAvailable(environment: [String: String], socketExists: Bool) -> Bool {
        if let stream = environment["JOURNAL_STREAM"], !stream.isEmpty { return true }
        return socketExists
    }

    /// The destination: `$PLANKEEPER_LOG` when it names one, else the journal
    /// when its socket exists. `$JOURNAL_STREAM` alone does not pick the
    /// journal handler: without the socket its entries would vanish, while
    /// stderr does reach the journal through the stream.
    public static func destination(environment: [String: String]) -> Destination {
        destination(environment: environment, socketExists: isSocket(atPath: socketPath))
    }

    static func destination(environment: [String: String], socketExists: Bool) -> Destination {
        let forced = environment[overrideVariable].map { String($0.filter { !$0.isWhitespace }).lowercased() }
        if let forced, let destination = Destination(rawValue: forced) { return destination }
        return socketExists ? .journal : .stderr
    }

    /// A handler for `LoggingSystem.bootstrap(JournalDetection.makeHandler)`,
    /// chosen from this process's environment.
    public static func makeHandler(label: String) -> any LogHandler {
        makeHandler(label: label, environment: processEnvironment)
    }

    /// A handler chosen from the given environment (and the file system).
    public static func makeHandler(label: String, environment: [String: String]) -> any LogHandler {
        makeHandler(
            label: label,
            environment: environment,
            socketExists: isSocket(atPath: socketPath),
            stderrIsJournal: standardErrorIsJournalStream(environment: environment)
        )
    }

    static func makeHandler(
        label: String,
        environment: [String: String],
        socketExists: Bool,
        stderrIsJournal: Bool
    ) -> any LogHandler {
        switch destination(environment: environment, socketExists: socketExists) {
        case .journal: JournalLogHandler(label: label)
        case .stderr: StderrLogHandler(label: label, syslogPriorityPrefix: stderrIsJournal)
        }
    }

    /// The variables the choice depends on, read with `getenv` (this module
    /// does not pull in Foundation for `ProcessInfo`).
    public static var processEnvironment: [String: String] {
        var environment: [String: String] = [:]
        for name in ["JOURNAL_STREAM", overrideVariable] {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        return environment
    }

    /// Whether file descriptor 2 is the journal stream systemd set up:
    /// `$JOURNAL_STREAM` is `DEVICE:INODE` of that stream, and is inherited by
    /// child processes whose stderr may go elsewhere, so it must match
    /// (systemd.exec(5) asks for this check).
    static func standardErrorIsJournalStream(environment: [String: String]) -> Bool {
        guard let expected = environment["JOURNAL_STREAM"].flatMap(parseJournalStream) else { return false }
        var status = stat()
        guard fstat(2, &status) == 0 else { return false }
        return UInt64(status.st_dev) == expected.device && UInt64(status.st_ino) == expected.inode
    }

    /// `DEVICE:INODE`, both decimal, as systemd writes `$JOURNAL_STREAM`.
    static func parseJournalStream(_ text: String) -> (device: UInt64, inode: UInt64)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return nil }
        return (device, inode)
    }

    /// Whether `path` exists and is a socket (a regular file left there would
    /// not take datagrams).
    static func isSocket(atPath path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else { return false }
        return status.st_mode & 0o170000 == 0o140000  // S_IFMT, S_IFSOCK
    }
}
