import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A log handler writing one readable line per event to standard error, for
/// when there is no journal: a shell, a container without journald, or an
/// explicit `PLANKEEPER_LOG=stderr`.
///
/// The line is `plankeeper[PID]: <level>: message key=value ...`, the shape of
/// a classic syslog line, so an admin can read it and `grep` it, and a
/// supervisor that timestamps its children's output keeps it intact. One event
/// is always one line: newlines and other control characters in the message
/// are escaped (`\n`), and values that contain spaces, quotes, `=` or control
/// characters are quoted, so no message can forge a second log line.
public struct StderrLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// The logger's label; not printed (plankeeper uses one identifier for
    /// everything), kept so a handler can be told apart in a debugger.
    public let label: String
    /// The name in front of `[PID]`, as `SYSLOG_IDENTIFIER` in the journal.
    public let identifier: String

    /// Start each line with `<N>`, the syslog priority of its level. Only for
    /// when stderr is a journal stream: journald strips the prefix and makes
    /// it the entry's `PRIORITY` (on a terminal it would be noise).
    public let syslogPriorityPrefix: Bool

    /// Where finished lines go; standard error unless a test captures them.
    let write: @Sendable (String) -> Void

    public init(
        label: String,
        identifier: String = "plankeeper",
        syslogPriorityPrefix: Bool = false,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) {
        self.init(
            label: label,
            identifier: identifier,
            syslogPriorityPrefix: syslogPriorityPrefix,
            metadataProvider: metadataProvider,
            write: StandardError.emit
        )
    }

    init(
        label: String,
        identifier: String,
        syslogPriorityPrefix: Bool = false,
        metadataProvider: Logger.MetadataProvider?,
        write: @escaping @Sendable (String) -> Void
    ) {
        self.label = label
        self.identifier = identifier
        self.syslogPriorityPrefix = syslogPriorityPrefix
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = EventMetadata.merged(
            handler: metadata,
            provider: metadataProvider,
            event: event.metadata,
            error: event.error
        )
        let line = Self.line(
            identifier: identifier,
            pid: Int(getpid()),
            level: event.level,
            message: event.message.description,
            metadata: merged
        )
        guard syslogPriorityPrefix else { return write(line) }
        write("<\(JournalFields.priority(for: event.level, metadata: merged))>" + line)
    }

    /// The formatted line, newline-terminated; pure, so its escaping is
    /// tested. Metadata keys are printed as given, sorted, so the same event
    /// always reads the same.
    public static func line(
        identifier: String,
        pid: Int,
        level: Logger.Level,
        message: String,
        metadata: Logger.Metadata
    ) -> String {
        var line = "\(identifier)[\(pid)]: \(level.rawValue): \(escaped(message))"
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            line += " \(quotedIfNeeded(key))=\(quotedIfNeeded(JournalFields.stringify(value)))"
        }
        return line + "\n"
    }

    /// Control characters as C-style escapes; everything else, Chinese
    /// included, unchanged so the line stays readable. Inside quotes, `"` and
    /// `\` are escaped too.
    static func escaped(_ text: String, quoting: Bool = false) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\"" where quoting: result += "\\\""
            case "\\" where quoting: result += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A key or value as one token: bare when it is plain, otherwise in
    /// double quotes, so `key=value` pairs split unambiguously.
    static func quotedIfNeeded(_ text: String) -> String {
        let needsQuotes =
            text.isEmpty
            || text.unicodeScalars.contains {
                $0.value <= 0x20 || $0.value == 0x7F || $0 == "\"" || $0 == "=" || $0 == "\\"
                    || $0.properties.isWhitespace
            }
        return needsQuotes ? "\"" + escaped(text, quoting: true) + "\"" : text
    }
}

/// Writes to file descriptor 2 with `write(2)` directly: one system call per
/// line (retried only for partial writes and EINTR), so lines from several
/// threads do not interleave mid-line, with no buffering to lose at exit and
/// no lock needed.
enum StandardError {
    @Sendable static func emit(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { raw in
            guard var pointer = raw.baseAddress else { return }
            var remaining = raw.count
            while remaining > 0 {
                let written = write(2, pointer, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // stderr is gone: nowhere left to report to.
                }
                remaining -= written
                pointer += written
            }
        }
    }
}
