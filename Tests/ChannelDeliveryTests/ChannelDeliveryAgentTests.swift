import Channels
import Diagnostics
import Foundation
import Ledger
import Logging
import PlankeeperTestSupport
import Synchronization
import Testing
import Vocabulary
@testable import Delivery

/// A service behind a closure: answers chosen per request, every request kept.
final class ScriptedService: Sendable {
    let state = Mutex<(requests: [HTTPRequest], answer: @Sendable (HTTPRequest, Int) -> HTTPResult)>(
        ([], { _, _ in .failure(HTTPFailure(.connect, "no script")) })
    )

    init(_ answer: @escaping @Sendable (HTTPRequest, Int) -> HTTPResult) {
        state.withLock { $0.answer = answer }
    }

    func perform(_ request: HTTPRequest) -> HTTPResult {
        state.withLock { s in
            s.requests.append(request)
            return s.answer(request, s.requests.count)
        }
    }

    func script(_ answer: @escaping @Sendable (HTTPRequest, Int) -> HTTPResult) {
        state.withLock { $0.answer = answer }
    }
    var requests: [HTTPRequest] { state.withLock { $0.requests } }

    static let ok: HTTPResult = .response(status: 200, body: Array(#"{"errcode":0,"errmsg":"ok"}"#.utf8))
    static func code(_ n: Int, _ msg: String = "x") -> HTTPResult {
        .response(status: 200, body: Array(#"{"errcode":\#(n),"errmsg":"\#(msg)"}"#.utf8))
    }
}

@Suite struct ChannelDeliveryAgentTests {
    let scratch = try! Scratch()
    let ledger = try! Ledger.inMemory()
    let robot = try! DingTalkRobotChannel(
        settings: ChannelSettings(
            name: "外科第二党支部群",
            kind: "dingtalk-robot",
            location: SourceLocation(file: "plankeeper.yaml", line: 23, column: 5),
            url: "http://127.0.0.1:9/robot/send"
        )
    )

    func agent(
        _ service: ScriptedService,
        channel: (any Channel)? = nil,
        secrets: ChannelSecretSources? = nil,
        environment: [String: String] = [:]
    ) -> (ChannelDeliveryAgent, RecordingLogHandler.Box) {
        let (logger, box) = RecordingLogHandler.logger()
        let secretSources =
            secrets
            ?? ChannelSecretSources(token: .file(scratch.path + "/token"), secret: .file(scratch.path + "/secret"))
        return (
            ChannelDeliveryAgent(
                channel: channel ?? robot,
                secrets: secretSources,
                environment: environment,
                ledger: ledger,
                lockPath: scratch.path + "/outbox.lock",
                retry: RetryPolicy(),
                logger: logger,
                perform: service.perform
            ), box
        )
    }

    init() throws {
        try scratch.write("token", "ding-token-SECRET\n")
        try scratch.write("secret", "SECabc\n")
    }

    /// `n` messages through `channel`, written by a tick at `at`.
    func enqueue(
        _ n: Int,
        through channel: some Channel,
        to recipient: ChannelRecipient = .group(name: "g", mentions: []),
        at: Int64 = 0,
        prefix: String = "m"
    ) throws {
        let entries = (0..<n).map { i -> OutboxEntry in
            let message = ChannelMessage(
                kind: .reminder,
                title: "提醒 \(prefix)\(i)",
                lines: ["第 \(i) 条"],
                noticeKey: "k/\(prefix)\(i)"
            )
            let r = channel.render(message, to: recipient)
            return OutboxEntry(
                id: "\(prefix)\(i)",
                channel: channel.settings.name,
                channelKind: type(of: channel).kind,
                destination: r.destination,
                recipient: recipient.label,
                noticeKey: "k/\(prefix)\(i)",
                noticeKind: "reminder",
                plan: "surgery-2-2026",
                item: "committee",
                period: "2026-11",
                summary: r.summary,
                body: r.body,
                createdAt: at
            )
        }
        try ledger.enqueueOutbox(entries)
    }

    func states() throws -> [String: OutboxEntry.State] {
        Dictionary(uniqueKeysWithValues: try ledger.outboxEntries().map { ($0.id, $0.state) })
    }

    @Test func fortyFiveMessagesGoTwentyAMinuteAcrossProcesses() throws {
        try enqueue(45, through: robot)
        let service = ScriptedService { _, _ in ScriptedService.ok }
        // Each pass a new agent, as each `plankeeper deliver` is a new process.
        let first = try agent(service).0.run(now: { 1000 })
        #expect(first.delivered.count == 20)
        #expect(first.waiting == 25)
        #expect(first.nextAttempt == 1061)
        #expect(try agent(service).0.run(now: { 1060 }).delivered.isEmpty)
        #expect(try agent(service).0.run(now: { 1061 }).delivered.count == 20)
        let last = try agent(service).0.run(now: { 1122 })
        #expect(last.delivered.count == 5 && last.waiting == 0 && last.nextAttempt == nil)
        #expect(service.requests.count == 45)
        #expect(try states().values.allSatisfy { $0 == .sent })
        // In the order written.
        let titles = service.requests.compactMap { JSONReader.parse($0.body)?["markdown"]?["title"]?.string }
        #expect(titles == (0..<45).map { "提醒 m\($0)" })
        // Signed with the secret from the file, the secret not in the log.
        #expect(service.requests[0].url.contains("access_token=ding-token-SECRET&timestamp=1000000&sign="))
    }

    @Test func aServiceDownBacksOffEveryMessageThenDeliversEachOnce() throws {
        try enqueue(5, through: robot)
        let service = ScriptedService { _, _ in .failure(HTTPFailure(.connect, "Connection refused")) }
        let (a, box) = agent(service)
        let down = try a.run(now: { 0 })
        #expect(service.requests.count == 1)  // one probe, the rest not tried
        #expect(down.deferred.count == 5)
        #expect(down.nextAttempt == 30)
        #expect(
            try ledger.outboxEntries().allSatisfy {
                $0.state == .queued && $0.nextAttempt == 30 && $0.firstFailure == 0
            }
        )
        #expect(
            box.all.contains { $0.level == .warning && $0.message.contains("无法连接") && $0.message.contains("30 秒后重试") }
        )
        #expect(
            !box.all.contains {
                $0.message.contains("ding-token-SECRET") || "\($0.metadata)".contains("ding-token-SECRET")
            }
        )
        // Before the back-off: nothing tried.
        #expect(try a.run(now: { 29 }).deferred.isEmpty)
        #expect(service.requests.count == 1)
        // Still down: 60 s next.
        let again = try a.run(now: { 30 })
        #expect(again.nextAttempt == 90)
        service.script { _, _ in ScriptedService.ok }
        let up = try a.run(now: { 90 })
        #expect(up.delivered.count == 5)
        #expect(service.requests.count == 1 + 1 + 5)
        #expect(try ledger.outboxEntries().allSatisfy { $0.state == .sent })
        #expect(try a.run(now: { 4000 }).delivered.isEmpty)
    }

    @Test func tooFastHoldsTheRobotTenMinutesWithoutCountingAnAttempt() throws {
        try enqueue(3, through: robot)
        let service = ScriptedService { _, n in
            n == 2 ? ScriptedService.code(130101, "send too fast") : ScriptedService.ok
        }
        let (a, box) = agent(service)
        let r = try a.run(now: { 100 })
        #expect(r.delivered.count == 1 && r.held.count == 1)
        #expect(r.nextAttempt == 700)
        let held = try ledger.outboxEntries().filter { $0.state == .queued }
        #expect(
            held.count == 2 && held.allSatisfy { $0.nextAttempt == 700 && $0.firstFailure == nil && $0.attempts == 0 }
        )
        #expect(box.all.contains { $0.message.contains("限流 10 分钟") })
        #expect(try agent(service).0.run(now: { 699 }).delivered.isEmpty)
        #expect(try agent(service).0.run(now: { 700 }).delivered.count == 2)
    }

    @Test func aRefusalIsGivenUpNamingTheConfigLine() throws {
        try enqueue(2, through: robot)
        let service = ScriptedService { _, n in
            n == 1 ? ScriptedService.code(310000, "sign not match") : ScriptedService.ok
        }
        let (a, box) = agent(service)
        let r = try a.run(now: { 0 })
        #expect(r.failed.count == 1 && r.delivered.count == 1)
        #expect(try states() == ["m0": .failed, "m1": .sent])
        let error = try #require(box.all.first { $0.level == .error })
        #expect(error.message.contains("钉钉群机器人“外科第二党支部群”（plankeeper.yaml:23:5）"))
        #expect(error.metadata["plankeeper_channel"] == "外科第二党支部群")
        #expect(error.metadata["message_id"] == .string(ChannelMessageID.failed))
        #expect(error.metadata["plankeeper_plan"] == "surgery-2-2026")
        // Given up is final: never sent again.
        _ = try a.run(now: { 10_000 }, retryNow: true)
        #expect(service.requests.count == 2)
    }

    @Test func givenUpAfterThreeDaysOfFailures() throws {
        try enqueue(1, through: robot)
        let service = ScriptedService { _, _ in .response(status: 503, body: []) }
        let (a, _) = agent(service)
        var t: Int64 = 0
        var failed = 0
        while t < 4 * 86400 {
            let r = try a.run(now: { t })
            failed += r.failed.count
            guard let next = r.nextAttempt else { break }
            t = next
        }
        #expect(failed == 1)
        let entry = try #require(try ledger.outboxEntries().first)
        #expect(entry.state == .failed)
        #expect(entry.lastReason?.contains("放弃发送") == true)
        #expect(t >= 3 * 86400 && t < 3 * 86400 + 3601)
    }

    @Test func inFlightAfterACrashIsUncertainNotResentUnlessAsked() throws {
        try enqueue(2, through: robot)
        // A process claimed m0 and died in its request.
        #expect(try ledger.claimOutbox("m0", at: 50))
        let service = ScriptedService { _, _ in ScriptedService.ok }
        let (a, box) = agent(service)
        let r = try a.run(now: { 60 })
        #expect(r.recovered == 1 && r.uncertain.map(\.id) == ["m0"])
        #expect(r.delivered.map(\.id) == ["m1"])
        #expect(try states() == ["m0": .uncertain, "m1": .sent])
        #expect(box.all.contains { $0.level == .error && $0.message.contains("--resend-uncertain") })
        _ = try a.run(now: { 100 })
        #expect(service.requests.count == 1)
        let resent = try a.run(now: { 200 }, resendUncertain: true)
        #expect(resent.delivered.map(\.id) == ["m0"])
        #expect(try states() == ["m0": .sent, "m1": .sent])
    }

    @Test func theWeComAppResendsWithinItsDuplicateWindow() throws {
        let app = try WeComAppChannel(
            settings: ChannelSettings(
                name: "应用",
                kind: "wecom-app",
                location: SourceLocation(file: "c.yaml", line: 1, column: 1),
                url: "http://s/cgi-bin",
                options: [
                    "corp-id": .init("ww01", at: SourceLocation(file: "c.yaml", line: 2, column: 1)),
                    "agent-id": .init("1000002", at: SourceLocation(file: "c.yaml", line: 3, column: 1)),
                ]
            )
        )
        try enqueue(1, through: app, to: .person(id: "wangwu", name: "王五", handle: "wangwu"), prefix: "a")
        try enqueue(1, through: app, to: .person(id: "lisi", name: "李四", handle: "lisi"), prefix: "b")
        #expect(try ledger.claimOutbox("a0", at: 0))
        #expect(try ledger.claimOutbox("b0", at: 0))
        let service = ScriptedService { request, _ in
            request.method == .get
                ? .response(
                    status: 200,
                    body: Array(#"{"errcode":0,"errmsg":"ok","access_token":"T","expires_in":7200}"#.utf8)
                )
                : ScriptedService.ok
        }
        let (a, _) = agent(
            service,
            channel: app,
            secrets: ChannelSecretSources(secret: .file(scratch.path + "/secret"))
        )
        // a0 found 1,000 s after its claim: within 1,800 s, sent again. Then b0 at 2,000 s: uncertain.
        let r = try a.run(now: { 1000 })
        #expect(r.delivered.map(\.id).sorted() == ["a0", "b0"])
        #expect(service.requests.map(\.method) == [.get, .post, .post])  // one token for both
        try enqueue(1, through: app, to: .person(id: "wangwu", name: "王五", handle: "wangwu"), prefix: "c")
        #expect(try ledger.claimOutbox("c0", at: 1000))
        let late = try a.run(now: { 2801 })
        #expect(late.uncertain.map(\.id) == ["c0"])
    }

    @Test func aMissingSecretDefersEverythingWithoutARequest() throws {
        try enqueue(3, through: robot)
        let service = ScriptedService { _, _ in ScriptedService.ok }
        let (a, box) = agent(service, secrets: ChannelSecretSources(token: .credential("ding-token")))
        let r = try a.run(now: { 0 })
        #expect(service.requests.isEmpty)
        #expect(r.deferred.count == 3)
        #expect(box.all.contains { $0.message.contains("$CREDENTIALS_DIRECTORY") && $0.message.contains("外科第二党支部群") })
        // With the credential: delivered.
        try FileManager.default.createDirectory(atPath: scratch.path + "/creds", withIntermediateDirectories: true)
        try scratch.write("creds/ding-token", "tok\n")
        let (b, _) = agent(
            service,
            secrets: ChannelSecretSources(token: .credential("ding-token")),
            environment: ["CREDENTIALS_DIRECTORY": scratch.path + "/creds"]
        )
        #expect(try b.run(now: { 30 }).delivered.count == 3)
        #expect(service.requests.first?.url == "http://127.0.0.1:9/robot/send?access_token=tok")
    }

    @Test func aSecondRunnerFindsTheChannelBusy() throws {
        try enqueue(1, through: robot)
        let fd = open(scratch.path + "/outbox.lock", O_RDWR | O_CREAT, 0o600)
        #expect(flock(fd, LOCK_EX) == 0)
        let service = ScriptedService { _, _ in ScriptedService.ok }
        // Another process holds the lock: flock is per open file, so a second open in this process stands for it.
        #expect(try agent(service).0.run(now: { 0 }).busy)
        close(fd)
        #expect(try agent(service).0.run(now: { 0 }).delivered.count == 1)
    }

    @Test func aStopRequestLeavesTheRestQueued() throws {
        try enqueue(4, through: robot)
        let service = ScriptedService { _, _ in ScriptedService.ok }
        let calls = Mutex(0)
        let r = try agent(service).0.run(
            now: { 0 },
            shouldContinue: {
                calls.withLock {
                    $0 += 1
                    return $0 <= 2
                }
            }
        )
        #expect(r.stopped && r.delivered.count == 2 && r.waiting == 2)
        #expect(try states().values.filter { $0 == .queued }.count == 2)
    }
}

@Suite struct ChannelCatalogTests {
    @Test func catalogHasTheChannelMessageIDs() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let catalog = try String(contentsOf: root.appendingPathComponent("systemd/plankeeper.catalog"), encoding: .utf8)
        for id in [
            ChannelMessageID.delivered, ChannelMessageID.deferred, ChannelMessageID.failed, ChannelMessageID.uncertain,
        ] {
            #expect(catalog.contains("-- " + id + "\n"), "\(id) has no catalog entry")
            #expect(catalog.contains("-- " + id + " zh_CN\n"), "\(id) has no Chinese catalog entry")
        }
    }
}
