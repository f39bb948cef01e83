import Foundation
import Logging
import PlankeeperTestSupport
import Synchronization

/// A fresh directory, removed afterwards.
final class Scratch: Sendable {
    let path: String
    init() throws {
        var template = Array((NSTemporaryDirectory() + "/plankeeper-channels-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.EIO) }
        path = String(cString: made)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path + "/" + name))
    }
}

/// Keeps every log event, for checking what the journal would say.
struct RecordingLogHandler: LogHandler {
    struct Event: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    final class Box: Sendable {
        let events = Mutex<[Event]>([])
        var all: [Event] { events.withLock { $0 } }
    }

    let box: Box
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        box.events.withLock {
            $0.append(
                Event(
                    level: event.level,
                    message: event.message.description,
                    metadata: metadata.merging(event.metadata ?? [:]) { $1 }
                )
            )
        }
    }

    static func logger() -> (Logger, Box) {
        let box = Box()
        return (Logger(label: "test") { _ in RecordingLogHandler(box: box) }, box)
    }
}
