import Config
import Diagnostics
import Foundation
import Ledger
import Logging
import MailGate
import Secrets
import Tokens
import Vocabulary

/// A state folder, spool and plans folder of its own, a config pointing at
/// them, a token key, and helpers to write replies and read what happened.
final class MailGateFixture {
    let root: String
    var config: DaemonConfig
    /// 2026-11-20 16:00 in Shanghai.
    var now = Date(timeIntervalSince1970: 1_795_161_600)
    let keyring: TokenKeyring
    let logs = LogCapture()

    static let plan = """
        id: surgery-2-2026
        title: 外科第二党支部 2026 年党建工作计划
        owner: 外科第二党支部
        year: 2026
        contacts:
          secretary: 王五 <wangwu@hospital.example>
          organizer: 陈刚 <chengang@hospital.example>
          office: 党委办公室 <dangban@hospital.example>
        items:
          - id: branch-committee
            title: 支部委员会会议
            every: month
            due: last-wed
          - id: red-education
            title: 红色主题教育活动
            times: 2..3
            within: year
        """

    init(plan: String = MailGateFixture.plan) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pk-mailgate-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/plans", withIntermediateDirectories: true)
        try plan.write(toFile: root + "/plans/surgery-2-2026.yaml", atomically: true, encoding: .utf8)
        let yaml = """
            plans: plans
            holidays: ~
            state: state
            spool: spool
            language: zh
            mail:
              from: 党建工作计划提醒 <plankeeper@hospital.example>
              reply-to: plankeeper@hospital.example
              mail-in-limit: 64KB
            """
        let (parsed, diagnostics) = DaemonConfig.parse(Array(yaml.utf8), path: root + "/plankeeper.yaml")
        guard let parsed else { throw FixtureError.config(diagnostics.map { $0.rendered(in: .en) }) }
        config = parsed
        try FileManager.default.createDirectory(atPath: config.state, withIntermediateDirectories: true)
        keyring = try TokenKeyFile(stateDirectory: config.state).loadOrCreate()
    }

    enum FixtureError: Error { case config([String]) }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    var nowSeconds: Int64 { Int64(now.timeIntervalSince1970) }

    func token(
        plan: String = "surgery-2-2026",
        item: String = "branch-committee",
        period: String = "2026-11",
        to recipient: String = "wangwu@hospital.example",
        expiresIn days: Int64 = 400
    ) throws -> String {
        try ReplyToken(
            plan: plan,
            item: item,
            period: period,
            recipient: recipient,
            expiresAt: nowSeconds + days * 86_400
        ).sign(with: TokenSigner(keyring: keyring))
    }

    func digestToken(id: UInt64, to recipient: String = "dangban@hospital.example") throws -> String {
        try ReplyToken(
            subject: .digest(SentDigestID(id)!),
            recipient: AddressDigest(address: recipient),
            expiresAt: nowSeconds + 400 * 86_400
        ).sign(with: TokenSigner(keyring: keyring))
    }

    /// A plain-text UTF-8 reply.
    func reply(
        _ body: String,
        from: String = "王五 <wangwu@hospital.example>",
        token: String?,
        messageID: String? = nil,
        extraHeaders: [String] = []
    ) -> [UInt8] {
        var headers = [
            "From: \(from)", "To: plankeeper\(token.map { "+" + $0 } ?? "")@hospital.example",
            "Subject: =?UTF-8?B?5Zue5aSN77ya44CQ5o+Q6YaS44CR?=", "Date: Fri, 20 Nov 2026 16:00:00 +0800",
            "MIME-Version: 1.0", "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: 8bit",
        ]
        headers.append("Message-ID: <\(messageID ?? UUID().uuidString)@client.example>")
        headers += extraHeaders
        return Array(
            (headers.joined(separator: "\r\n") + "\r\n\r\n" + body.replacingOccurrences(of: "\n", with: "\r\n")).utf8
        )
    }

    func receive(_ bytes: [UInt8], recipient: String? = nil, totalSize: Int? = nil) -> MailGate.Result {
        var logger = Logger(label: "test") { _ in self.logs }
        logger.logLevel = .debug
        var gate = MailGate(config: config, now: now, recipient: recipient, logger: logger)
        gate.busyTimeout = .milliseconds(200)
        let limit = config.mail.replies.sizeLimit
        return gate.receive(MailInput(bytes: Array(bytes.prefix(limit)), totalSize: totalSize ?? bytes.count))
    }

    func ledger() throws -> Ledger { try Ledger.open(folder: config.state) }

    /// The spooled answers, as text (base64 bodies decoded).
    func answers() throws -> [(name: String, headers: String, body: String)] {
        let folder = config.spool + "/new"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return try names.sorted().map { name in
            let raw = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            let parts = raw.components(separatedBy: "\r\n\r\n")
            let body =
                Data(
                    base64Encoded: parts.dropFirst().joined(separator: "\r\n\r\n")
                        .replacingOccurrences(of: "\r\n", with: "")
                ).map { String(decoding: $0, as: UTF8.self) } ?? ""
            // Headers unfolded, so a test can look for a whole header.
            return (name, parts[0].replacingOccurrences(of: "\r\n ", with: " "), body)
        }
    }
}

/// Keeps every log entry (message and metadata) for assertions.
final class LogCapture: LogHandler, @unchecked Sendable {
    var entries: [(level: Logger.Level, message: String, metadata: Logger.Metadata)] = []
    let lock = NSLock()
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lock.lock()
        defer { lock.unlock() }
        entries.append((event.level, event.message.description, metadata.merging(event.metadata ?? [:]) { $1 }))
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return entries.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
    }

    func reasons() -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return entries.compactMap { $0.metadata["plankeeper_reason"].map { "\($0)" } }
    }
}
