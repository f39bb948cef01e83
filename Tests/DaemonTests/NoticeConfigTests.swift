import Config
import Diagnostics
import Testing
import Vocabulary

/// The configuration keys of issue 15: `track-from`, `send-window`,
/// `catch-up-at`, `escalation-mail`, with their defaults and positioned errors.
@Suite struct NoticeConfigTests {
    func parse(_ yaml: String) -> (DaemonConfig?, [String]) {
        let (config, diagnostics) = DaemonConfig.parse(Array(yaml.utf8), path: "c.yaml")
        return (config, diagnostics.map { $0.rendered(in: .en) })
    }

    @Test func defaults() throws {
        let config = try #require(parse("language: zh\n").0)
        #expect(config.notices.trackFrom == nil)
        #expect(config.notices.windowStart == 8 * 60 && config.notices.windowEnd == 18 * 60)
        #expect(config.notices.catchUpAt == .nextSend)
        #expect(config.notices.escalationMail == .digest)
        #expect(config.notices.noticeMail == .combined)
    }

    @Test func everyKeyParses() throws {
        let config = try #require(
            parse(
                """
                track-from: 2026-07-01
                send-window: "07:30-20:00"
                catch-up-at: immediately
                escalation-mail: separate
                notice-mail: separate
                """
            ).0
        )
        #expect(config.notices.trackFrom == "2026-07-01")
        #expect(config.notices.windowStart == 450 && config.notices.windowEnd == 1200)
        #expect(config.notices.catchUpAt == .immediately)
        #expect(config.notices.escalationMail == .separate)
        #expect(config.notices.noticeMail == .separate)
    }

    @Test(
        "bad values are errors at the value",
        arguments: [
            ("track-from: 2026-02-30\n", "c.yaml:1:13: error: track-from must be a date"),
            ("send-window: 18:00-08:00\n", "c.yaml:1:14: error: send-window must be HH:MM-HH:MM"),
            ("catch-up-at: later\n", "c.yaml:1:14: error: catch-up-at must be next-send"),
            ("escalation-mail: both\n", "c.yaml:1:18: error: escalation-mail must be digest"),
            ("notice-mail: daily\n", "c.yaml:1:14: error: notice-mail must be combined"),
            (
                "send-at: \"21:00\"\nsend-window: \"08:00-20:00\"\n",
                "c.yaml:1:10: error: send-at lies outside send-window"
            ),
        ]
    )
    func badValues(_ yaml: String, _ prefix: String) {
        let (config, diagnostics) = parse(yaml)
        #expect(config == nil)
        #expect(diagnostics.contains { $0.hasPrefix(prefix) }, "\(diagnostics)")
    }

    /// A configuration written before send-window existed still starts after an upgrade: the
    /// default window takes in its send-at, with a warning at send-at.
    @Test(arguments: [("07:00", 420, 1080), ("21:30", 480, 1291)])
    func aSendAtOutsideTheDefaultWindowWidensIt(_ sendAt: String, _ start: Int, _ end: Int) throws {
        let (config, diagnostics) = parse("send-at: \"\(sendAt)\"\n")
        let parsed = try #require(config, "\(diagnostics)")
        #expect(parsed.notices.windowStart == start && parsed.notices.windowEnd == end)
        #expect(
            diagnostics.contains { $0.hasPrefix("c.yaml:1:10: warning: send-at lies outside the default send-window") },
            "\(diagnostics)"
        )
    }

    @Test func aReplyExpiryOfTheDefault400DaysCanBeWritten() throws {
        let (config, diagnostics) = parse("mail:\n  reply-expiry: 400d\n")
        #expect(try #require(config, "\(diagnostics)").mail.replies.expiryDays == 400)
    }

    @Test func anEarlySendAtWithAWideWindowIsFine() {
        let (config, diagnostics) = parse("send-at: \"07:00\"\nsend-window: \"06:00-22:00\"\n")
        #expect(config != nil, "\(diagnostics)")
    }
}
