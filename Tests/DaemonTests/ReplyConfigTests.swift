import Config
import Diagnostics
import Testing
import Vocabulary

/// `mail: {reply-to, reply-expiry, mail-in-limit, answer-limit}` (issue 16).
@Suite struct ReplyConfigTests {
    func parse(_ yaml: String) -> (DaemonConfig?, [String]) {
        let (config, diagnostics) = DaemonConfig.parse(Array(yaml.utf8), path: "/etc/plankeeper/plankeeper.yaml")
        return (config, diagnostics.map { $0.rendered(in: .en) })
    }

    @Test func withoutReplyToMailIsAsBefore() {
        let replies = parse("language: zh\n").0?.mail.replies
        #expect(replies?.replyTo == nil)
        #expect(replies?.expiryDays == 400)
        #expect(replies?.sizeLimit == 25 * 1024 * 1024)
        #expect(replies?.answersPerDay == 20)
    }

    @Test func readsEveryKey() {
        let (config, diagnostics) = parse(
            """
            mail:
              reply-to: 党建提醒 <plankeeper@hospital.example>
              reply-expiry: 30d
              mail-in-limit: 10MB
              answer-limit: 5
            """
        )
        #expect(diagnostics.isEmpty)
        #expect(config?.mail.replies.replyAddress == "plankeeper@hospital.example")
        #expect(config?.mail.replies.expiryDays == 30)
        #expect(config?.mail.replies.sizeLimit == 10 << 20)
        #expect(config?.mail.replies.answersPerDay == 5)
        #expect(parse("mail:\n  reply-to: pk@h.example\n").0?.mail.replies.replyAddress == "pk@h.example")
        #expect(parse("mail:\n  mail-in-limit: 1048576\n").0?.mail.replies.sizeLimit == 1 << 20)
    }

    @Test func refusesAddressesThatCannotCarryAToken() {
        for (value, words) in [
            ("plankeeper", "must be user@host"), ("a+b@h.example", "must not contain '+'"),
            ("dangweibangongshi-plankeeper@h.example", "too long"),
        ] {
            let (config, diagnostics) = parse("mail:\n  reply-to: \(value)\n")
            #expect(config == nil, "\(value)")
            #expect(diagnostics.contains { $0.contains(words) && $0.contains(":2:") }, "\(diagnostics)")
        }
    }

    @Test func refusesSillyLimits() {
        for yaml in [
            "mail:\n  mail-in-limit: 1KB\n", "mail:\n  mail-in-limit: lots\n", "mail:\n  reply-expiry: 2h\n",
            "mail:\n  answer-limit: 0\n",
        ] {
            #expect(parse(yaml).0 == nil, "\(yaml)")
        }
    }
}
