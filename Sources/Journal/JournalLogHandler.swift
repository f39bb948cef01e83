import CSystemd
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A log handler writing structured entries to the systemd journal over its
/// native protocol, so that `journalctl PLANKEEPER_PLAN=…`, `-p warning` and
/// `-x` (the message catalog) work, which plain stderr lines cannot offer.
///
/// It is a value type like every swift-log handler: level and metadata are
/// per copy. The destination is libsystemd's own process-wide socket, which
/// is thread-safe, so there is no shared state to lock.
///
/// Fields come from ``JournalFields/fields(level:message:metadata:source:file:function:line:identifier:)``
/// and go out with `sd_journal_sendv` (`sd_journal_send` is C-variadic and
/// cannot be called from Swift). Values are raw bytes, so a multi-line Chinese
/// message arrives as one entry.
///
/// When `sd_journal_sendv` fails (a stale socket with no journald behind it
/// gives -ECONNREFUSED, a full buffer -EAGAIN…), the event is written to
/// stderr instead, with the error, so no message is lost silently. Note that
/// libsystemd reports success when the socket does not exist at all: choose
/// this handler only when a journal is there, which is what
/// ``JournalDetection/makeHandler(label:)`` does.
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// The logger's label. Not written to the journal: plankeeper's entries
    /// are told apart by `SYSLOG_IDENTIFIER`, `MESSAGE_ID` and metadata.
    public let label: String
    /// `SYSLOG_IDENTIFIER`, what `journalctl -t` selects on.
    public let identifier: String

    let transport: Transport

    public init(
        label: String,
        identifier: String = "plankeeper",
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) {
        self.init(label: label, identifier: identifier, metadataProvider: metadataProvider, transport: .live)
    }

    init(label: String, identifier: String, metadataProvider: Logger.MetadataProvider?, transport: Transport) {
        self.label = label
        self.identifier = identifier
        self.metadataProvider = metadataProvider
        self.transport = transport
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
        let message = event.message.description
        let fields = JournalFields.fields(
            level: event.level,
            message: message,
            metadata: merged,
            source: event.source,
            file: event.file,
            function: event.function,
            line: event.line,
            identifier: identifier
        )
        let result = transport.send(fields)
        guard result < 0 else { return }

        var withError = merged
        withError["journal_error"] = .string("\(Self.describe(errorNumber: -result)) (\(result))")
        transport.fallback(
            StderrLogHandler.line(
                identifier: identifier,
                pid: Int(getpid()),
                level: event.level,
                message: message,
                metadata: withError
            )
        )
    }

    /// `strerror`, without Foundation.
    static func describe(errorNumber: Int32) -> String {
        guard let text = strerror(errorNumber) else { return "error \(errorNumber)" }
        return String(cString: text)
    }

    /// How entries leave the process: the journal, and stderr when the
    /// journal refuses. A seam so tests can see both without a journald.
    struct Transport: Sendable {
        /// Returns `sd_journal_sendv`'s result: 0, or a negative errno.
        var send: @Sendable ([(String, String)]) -> Int32
        var fallback: @Sendable (String) -> Void

        static let live = Transport(send: JournalLogHandler.sendv, fallback: StandardError.emit)
    }

    /// Sends one entry. Each field is `NAME=value` in one contiguous buffer,
    /// one `iovec` per field: with `sendv` a value may hold newlines or any
    /// byte, which the text form of `sd_journal_print` could not carry.
    @Sendable static func sendv(_ fields: [(String, String)]) -> Int32 {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(fields.reduce(0) { $0 + $1.0.utf8.count + 1 + $1.1.utf8.count })
        var spans: [(offset: Int, count: Int)] = []
        spans.reserveCapacity(fields.count)
        for (name, value) in fields {
            let start = buffer.count
            buffer.append(contentsOf: name.utf8)
            buffer.append(UInt8(ascii: "="))
            buffer.append(contentsOf: value.utf8)
            spans.append((start, buffer.count - start))
        }
        return buffer.withUnsafeMutableBytes { raw -> Int32 in
            guard let base = raw.baseAddress, !spans.isEmpty else { return -EINVAL }
            let vectors = spans.map { iovec(iov_base: base + $0.offset, iov_len: $0.count) }
            return vectors.withUnsafeBufferPointer { pointer in
                sd_journal_sendv(pointer.baseAddress, Int32(clamping: pointer.count))
            }
        }
    }
}
