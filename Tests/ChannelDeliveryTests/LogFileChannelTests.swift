import Channels
import Config
import Diagnostics
import Foundation
import Ledger
import PlankeeperTestSupport
import Testing
import Vocabulary
@testable import Delivery

/// The layout check: a new channel is this one type, its config keys and
/// its tests. It is registered by listing it (`ChannelKinds(builtIn + [LogFileChannel.self])`,
/// one line in `ChannelKinds.builtIn` for a real one); the configuration
/// reader, the outbox, the rate limiter and the delivery agent take it as
/// they are.
///
/// A throw-away kind: each message becomes one line, `时间<TAB>标题<TAB>正文`,
/// appended to the file named by `path:`. Its "service" is the file: the
/// request is a POST to `file://PATH`, which this test performs by
/// appending (the daemon's libcurl edge speaks http and https only, so a
/// kind that writes files would bring that step to the edge too).
struct LogFileChannel: Channel {
    static let kind = "log-file"
    static let title = Message(zh: "日志文件", en: "log file")
    static let audience = ChannelAudience.group
    static let optionKeys = [
        ChannelOptionKey("path", required: true, help: Message(zh: "写入的文件", en: "the file to append to"))
    ]
    static let secrets: [ChannelSecret] = []
    static let defaultURL = "file://"
    static let defaultLimits = [RateWindow(2, per: 60)]

    let settings: ChannelSettings
    let path: String

    init(settings: ChannelSettings) throws(ChannelSetupError) {
        guard let p = settings.options["path"], p.text.hasPrefix("/") else {
            throw ChannelSetupError([
                .error(
                    settings.options["path"]?.location ?? settings.location,
                    Message(zh: "path 应当是绝对路径", en: "path must be absolute")
                )
            ])
        }
        self.settings = settings
        path = p.text
    }

    func render(_ message: ChannelMessage, to recipient: ChannelRecipient) -> RenderedMessage {
        let body = MessageLayout(style: .plain, groupItemLimit: settings.itemLimit)
            .text(message, to: recipient) { $0.utf8.count <= 1000 }
            .replacingOccurrences(of: "\n", with: " / ")
        return RenderedMessage(
            destination: settings.name,
            body: Array((message.title + "\t" + body + "\n").utf8),
            summary: message.title
        )
    }

    func nextRequest(
        for message: RenderedMessage,
        credentials: ChannelCredentials,
        token: AccessToken?,
        now: Int64
    ) -> ChannelStep {
        .request(
            ChannelRequest(
                .message,
                HTTPRequest(
                    method: .post,
                    url: URLWithQuery("file://" + path),
                    body: Array("\(now)\t".utf8) + message.body
                )
            )
        )
    }

    func interpret(_ result: HTTPResult, of request: ChannelRequest, now: Int64) -> ChannelOutcome {
        switch result {
        case .response(200, _): return .delivered(answer: "appended", warning: nil)
        case .response(let status, _):
            return .giveUp(reason: Message(zh: "\(reference.zh)：\(status)", en: "\(reference.en): \(status)"))
        case .failure(let f):
            return .backOff(
                reason: Message(zh: "\(reference.zh)：\(f.detail)", en: "\(reference.en): \(f.detail)"),
                serviceDown: true
            )
        }
    }
}

@Suite struct LogFileChannelTests {
    let scratch = try! Scratch()

    /// What the test's "service" does with a `file://` request: append.
    static func append(_ request: HTTPRequest) -> HTTPResult {
        let path = String(request.url.dropFirst("file://".count))
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard request.url.hasPrefix("file://"), let handle = FileHandle(forWritingAtPath: path) else {
            return .failure(HTTPFailure(.connect, "cannot open"))
        }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data(request.body))
        return .response(status: 200, body: [])
    }

    @Test func aNewKindIsOneFileAndItsRegistration() throws {
        let kinds = ChannelKinds(ChannelKinds.builtIn + [LogFileChannel.self])
        let log = scratch.path + "/notices.log"
        let (config, diagnostics) = DaemonConfig.parse(
            Array(
                """
                channels:
                  - name: 审计日志
                    kind: log-file
                    path: \(log)
                    kinds: [reminder, digest]
                  - name: 外科第二党支部群
                    kind: dingtalk-robot
                    token-file: t
                """.utf8
            ),
            path: scratch.path + "/plankeeper.yaml",
            channelKinds: kinds
        )
        #expect(diagnostics.isEmpty)
        let channel = try #require(config?.channels.first)
        #expect(type(of: channel.channel).kind == "log-file")
        #expect(channel.kinds == [.reminder, .digest])
        // Its own options, checked by itself, at their position; unknown to the built-in registry.
        let (_, bad) = DaemonConfig.parse(
            Array("channels:\n  - name: x\n    kind: log-file\n    path: relative\n".utf8),
            path: "c.yaml",
            channelKinds: kinds
        )
        #expect(bad.map { $0.rendered(in: .en) } == ["c.yaml:4:11: error: path must be absolute"])
        #expect(
            DaemonConfig.parse(Array("channels:\n  - name: x\n    kind: log-file\n    path: /x\n".utf8), path: "c.yaml")
                .1
                .first?.rendered(in: .en).hasPrefix("c.yaml:3:11: error: unknown channel kind 'log-file'") == true
        )

        // The outbox and the delivery agent, unchanged, carry its messages within its limits.
        let ledger = try Ledger.inMemory()
        let entries = (1...3).map { i -> OutboxEntry in
            let message = ChannelMessage(kind: .reminder, title: "提醒 \(i)", lines: ["第 \(i) 条"], noticeKey: "k\(i)")
            let r = channel.channel.render(message, to: .group(name: "审计日志", mentions: []))
            return OutboxEntry(
                id: "e\(i)",
                channel: channel.name,
                channelKind: LogFileChannel.kind,
                destination: r.destination,
                recipient: "审计日志",
                noticeKey: "k\(i)",
                noticeKind: "reminder",
                summary: r.summary,
                body: r.body,
                createdAt: 0
            )
        }
        try ledger.enqueueOutbox(entries)
        let (logger, _) = RecordingLogHandler.logger()
        let agent = ChannelDeliveryAgent(
            channel: channel.channel,
            secrets: ChannelSecretSources(),
            environment: [:],
            ledger: ledger,
            lockPath: scratch.path + "/log.lock",
            retry: RetryPolicy(),
            logger: logger,
            perform: LogFileChannelTests.append
        )
        #expect(try agent.run(now: { 100 }).delivered.count == 2)  // 2 a minute, as it declares
        #expect(try agent.run(now: { 161 }).delivered.count == 1)
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines == ["100\t提醒 1\t提醒 1 / 第 1 条", "100\t提醒 2\t提醒 2 / 第 2 条", "161\t提醒 3\t提醒 3 / 第 3 条"])
    }
}
