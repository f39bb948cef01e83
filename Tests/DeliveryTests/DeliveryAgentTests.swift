import Foundation
import Logging
import PlankeeperTestSupport
import Synchronization
import Testing
@testable import Delivery
import Spool
import Vocabulary

/// The claim / send / record state machine on a real spool folder, with a
/// scripted transport in place of the MTA (the real MTAs are in
/// Tests/mail/run.sh).
@Suite struct DeliveryAgentTests {
    let t0: Int64 = 1_795_000_000
    /// Owned by the suite instance, which lives as long as its test: the
    /// folder must outlast every use of the spool inside it.
    let scratch: Scratch

    init() throws { scratch = try Scratch() }

    func setup(
        _ transport: FakeTransport,
        retry: RetryPolicy = RetryPolicy()
    )
        throws -> (Scratch, Spool, DeliveryAgent, RecordingLogHandler.Box)
    {
        let dir = scratch
        let spool = try Spool(directory: dir.path)
        let (logger, box) = RecordingLogHandler.logger()
        let agent = DeliveryAgent(spool: spool, transport: transport, retry: retry, logger: logger)
        return (dir, spool, agent, box)
    }

    func spoolOne(
        _ spool: Spool,
        _ name: String = "p_i_2026-11_reminder_7d_0000000000000001",
        to address: String = "wangwu@hospital.example"
    ) throws -> String {
        #expect(try spool.spool(name: name, bytes: sampleMessage(to: address, id: name + "@x")) == .written)
        return name
    }

    @Test func deliveredMessageMovesToCurWithItsRecord() throws {
        let transport = FakeTransport()
        let (dir, spool, agent, log) = try setup(transport)
        let name = try spoolOne(spool)

        let report = try agent.run(now: { t0 })
        #expect(report.delivered.map(\.name) == [name])
        #expect(report.deferred.isEmpty && report.failed.isEmpty && report.nextAttempt == nil)
        #expect(transport.sent.map(\.recipients) == [["wangwu@hospital.example"]])
        #expect(transport.sent.first?.sender == "plankeeper@hospital.example")
        #expect(transport.sent.first?.bytes == sampleMessage(to: "wangwu@hospital.example", id: name + "@x"))
        #expect(dir.names("new").isEmpty && dir.names("queue").isEmpty)
        #expect(dir.names("cur") == ["." + name + ".delivered", name + ":2,S"])
        let record = try #require(dir.read("cur/." + name + ".delivered"))
        #expect(record.contains("delivered-at: 2026-11-18T11:06:40Z\n"))
        #expect(record.contains("answer: 250 2.0.0 Ok: queued as FAKE\n"))
        #expect(record.contains("recipients: wangwu@hospital.example\n"))
        // tick must see it as spooled, so it is never written again
        #expect(spool.contains(name: name))
        #expect(try spool.spool(name: name, bytes: [1]) == .alreadySpooled)

        let event = try #require(log.all.first { $0.metadata["message_id"] == .string(DeliveryMessageID.delivered) })
        #expect(event.level == .notice)
        #expect(event.message == "已投递：【党建提醒】 → wangwu@hospital.example（250 2.0.0 Ok: queued as FAKE）")
        #expect(event.metadata["plankeeper_recipient"] == "wangwu@hospital.example")
        #expect(event.metadata["plankeeper_plan"] == "surgery-2-2026")

        // A second pass has nothing to do.
        let again = try agent.run(now: { t0 + 1 })
        #expect(again.delivered.isEmpty && transport.sent.count == 1)
    }

    @Test func temporaryFailureStaysQueuedAndBacksOff() throws {
        let down = TransportResult.temporary(Message(zh: "连接被拒绝", en: "connection refused"), systemDown: true)
        let transport = FakeTransport([down, down])
        let (dir, spool, agent, log) = try setup(transport)
        let name = try spoolOne(spool)

        let first = try agent.run(now: { t0 })
        #expect(first.deferred.map(\.name) == [name])
        #expect(first.nextAttempt == t0 + 30 && first.waiting == 1)
        #expect(dir.names("queue") == ["." + name + ".retry", name])
        #expect(spool.contains(name: name))
        let warning = try #require(log.all.first { $0.metadata["message_id"] == .string(DeliveryMessageID.deferred) })
        #expect(warning.level == .warning)
        #expect(warning.message.contains("连接被拒绝；第 1 次尝试失败，30 秒后重试"))
        #expect(warning.metadata["plankeeper_reason"] == "连接被拒绝")

        // Not yet due: not tried.
        _ = try agent.run(now: { t0 + 29 })
        #expect(transport.sent.count == 1)
        // Due: tried, fails again, waits twice as long. The state survives
        // across passes because it is in a file (a new agent = a restart).
        let restarted = DeliveryAgent(
            spool: spool,
            transport: transport,
            retry: RetryPolicy(),
            logger: Logger(label: "x")
        )
        let second = try restarted.run(now: { t0 + 30 })
        #expect(transport.sent.count == 2)
        #expect(second.nextAttempt == t0 + 30 + 60)
        #expect(dir.read("queue/." + name + ".retry")?.hasPrefix("attempts 2\nfirst \(t0)\nnext \(t0 + 90)\n") == true)
        // Back up: delivered once, state gone.
        let third = try agent.run(now: { t0 + 90 })
        #expect(third.delivered.map(\.name) == [name])
        #expect(transport.sent.count == 3)
        #expect(dir.names("queue").isEmpty)
        #expect(dir.read("cur/." + name + ".delivered")?.contains("attempts: 3\n") == true)
    }

    @Test func retryNowIgnoresTheSchedule() throws {
        let transport = FakeTransport([.temporary(Message(zh: "忙", en: "busy"), systemDown: false)])
        let (_, spool, agent, _) = try setup(transport)
        _ = try spoolOne(spool)
        _ = try agent.run(now: { t0 })
        let report = try agent.run(now: { t0 + 1 }, retryNow: true)
        #expect(report.delivered.count == 1 && transport.sent.count == 2)
    }

    @Test func permanentFailureGoesToFailedWithAnError() throws {
        let refused = TransportResult.permanent(Message(zh: "收件人不存在", en: "addressee unknown"))
        let transport = FakeTransport([refused])
        let (dir, spool, agent, log) = try setup(transport)
        let name = try spoolOne(spool, to: "nobody@hospital.example")

        let report = try agent.run(now: { t0 })
        #expect(report.failed.map(\.name) == [name])
        #expect(dir.names("failed") == ["." + name + ".failed", name])
        #expect(dir.names("queue").isEmpty)
        #expect(dir.read("failed/." + name + ".failed")?.contains("reason: 收件人不存在\n") == true)
        #expect(spool.contains(name: name))
        let error = try #require(log.all.first { $0.level == .error })
        #expect(error.metadata["message_id"] == .string(DeliveryMessageID.failed))
        #expect(error.metadata["plankeeper_recipient"] == "nobody@hospital.example")
        #expect(error.message.contains("nobody@hospital.example：收件人不存在"))
        _ = try agent.run(now: { t0 + 3600 }, retryNow: true)
        #expect(transport.sent.count == 1, "a failed message is never retried")
    }

    @Test func givesUpAfterTheConfiguredAge() throws {
        let down = TransportResult.temporary(Message(zh: "连接被拒绝", en: "refused"), systemDown: true)
        let transport = FakeTransport([], otherwise: down)
        let (dir, spool, agent, log) = try setup(transport, retry: RetryPolicy(giveUpAfter: 3 * 86400))
        let name = try spoolOne(spool)
        var now = t0
        var passes = 0
        while dir.names("failed").isEmpty && passes < 200 {
            let report = try agent.run(now: { now })
            now = report.nextAttempt ?? now + 1
            passes += 1
        }
        #expect(dir.names("failed") == ["." + name + ".failed", name])
        #expect(now >= t0 + 3 * 86400 && now < t0 + 3 * 86400 + 3601)
        #expect(passes < 90, "an hour apart at most: \(passes) attempts in three days")
        let error = try #require(log.all.last)
        #expect(error.level == .error)
        #expect(error.message.contains("仍未成功，放弃投递。最后一次原因：连接被拒绝"))
    }

    @Test func aSystemDownAnswerSparesTheRestOfThePass() throws {
        let down = TransportResult.temporary(Message(zh: "无法连接", en: "no connection"), systemDown: true)
        let transport = FakeTransport([down])
        let (_, spool, agent, _) = try setup(transport)
        for i in 1...3 { _ = try spoolOne(spool, "m\(i)", to: "u\(i)@hospital.example") }
        let report = try agent.run(now: { t0 })
        #expect(transport.sent.count == 1)
        #expect(report.deferred.count == 3)
        #expect(report.deferred[1].detail.hasPrefix("本轮未尝试，邮件系统不可用：无法连接"))
        // The next pass tries again; a message-level refusal does not stop the others.
        let report2 = try agent.run(now: { t0 + 30 })
        #expect(report2.delivered.count == 3 && transport.sent.count == 4)
    }

    @Test func aMessageWithoutRecipientFailsWithoutTrying() throws {
        let transport = FakeTransport()
        let (dir, spool, agent, _) = try setup(transport)
        #expect(
            try spool.spool(name: "empty", bytes: Array("Subject: x\r\nTo: undisclosed-recipients:;\r\n\r\nx".utf8))
                == .written
        )
        let report = try agent.run(now: { t0 })
        #expect(report.failed.first?.detail == "邮件没有收件人（To: 中没有地址）")
        #expect(transport.sent.isEmpty)
        #expect(dir.names("failed").contains("empty"))
    }

    @Test func aClaimLeftByACrashedProcessIsSentOnce() throws {
        let transport = FakeTransport()
        let (dir, spool, agent, log) = try setup(transport)
        let name = try spoolOne(spool)
        // What a process killed after its claim leaves: the message in queue/, nothing else.
        try FileManager.default.createDirectory(atPath: dir.path + "/queue", withIntermediateDirectories: true)
        #expect(rename(dir.path + "/new/" + name, dir.path + "/queue/" + name) == 0)
        #expect(spool.contains(name: name))

        let report = try agent.run(now: { t0 })
        #expect(report.recovered == 1)
        #expect(report.delivered.map(\.name) == [name])
        #expect(transport.sent.count == 1)
        #expect(log.all.contains { $0.level == .warning && $0.message.contains("中断的投递进程") })
    }

    @Test func aCrashAfterTheRecordDoesNotSendAgain() throws {
        let transport = FakeTransport()
        let (dir, spool, agent, _) = try setup(transport)
        let name = try spoolOne(spool)
        // Killed after the MTA accepted and the record was written, before the move to cur/.
        try FileManager.default.createDirectory(atPath: dir.path + "/queue", withIntermediateDirectories: true)
        #expect(rename(dir.path + "/new/" + name, dir.path + "/queue/" + name) == 0)
        try dir.write("cur/." + name + ".delivered", "delivered-at: earlier\n")

        let report = try agent.run(now: { t0 })
        #expect(report.recovered == 1 && report.delivered.isEmpty)
        #expect(transport.sent.isEmpty)
        #expect(dir.names("cur").contains(name + ":2,S"))
        #expect(dir.names("queue").isEmpty)
    }

    @Test func anInterruptedLinkClaimIsFinished() throws {
        let transport = FakeTransport()
        let (dir, spool, agent, _) = try setup(transport)
        let name = try spoolOne(spool)
        try FileManager.default.createDirectory(atPath: dir.path + "/queue", withIntermediateDirectories: true)
        #expect(link(dir.path + "/new/" + name, dir.path + "/queue/" + name) == 0)  // link done, unlink not
        let report = try agent.run(now: { t0 })
        #expect(report.delivered.count == 1 && transport.sent.count == 1)
        #expect(dir.names("new").isEmpty)
    }

    @Test func aHeldQueueMakesTheSecondRunnerStandAside() throws {
        let transport = FakeTransport()
        let (dir, spool, agent, _) = try setup(transport)
        _ = try spoolOne(spool)
        try FileManager.default.createDirectory(atPath: dir.path + "/queue", withIntermediateDirectories: true)
        let fd = open(dir.path + "/queue", O_RDONLY | O_DIRECTORY)
        #expect(flock(fd, LOCK_EX) == 0)
        let report = try agent.run(now: { t0 })
        #expect(report.busy && transport.sent.isEmpty)
        close(fd)
        #expect(try agent.run(now: { t0 }).delivered.count == 1)
    }

    @Test func concurrentRunnersSendEachMessageOnce() async throws {
        let transport = FakeTransport()
        let (dir, spool, _, _) = try setup(transport)
        let names = (1...40).map { "m\($0)" }
        for name in names { _ = try spoolOne(spool, name, to: name + "@hospital.example") }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let agent = DeliveryAgent(
                        spool: spool,
                        transport: transport,
                        retry: RetryPolicy(),
                        logger: Logger(label: "x")
                    )
                    for _ in 0..<200 {
                        _ = try? agent.run(now: { 1_795_000_000 })
                        let left = (try? spool.list(.new)) ?? []
                        if left.isEmpty { break }
                    }
                }
            }
        }
        let counts = Dictionary(grouping: transport.sent.flatMap(\.recipients), by: { $0 }).mapValues(\.count)
        #expect(counts.count == 40)
        #expect(counts.values.allSatisfy { $0 == 1 }, "\(counts.filter { $0.value != 1 })")
        #expect(dir.names("cur").filter { !$0.hasPrefix(".") }.count == 40)
    }

    @Test func stopsBetweenMessagesWhenAsked() throws {
        let transport = FakeTransport()
        let (dir, spool, agent, _) = try setup(transport)
        for i in 1...3 { _ = try spoolOne(spool, "m\(i)", to: "u\(i)@x.example") }
        let asked = Mutex(0)
        let report = try agent.run(
            now: { t0 },
            shouldContinue: {
                asked.withLock {
                    $0 += 1
                    return $0 <= 1
                }
            }
        )
        #expect(report.stopped && report.delivered.count == 1)
        #expect(dir.names("new").count == 2)
    }

    @Test func catalogHasTheDeliveryMessageIDs() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let catalog = try String(contentsOf: root.appendingPathComponent("systemd/plankeeper.catalog"), encoding: .utf8)
        for id in [DeliveryMessageID.delivered, DeliveryMessageID.deferred, DeliveryMessageID.failed] {
            #expect(catalog.contains("-- " + id + "\n"), "\(id) has no catalog entry")
        }
    }
}
