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

/// With `web.url`, every notice carries the recipient's personal link to the
/// occurrence's page on the web desk (issue 17): `web.url/o/TOKEN`, TOKEN a
/// signed reply token naming the occurrence and the recipient. A combined
/// mail has one under each line. Without `web.url`, no link.
@Suite struct WebLinkNoticeTests {
    static let plan = """
        id: a-2026
        owner: 外科第二党支部
        year: 2026
        contacts:
          secretary: 王五 <wangwu@hospital.example>
        defaults:
          remind: [5wd]
          notify: [secretary]
        items:
          - id: committee
            title: 支部委员会会议
            every: month
            due: 25
          - id: lecture
            title: 专题党课
            every: month
            due: 25

        """

    func tick(
        url: String?,
        noticeMail: DaemonConfig.NoticeSettings.NoticeMail
    ) throws -> (Scratch, DaemonConfig, [String]) {
        let dir = try Scratch()
        try dir.write("plans/a.yaml", Self.plan)
        var config = DaemonConfig()
        config.plans = dir.path + "/plans"
        config.state = dir.path + "/state"
        config.spool = dir.path + "/spool"
        config.mail.transport = .none
        config.notices.noticeMail = noticeMail
        config.web.url = url
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
        _ = try tick.run(plans: state.plans, calendar: state.calendar, at: at)
        let folder = config.spool + "/new"
        let mails = try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map {
            try String(contentsOfFile: folder + "/" + $0, encoding: .utf8)
        }.filter { $0.contains("X-Plankeeper-Kind: reminder") || $0.contains("X-Plankeeper-Kind: combined") }
        return (dir, config, mails)
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

    /// The links in a body, each read back with the state folder's key.
    func links(_ text: String, _ config: DaemonConfig) throws -> [ReplyToken] {
        let keyring = try #require(try TokenKeyFile(stateDirectory: config.state).load())
        let prefix = "https://dangjian.hospital.example/o/"
        return try text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            $0.hasPrefix(prefix)
        }.map { line in
            guard
                case .valid(let token) = ReplyToken.verify(
                    line.dropFirst(prefix.count),
                    with: TokenSigner(keyring: keyring),
                    now: 1_795_000_000
                )
            else {
                Issue.record("not a valid link: \(line)")
                throw CancellationError()
            }
            return token
        }
    }

    @Test func eachNoticeLinksToItsOccurrenceForItsRecipient() throws {
        let (dir, config, mails) = try tick(url: "https://dangjian.hospital.example/", noticeMail: .separate)
        defer { withExtendedLifetime(dir) {} }
        #expect(mails.count == 2)
        var seen: Set<OccurrenceDigest> = []
        for mail in mails {
            let text = body(mail)
            let tokens = try links(text, config)
            #expect(tokens.count == 1)
            guard let token = tokens.first, case .occurrence(let digest) = token.subject else { continue }
            seen.insert(digest)
            #expect(token.recipient.matches("wangwu@hospital.example"))
            #expect(token.expiresAt == Int64(CivilDate(iso: "2026-11-18")!.dayNumber + 400) * 86_400)
            // The link first, the administrator's command last.
            let offer = try #require(text.range(of: "办理完成后，请在党建工作台登记（可上传照片、会议纪要）："))
            let fallback = try #require(text.range(of: "管理员也可运行："))
            #expect(offer.lowerBound < fallback.lowerBound)
            #expect(!text.contains("办理完成后，请告知管理员"))
        }
        #expect(
            seen == [
                OccurrenceDigest(plan: "a-2026", item: "committee", period: "2026-11"),
                OccurrenceDigest(plan: "a-2026", item: "lecture", period: "2026-11"),
            ]
        )
    }

    @Test func aCombinedMailHasALinkUnderEachLine() throws {
        let (dir, config, mails) = try tick(url: "https://dangjian.hospital.example", noticeMail: .combined)
        defer { withExtendedLifetime(dir) {} }
        #expect(mails.count == 1)
        let text = body(try #require(mails.first))
        let tokens = try links(text, config)
        #expect(tokens.count == 2)
        #expect(
            Set(tokens.map(\.subject)) == [
                .occurrence(OccurrenceDigest(plan: "a-2026", item: "committee", period: "2026-11")),
                .occurrence(OccurrenceDigest(plan: "a-2026", item: "lecture", period: "2026-11")),
            ]
        )
        #expect(text.contains("也可打开每项下面的链接，在党建工作台登记"))
    }

    /// The history digest (issue 15) points to 我的待办, where what was done
    /// is acknowledged in one go.
    @Test func theHistoryDigestPointsToTheDesk() throws {
        let (dir, config, _) = try tick(url: "https://dangjian.hospital.example", noticeMail: .separate)
        defer { withExtendedLifetime(dir) {} }
        let folder = config.spool + "/new"
        let digests = try FileManager.default.contentsOfDirectory(atPath: folder).map {
            try String(contentsOfFile: folder + "/" + $0, encoding: .utf8)
        }.filter { $0.contains("X-Plankeeper-Kind: backlog") }
        #expect(digests.count == 1)
        let text = body(try #require(digests.first))
        #expect(text.contains("也可在党建工作台“我的待办”中一次确认已办理的历史事项：\n    https://dangjian.hospital.example/todo\n"))
    }

    @Test func withoutWebURLThereIsNoLink() throws {
        let (dir, _, mails) = try tick(url: nil, noticeMail: .separate)
        defer { withExtendedLifetime(dir) {} }
        #expect(mails.count == 2)
        for mail in mails {
            #expect(!body(mail).contains("/o/"))
            #expect(!body(mail).contains("党建工作台"))
            #expect(body(mail).contains("办理完成后，请告知管理员或运行："))
        }
    }

    @Test func theSameNoticeRebuiltCarriesTheSameLink() throws {
        let key32 = try #require(TokenKey(id: 1, bytes: Array(repeating: 7, count: 32)))
        let links = WebLinks(
            signer: TokenSigner(keyring: try #require(TokenKeyring(current: key32))),
            base: "https://dangjian.hospital.example/",
            expiryDays: 400
        )
        let key = OccurrenceKey(plan: "a-2026", item: "committee", period: "2026-11")
        let to = Address(name: "王五", address: "wangwu@hospital.example")
        let day = CivilDate(iso: "2026-11-18")!
        let link = try #require(links.link(for: key, to: to, date: day))
        #expect(link.hasPrefix("https://dangjian.hospital.example/o/"))
        #expect(links.link(for: key, to: to, date: day) == link)
        #expect(links.link(for: key, to: to, date: day.adding(days: 1)) != link)
    }
}
