import Testing
@testable import Delivery

/// Reading the envelope back from a spooled message: the spool keeps no
/// separate envelope, so these decide who gets the mail.
@Suite struct HeaderTests {
    /// The shape MailFormat writes: encoded display names, a folded subject.
    static let spooled = Array(
        ("From: =?UTF-8?B?5YWa5bu65bel5L2c6K6h5YiS5o+Q6YaS?= <plankeeper@hospital.example>\r\n"
            + "To: =?UTF-8?B?546L5LqU?= <wangwu@hospital.example>\r\n"
            + "Subject: =?UTF-8?B?44CQ5YWa5bu65o+Q6YaS44CR5aSW56eR56ys5LqM5YWa5pSv6YOo?=\r\n"
            + " =?UTF-8?B?IMK3IOaUr+mDqOWnlOWRmOS8muS8muiuru+8iDIwMjYtMTHvvIk=?=\r\n"
            + "Date: Wed, 18 Nov 2026 08:30:00 +0800\r\n"
            + "Message-ID: <9f86d081884c7d65.plankeeper@hospital.example>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "X-Plankeeper-Plan: surgery-2-2026\r\n"
            + "\r\n"
            + "5oKo5aW977yB\r\n").utf8
    )

    @Test func envelopeFromMailFormatHeaders() {
        let headers = MessageHeaders(message: HeaderTests.spooled)
        #expect(headers.recipients == ["wangwu@hospital.example"])
        #expect(headers.sender == "plankeeper@hospital.example")
        #expect(headers.messageID == "9f86d081884c7d65.plankeeper@hospital.example")
        #expect(headers.subject == "【党建提醒】外科第二党支部 · 支部委员会会议（2026-11）")
        #expect(headers["x-plankeeper-plan"] == "surgery-2-2026")
    }

    @Test func bodyLinesAreNotHeaders() {
        let bytes = Array("To: a@x.example\n\nTo: evil@x.example\n".utf8)
        #expect(MessageHeaders(message: bytes).recipients == ["a@x.example"])
    }

    @Test(
        arguments: [
            ("a@x.example", ["a@x.example"]),
            ("王五 <wangwu@x.example>, 李四 <lisi@x.example>", ["wangwu@x.example", "lisi@x.example"]),
            ("\"Wang, Wu\" <wangwu@x.example>", ["wangwu@x.example"]),
            ("\"quoted <fake@x.example>\" <real@x.example>", ["real@x.example"]),
            ("wangwu@x.example (王五, office)", ["wangwu@x.example"]),
            ("undisclosed-recipients:;", []),
            ("team: a@x.example, b@x.example;, c@x.example", ["a@x.example", "b@x.example", "c@x.example"]),
            ("<a@x.example>,,<A@x.example>", ["a@x.example", "A@x.example"]),
            ("not an address", []),
            ("<unclosed@x.example", ["unclosed@x.example"]),
            ("\"unterminated quote <a@x.example>", []),
            ("", []),
        ] as [(String, [String])]
    )
    func addressLists(value: String, expected: [String]) {
        #expect(AddressList.addresses(in: value) == expected)
    }

    @Test func recipientsFromToCcBccWithoutDuplicates() {
        let bytes = Array(
            "To: A <a@x.example>,\r\n B <b@x.example>\r\nCc: a@X.example, c@x.example\r\nBcc: d@x.example\r\n\r\n".utf8
        )
        #expect(
            MessageHeaders(message: bytes).recipients == ["a@x.example", "b@x.example", "c@x.example", "d@x.example"]
        )
    }

    @Test func noHeadersNoRecipientsNoTrap() {
        #expect(MessageHeaders(message: []).recipients.isEmpty)
        #expect(MessageHeaders(message: Array("garbage without colon\r\n".utf8)).recipients.isEmpty)
        #expect(MessageHeaders(message: [0xFF, 0xFE, 0x3A, 0x0A]).recipients.isEmpty)
        #expect(
            MessageHeaders(message: Array(" continuation first\r\nTo: a@b.example".utf8)).recipients == ["a@b.example"]
        )
    }

    @Test(
        arguments: [
            ("=?UTF-8?B?546L5LqU?=", "王五"),
            ("=?utf-8?q?caf=C3=A9_au_lait?=", "café au lait"),
            ("=?UTF-8?B?546L?= =?UTF-8?B?5LqU?=", "王五"),  // space between words dropped
            ("[Party] =?UTF-8?B?546L5LqU?= · 5 days", "[Party] 王五 · 5 days"),
            ("=?ISO-8859-1?Q?caf=E9?=", "=?ISO-8859-1?Q?caf=E9?="),  // other charsets left as written
            ("=?UTF-8?B?not base64!?=", "=?UTF-8?B?not base64!?="),
            ("=?UTF-8?B?/w==?=", "=?UTF-8?B?/w==?="),  // not UTF-8
            ("a =? b", "a =? b"),
        ] as [(String, String)]
    )
    func encodedWords(raw: String, decoded: String) {
        #expect(EncodedWords.decode(raw) == decoded)
    }
}
