import Foundation
import Logging
import Synchronization
@testable import Delivery
import Spool
import Vocabulary

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

/// A transport that, for each message, starts a child (`sleep 60`) which
/// keeps the descriptors of the delivery queue's lock that the pass has
/// open (the `queue` folder or the spool's `.delivery.lock`), close-on-exec or not: what a
/// child forked by another thread holds until it reaches exec. Answers 250.
final class DescriptorKeepingTransport: MailTransport, @unchecked Sendable {
    let name = "descriptor-keeping"
    /// The spool folder, as the kernel names it.
    let spool: String
    private let state = Mutex<(children: [pid_t], kept: Int)>(([], 0))

    init(spool: String) {
        self.spool = URL(fileURLWithPath: spool).resolvingSymlinksInPath().path
    }

    var kept: Int { state.withLock { $0.kept } }

    func send(_ mail: OutgoingMail) -> TransportResult {
        // This thread's pass holds its lock now: find its descriptors.
        let fds = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap {
            entry -> Int32? in
            guard let fd = Int32(entry),
                let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + entry),
                target == spool + "/queue" || target == spool + "/.delivery.lock"
            else { return nil }
            return fd
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 onto itself clears close-on-exec in the child (glibc 2.29+).
        for fd in fds { posix_spawn_file_actions_adddup2(&actions, fd, fd) }
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("60"), nil]
        defer { for arg in argv { free(arg) } }
        guard posix_spawn(&pid, "/bin/sleep", &actions, nil, argv, environ) == 0 else {
            return .temporary(Message(zh: "无法启动", en: "cannot spawn"), systemDown: false)
        }
        state.withLock {
            $0.children.append(pid)
            $0.kept += fds.count
        }
        return .accepted(answer: "250 kept \(fds.count)")
    }

    func stopChildren() {
        for pid in state.withLock({ $0.children }) {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
    }
}
