import Config
@testable import Daemon
import Foundation
import Ledger
import Logging
import Outbox
import PlanFiles
import PlankeeperTestSupport
import Secrets
import Spool
import Testing
import Tokens
import Vocabulary
import WorkCalendar

/// With `mail.reply-to`, every notice carries `Reply-To: plankeeper+TOKEN@…`
/// naming its occurrence and recipient, and says first that a reply records
/// it (issue 16, items 1 and 5). Without it, mails are as before.
@Suite struct ReplyToNoticeTests {
    func tick(replyTo: String?) throws -> (Scratch, DaemonConfig, TickRunner.Report) {
        let dir = try Scratch()
        try dir.write(
            "plans/a.yaml",
            """
            id: a-2026
            owner: 外科第二党支部
            year: 2026
            contacts:
              secretary: 王五 <wangwu@hospital.example>
              organizer: 陈刚 <chengang@hospital.example>
            defaults:
              remind: [5wd]
              notify: [secretary, organizer]
            items:
              - id: committee
                title: 支部委员会会议
                every: month
                due: 25

            """
        )
        var config = DaemonConfig()
        config.plans = dir.path + "/plans"
        config.state = dir.path + "/state"
        config.spool = dir.path + "/spool"
        config.mail.transport = .none
        config.mail.replies.replyTo = replyTo
        let tick = TickRunner(
            config: config,
            ledger: try Ledger.open(folder: config.state),
            spool: try Spool(directory: config.spool),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        )
        var state = PlanState()
        _ = state.reload(
            folder: config.plans,
            holidays: nil,
            window: CivilDate(iso: "2026-11-01")!...CivilDate(iso: "2027-10-31")!
        )
        let at = try #require(ISO8601DateFormatter().date(from: "2026-11-18T09:00:00+08:00"))
        return (dir, config, try tick.run(plans: state.plans, calendar: state.calendar, at: at))
    }

    func spooled(_ config: DaemonConfig) throws -> [String] {
        let folder = config.spool + "/new"
        return try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map {
            try String(contentsOfFile: folder + "/" + $0, encoding: .utf8)
        }.filter { $0.contains("X-Plankeeper-Kind: reminder") }
    }

    func body(_ mail: String) -> String {
        let encoded = mail.components(separatedBy: "\r\n\r\n").dropFirst().joined().replacingOccurrences(
            of: "\r\n",
            with: ""
        )
        return (Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) } ?? "").replacingOccurrences(
            of: "\r\n",
            with: "\n"
        )
    }

    @Test func eachNoticeCarriesAReplyAddressForItsOccurrenceAndRecipient() throws {
        let (dir, config, report) = try tick(replyTo: "plankeeper@hospital.example")
        defer { withExtendedLifetime(dir) {} }
        #expect(report.sent.count == 2)
        #expect(try spooled(config).count == 2)
        let keyring = try #require(try TokenKeyFile(stateDirectory: config.state).load())
        for mail in try spooled(config) {
            let unfolded = mail.replacingOccurrences(of: "\r\n ", with: " ")
            let line = try #require(unfolded.split(separator: "\r\n").first { $0.hasPrefix("Reply-To: ") })
            let address = String(line.dropFirst("Reply-To: ".count))
            #expect(address.split(separator: "@")[0].count <= 64)
            let token = try #require(ReplyAddress.token(in: address))
            guard
                case .valid(let read) = ReplyToken.verify(
                    token,
                    with: TokenSigner(keyring: keyring),
                    now: 1_795_000_000
                )
            else {
                Issue.record("token not valid: \(address)")
                continue
            }
            #expect(read.subject == .occurrence(OccurrenceDigest(plan: "a-2026", item: "committee", period: "2026-11")))
            let to =
                unfolded.contains("wangwu@hospital.example>") ? "wangwu@hospital.example" : "chengang@hospital.example"
            #expect(read.recipient.matches(to))
            // 400 days after the notice's date (2026-11-18).
            #expect(read.expiresAt == Int64(CivilDate(iso: "2026-11-18")!.dayNumber + 400) * 86_400)
            let text = body(mail)
            let reply = try #require(text.range(of: "直接回复本邮件“完成”即可登记，可附会议记录、签到表照片。"))
            let fallback = try #require(text.range(of: "管理员也可运行："))
            #expect(reply.lowerBound < fallback.lowerBound)
            #expect(text.contains("    plankeeper done a-2026 committee 2026-11"))
            #expect(!text.contains("办理完成后，请告知管理员"))
        }
    }

    @Test func withoutReplyToMailsAreAsBefore() throws {
        let (dir, config, _) = try tick(replyTo: nil)
        defer { withExtendedLifetime(dir) {} }
        #expect(try spooled(config).count == 2)
        for mail in try spooled(config) {
            #expect(!mail.contains("Reply-To:"))
            #expect(body(mail).contains("办理完成后，请告知管理员或运行："))
            #expect(!body(mail).contains("直接回复本邮件"))
        }
        #expect(!FileManager.default.fileExists(atPath: config.state + "/token-keys"))
    }

    @Test func theSameNoticeRebuiltCarriesTheSameAddress() throws {
        let (dir, config, _) = try tick(replyTo: "plankeeper@hospital.example")
        defer { withExtendedLifetime(dir) {} }
        let keyring = try #require(try TokenKeyFile(stateDirectory: config.state).load())
        let addressing = ReplyAddressing(
            signer: TokenSigner(keyring: keyring),
            base: "plankeeper@hospital.example",
            expiryDays: 400
        )
        let key = OccurrenceKey(plan: "a-2026", item: "committee", period: "2026-11")
        let to = Address(name: "王五", address: "wangwu@hospital.example")
        let day = CivilDate(iso: "2026-11-18")!
        #expect(addressing.address(for: key, to: to, date: day) == addressing.address(for: key, to: to, date: day))
        #expect(
            addressing.address(for: key, to: to, date: day)
                != addressing.address(for: key, to: to, date: day.adding(days: 1))
        )
    }

    @Test func digestsNumberTheirLinesAsTheLedgerKeepsThem() throws {
        let (dir, config, report) = try tick(replyTo: "plankeeper@hospital.example")
        defer { withExtendedLifetime(dir) {} }
        #expect(!report.digests.isEmpty)
        let keyring = try #require(try TokenKeyFile(stateDirectory: config.state).load())
        let ledger = try Ledger.open(folder: config.state)
        let folder = config.spool + "/new"
        let digests = try FileManager.default.contentsOfDirectory(atPath: folder).map {
            try String(contentsOfFile: folder + "/" + $0, encoding: .utf8)
        }.filter { $0.contains("X-Plankeeper-Kind: backlog") }
        #expect(digests.count == 2)
        for mail in digests {
            let unfolded = mail.replacingOccurrences(of: "\r\n ", with: " ")
            let line = try #require(unfolded.split(separator: "\r\n").first { $0.hasPrefix("Reply-To: ") })
            let token = try #require(ReplyAddress.token(in: String(line.dropFirst("Reply-To: ".count))))
            guard
                case .valid(let read) = ReplyToken.verify(
                    token,
                    with: TokenSigner(keyring: keyring),
                    now: 1_795_000_000
                ),
                case .digest(let id) = read.subject
            else {
                Issue.record("not a valid digest token")
                continue
            }
            let sent = try #require(try ledger.sentDigest(id: Int64(id.value)))
            let text = body(mail)
            #expect(text.contains("直接回复本邮件“完成”加序号即可登记，例如“完成 1 3 5-7”"))
            // Each number of the mail is the ledger's line of that number: the command below it names the same occurrence.
            let lines = text.split(separator: "\n").map(String.init)
            var checked = 0
            for (index, l) in lines.enumerated() {
                guard let dot = l.firstIndex(of: "."),
                    let n = Int(l.prefix(upTo: dot).trimmingCharacters(in: .whitespaces)),
                    l.hasPrefix("  "), index + 2 < lines.count
                else { continue }
                let command = lines[index + 2].trimmingCharacters(in: .whitespaces)
                let key = try #require(sent.lines[n])
                #expect(command == "plankeeper done \(key.plan) \(key.item) \(key.period)", "line \(n)")
                checked += 1
            }
            #expect(checked == sent.lines.count, "\(checked) numbered lines, \(sent.lines.count) in the ledger")
            #expect(checked == 10)
        }
    }
}
