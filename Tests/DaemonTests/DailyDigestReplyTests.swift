import Config
@testable import Daemon
import Foundation
import Ledger
import Logging
import MailGate
import PlanFiles
import PlankeeperTestSupport
import Secrets
import Testing
import Tokens
import Vocabulary
import WorkCalendar

/// The supervisor's daily overdue digest answers too (issue 16, item 4): with
/// `mail.reply-to` it numbers its lines, text and HTML alike, carries a
/// Reply-To naming that sent digest, keeps the numbered lines in the ledger,
/// and a reply "完成 1 3" records those lines, each under the record rules.
@Suite struct DailyDigestReplyTests {
    static let plans = [
        "a.yaml": """
        id: surgery-2026
        owner: 外科第二党支部
        year: 2026
        contacts:
          secretary: 王五 <wangwu@hospital.example>
          office: 党委办公室 <dangban@hospital.example>
        defaults:
          notify: [secretary]
          escalate: {to: [office], after: 1wd}
        items:
          - {id: committee, title: 支部委员会会议, date: 2026-11-05}
          - {id: lecture, title: 党课, date: 2026-11-12}

        """,
        "b.yaml": """
        id: medicine-2026
        owner: 内科第一党支部
        year: 2026
        contacts:
          secretary: 赵六 <zhaoliu@hospital.example>
          office: 党委办公室 <dangban@hospital.example>
        defaults:
          notify: [secretary]
          escalate: {to: [office], after: 1wd}
        items:
          - {id: study, title: 集中学习, date: 2026-11-10}

        """,
    ]

    /// Ticks at 2026-11-20 09:00 (a Friday): three overdue items, escalated,
    /// in dangban's digest. Returns the tick's folder and config.
    func tick(replyTo: String?, before: (Ledger) throws -> Void = { _ in }) throws -> (Scratch, DaemonConfig) {
        let dir = try Scratch()
        for (name, text) in Self.plans { try dir.write("plans/" + name, text) }
        let tick = try TickRunnerTests.runner(dir) {
            $0.notices.trackFrom = "2026-11-01"
            $0.mail.from = "党建工作计划提醒 <plankeeper@hospital.example>"
            $0.mail.replies.replyTo = replyTo
        }
        try before(tick.ledger)
        var state = PlanState()
        _ = state.reload(folder: dir.path + "/plans", holidays: nil, window: CivilDateWindow.year)
        let report = try tick.run(
            plans: state.plans,
            calendar: state.calendar,
            at: TickRunnerTests().instant("2026-11-20T09:00")
        )
        #expect(report.overdueDigests.map(\.recipient.address) == ["dangban@hospital.example"])
        return (dir, tick.config)
    }

    /// The digest as spooled: its headers unfolded and its text and HTML parts decoded.
    func digest(_ config: DaemonConfig) throws -> (headers: String, text: String, html: String) {
        let folder = config.spool + "/new"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains("_digest_") }
        #expect(names.count == 1)
        let raw = try String(contentsOfFile: folder + "/" + (try #require(names.first)), encoding: .utf8)
        let headers = raw.components(separatedBy: "\r\n\r\n")[0].replacingOccurrences(of: "\r\n ", with: " ")
        func part(_ type: String) throws -> String {
            let start = try #require(
                raw.range(of: "Content-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
            )
            let end = try #require(raw.range(of: "\r\n--", range: start.upperBound..<raw.endIndex))
            let encoded = raw[start.upperBound..<end.lowerBound].replacingOccurrences(of: "\r\n", with: "")
            let data = try #require(Data(base64Encoded: encoded))
            return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        }
        return (headers, try part("text/plain"), try part("text/html"))
    }

    static let titles = ["committee": "支部委员会会议", "lecture": "党课", "study": "集中学习"]

    @Test func theDigestNumbersItsLinesAsTheLedgerKeepsThemAndCarriesAReplyAddress() throws {
        let (dir, config) = try tick(replyTo: "plankeeper@hospital.example")
        defer { withExtendedLifetime(dir) {} }
        let (headers, text, html) = try digest(config)
        let line = try #require(headers.split(separator: "\r\n").first { $0.hasPrefix("Reply-To: ") })
        let token = try #require(ReplyAddress.token(in: String(line.dropFirst("Reply-To: ".count))))
        let keyring = try #require(try TokenKeyFile(stateDirectory: config.state).load())
        guard case .valid(let read) = ReplyToken.verify(token, with: TokenSigner(keyring: keyring), now: 1_795_000_000),
            case .digest(let id) = read.subject
        else {
            Issue.record("not a valid digest token: \(line)")
            return
        }
        #expect(read.recipient.matches("dangban@hospital.example"))
        let sent = try #require(try Ledger.open(folder: config.state).sentDigest(id: Int64(id.value)))
        #expect(
            sent.kind == "overdue-digest" && sent.recipient == "dangban@hospital.example" && sent.sentOn == "2026-11-20"
        )
        #expect(sent.lines.count == 3)
        #expect(text.contains("直接回复本邮件“完成”加序号即可登记，例如“完成 1 3 5-7”"))
        #expect(html.contains("直接回复本邮件“完成”加序号即可登记"))
        // Every numbered line of the text and every row of the HTML names the ledger's line of that number.
        var numbered = Set<Int>()
        for l in text.split(separator: "\n") {
            guard l.hasPrefix("  "), let dot = l.firstIndex(of: "."),
                let n = Int(l[..<dot].trimmingCharacters(in: .whitespaces))
            else { continue }
            let key = try #require(sent.lines[n], "line \(n) is not in the ledger")
            #expect(l.contains(try #require(Self.titles[key.item])), "\(l)")
            numbered.insert(n)
        }
        #expect(numbered == Set(sent.lines.keys))
        let rows = html.components(separatedBy: "<tr><td>").dropFirst()
        #expect(rows.count >= 3)
        for row in rows {
            let n = try #require(Int(row.prefix { $0 != "<" }))
            let key = try #require(sent.lines[n])
            #expect(row.contains("<td>\(try #require(Self.titles[key.item]))</td>"), "\(row)")
        }
    }

    /// A tick that crashed after keeping the lines but before spooling, and
    /// a record made before the retry: the retry's digest lists other lines,
    /// and the ledger keeps those of the mail that goes out.
    @Test func linesKeptByACrashedTickAreReplacedUntilTheDigestIsSpooled() throws {
        let id = SentDigestID(truncating: StableHash.of("digest/2026-11-20/dangban@hospital.example"))
        let stale = OccurrenceKey(plan: "surgery-2026", item: "gone", period: "2026")
        let (dir, config) = try tick(replyTo: "plankeeper@hospital.example") { ledger in
            try ledger.recordSentDigest(
                SentDigest(
                    id: Int64(id.value),
                    recipient: "dangban@hospital.example",
                    kind: "overdue-digest",
                    sentOn: "2026-11-20",
                    lines: [1: stale]
                ),
                at: 1_795_000_000
            )
        }
        defer { withExtendedLifetime(dir) {} }
        let sent = try #require(try Ledger.open(folder: config.state).sentDigest(id: Int64(id.value)))
        #expect(sent.lines.count == 3 && !sent.lines.values.contains(stale))
        #expect(Set(sent.lines.values.map(\.item)) == ["committee", "lecture", "study"])
    }

    @Test func withoutReplyToTheDigestIsAsBefore() throws {
        let (dir, config) = try tick(replyTo: nil)
        defer { withExtendedLifetime(dir) {} }
        let (headers, text, _) = try digest(config)
        #expect(!headers.contains("Reply-To:"))
        #expect(!text.contains("直接回复本邮件"))
        #expect(!FileManager.default.fileExists(atPath: config.state + "/token-keys"))
    }

    @Test func aReplyRecordsTheNamedLinesAndTheAnswerListsWhatWasRecordedAndRefused() throws {
        let (dir, config) = try tick(replyTo: "plankeeper@hospital.example")
        defer { withExtendedLifetime(dir) {} }
        let (headers, text, _) = try digest(config)
        let line = try #require(headers.split(separator: "\r\n").first { $0.hasPrefix("Reply-To: ") })
        let address = String(line.dropFirst("Reply-To: ".count))
        let ledger = try Ledger.open(folder: config.state)
        func numberOf(_ item: String) throws -> Int {
            let l = try #require(
                text.split(separator: "\n").first { $0.hasPrefix("  ") && $0.contains(Self.titles[item]!) }
            )
            let dot = try #require(l.firstIndex(of: "."))
            return try #require(Int(l[..<dot].trimmingCharacters(in: .whitespaces)))
        }
        let (committee, lecture, study) = (try numberOf("committee"), try numberOf("lecture"), try numberOf("study"))

        func reply(_ body: String, id: String) -> MailGate.Result {
            let mail = [
                "From: 党委办公室 <dangban@hospital.example>", "To: \(address)", "Subject: Re: 督办日报",
                "Date: Fri, 20 Nov 2026 16:00:00 +0800", "Message-ID: <\(id)@client.example>", "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: 8bit", "", body, "",
            ].joined(separator: "\r\n")
            let gate = MailGate(
                config: config,
                now: TickRunnerTests().instant("2026-11-20T16:00"),
                recipient: nil,
                logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
            )
            return gate.receive(MailInput(bytes: Array(mail.utf8)))
        }
        #expect(reply("完成 \(committee) \(study)", id: "first").outcome == "recorded")
        var records = try ledger.records().map { "\($0.plan)/\($0.item) \($0.source)" }.sorted()
        #expect(records == ["medicine-2026/study mail", "surgery-2026/committee mail"])

        // Again, with one line already recorded: that one is refused, the other recorded.
        let second = reply("完成 \(committee) \(lecture)", id: "second")
        #expect(second.outcome == "partly-recorded")
        records = try ledger.records().map { "\($0.plan)/\($0.item) \($0.source)" }.sorted()
        #expect(records == ["medicine-2026/study mail", "surgery-2026/committee mail", "surgery-2026/lecture mail"])
        let answer = try String(
            contentsOfFile: config.spool + "/new/" + (try #require(second.answerName)),
            encoding: .utf8
        )
        let encoded = answer.components(separatedBy: "\r\n\r\n").dropFirst().joined().replacingOccurrences(
            of: "\r\n",
            with: ""
        )
        let body = String(decoding: try #require(Data(base64Encoded: encoded)), as: UTF8.self)
        #expect(body.contains("已登记：\(lecture). 外科第二党支部 · 党课（2026）"), "\(body)")
        #expect(body.contains("未登记：\(committee). 外科第二党支部 · 支部委员会会议（2026）"), "\(body)")
        #expect(body.contains("已于 11-20 由党委办公室登记完成"), "\(body)")
    }
}
