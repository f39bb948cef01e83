import Foundation
import Logging
import Synchronization
@testable import Delivery
import Spool

/// A transport that answers from a script and counts what it was given.
final class FakeTransport: MailTransport, @unchecked Sendable {
    let name = "fake"
    private let state = Mutex<(answers: [TransportResult], sent: [OutgoingMail])>(([], []))
    let fallback: TransportResult

    init(
        _ answers: [TransportResult] = [],
        otherwise fallback: TransportResult = .accepted(answer: "250 2.0.0 Ok: queued as FAKE")
    ) {
        self.fallback = fallback
        state.withLock { $0.answers = answers }
    }

    func send(_ mail: OutgoingMail) -> TransportResult {
        state.withLock { s in
            s.sent.append(mail)
            return s.answers.isEmpty ? fallback : s.answers.removeFirst()
        }
    }

    var sent: [OutgoingMail] { state.withLock { $0.sent } }
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

/// A message the way `tick` spools it, for one recipient.
func sampleMessage(to address: String, id: String = "1.plankeeper@hospital.example") -> [UInt8] {
    Array(
        ("From: =?UTF-8?B?5YWa5bu65bel5L2c6K6h5YiS5o+Q6YaS?= <plankeeper@hospital.example>\r\n"
            + "To: =?UTF-8?B?546L5LqU?= <\(address)>\r\n"
            + "Subject: =?UTF-8?B?44CQ5YWa5bu65o+Q6YaS44CR?=\r\n"
            + "Message-ID: <\(id)>\r\n"
            + "X-Plankeeper-Plan: surgery-2-2026\r\n"
            + "\r\n"
            + "5oKo5aW977yB\r\n").utf8
    )
}
