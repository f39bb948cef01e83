import Config
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
        let config = try #require(parse("""
            track-from: 2026-07-01
            send-window: "07:30-20:00"
            catch-up-at: immediately
            escalation-mail: separate
            notice-mail: separate
            """).0)
        #expect(config.notices.trackFrom == "2026-07-01")
        #expect(config.notices.windowStart == 450 && config.notices.windowEnd == 1200)
        #expect(config.notices.catchUpAt == .immediately)
        #expect(config.notices.escalationMail == .separate)
        #expect(config.notices.noticeMail == .separate)
    }

    @Test("bad values are errors at the value", arguments: [
        ("track-from: 2026-02-30\n", "c.yaml:1:13: error: track-from must be a date"),
        ("send-window: 18:00-08:00\n", "c.yaml:1:14: error: send-window must be HH:MM-HH:MM"),
        ("catch-up-at: later\n", "c.yaml:1:14: error: catch-up-at must be next-send"),
        ("escalation-mail: both\n", "c.yaml:1:18: error: escalation-mail must be digest"),
        ("notice-mail: daily\n", "c.yaml:1:14: error: notice-mail must be combined"),
        ("send-at: \"07:00\"\n", "c.yaml:1:10: error: send-at lies outside the default send-window"),
        ("send-at: \"21:00\"\nsend-window: \"08:00-20:00\"\n", "c.yaml:1:10: error: send-at lies outside send-window"),
    ])
    func badValues(_ yaml: String, _ prefix: String) {
        let (config, diagnostics) = parse(yaml)
        #expect(config == nil)
        #expect(diagnostics.contains { $0.hasPrefix(prefix) }, "\(diagnostics)")
    }

    @Test func anEarlySendAtWithAWideWindowIsFine() {
        let (config, diagnostics) = parse("send-at: \"07:00\"\nsend-window: \"06:00-22:00\"\n")
        #expect(config != nil, "\(diagnostics)")
    }
}
