import Testing

@testable import InboundMail

@Suite struct MIMETests {
    func multipart(_ boundary: String, _ parts: [String], closed: Bool = true) -> String {
        parts.map { "--\(boundary)\r\n\($0)\r\n" }.joined() + (closed ? "--\(boundary)--\r\n" : "")
    }

    @Test func aPlainMessageWithoutContentTypeIsText() {
        let message = InboundMessage.parse(Fixture.raw("From: a@x.example", "Subject: hi", "", "完成", ""))
        #expect(message.text == "完成\r\n")
        #expect(message.attachments.isEmpty)
    }

    @Test func alternativePrefersPlainTextAndKeepsFilesOfEveryAlternative() {
        let related = multipart(
            "rel",
            [
                "Content-Type: text/html; charset=utf-8\r\n\r\n<p>完成 html</p>",
                "Content-Type: image/png\r\nContent-ID: <p1>\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=",
            ]
        )
        let body = multipart(
            "alt",
            [
                "Content-Type: text/plain; charset=utf-8\r\n\r\n完成 plain",
                "Content-Type: multipart/related; boundary=rel\r\n\r\n" + related,
            ]
        )
        let message = InboundMessage.parse(
            Array(("Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n" + body).utf8)
        )
        #expect(message.text == "完成 plain")
        #expect(message.attachments.map(\.name) == ["attachment-1.png"])
        #expect(message.attachments.first?.bytes == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    @Test func signaturesAndReportsAreNotEvidenceButATextFileIs() {
        let body = multipart(
            "m",
            [
                "Content-Type: text/plain\r\n\r\n完成",
                "Content-Type: application/pkcs7-signature; name=smime.p7s\r\n\r\nxxxx",
                "Content-Type: text/plain; name=notes.txt\r\nContent-Disposition: attachment; filename=\"C:\\\\Users\\\\wang\\\\notes.txt\"\r\n\r\nminutes",
            ]
        )
        let message = InboundMessage.parse(Array(("Content-Type: multipart/mixed; boundary=m\r\n\r\n" + body).utf8))
        #expect(message.text == "完成")
        #expect(message.attachments.map(\.name) == ["notes.txt"])
    }

    @Test func anUnclosedMultipartStillYieldsItsParts() {
        let body = multipart("m", ["Content-Type: text/plain\r\n\r\n完成"], closed: false)
        let message = InboundMessage.parse(Array(("Content-Type: multipart/mixed; boundary=m\r\n\r\n" + body).utf8))
        #expect(message.text.hasPrefix("完成"))
        #expect(message.notes.contains(.unterminatedMultipart))
    }

    @Test func aMultipartWithoutBoundaryIsOneOpaquePart() {
        let message = InboundMessage.parse(Array("Content-Type: multipart/mixed\r\n\r\n--x\r\n完成".utf8))
        #expect(message.notes.contains(.missingBoundary))
        #expect(message.text.isEmpty)
    }

    @Test func nestingAndPartCountsAreLimited() {
        // 40 levels of multipart/mixed, each holding the next.
        var body = "Content-Type: text/plain\r\n\r\n完成"
        for level in 0..<40 {
            body = "Content-Type: multipart/mixed; boundary=b\(level)\r\n\r\n" + multipart("b\(level)", [body])
        }
        let deep = InboundMessage.parse(Array(body.utf8))
        #expect(deep.notes.contains(.nestedTooDeep(limit: ParseLimits.standard.depth)))
        #expect(deep.text.isEmpty)

        let many = multipart("m", (0..<2_000).map { "Content-Type: image/gif\r\n\r\nGIF\($0)" })
        let wide = InboundMessage.parse(Array(("Content-Type: multipart/mixed; boundary=m\r\n\r\n" + many).utf8))
        #expect(wide.notes.contains(.tooManyParts(limit: ParseLimits.standard.parts)))
        // The budget counts the multipart itself.
        #expect(wide.attachments.count == ParseLimits.standard.parts - 1)
    }

    @Test func attachmentNamesAreMadeSafeToShow() {
        #expect(Attachment.safeName("../../etc/passwd", type: "text/plain", index: 1) == "passwd")
        #expect(Attachment.safeName("a\u{0}b\u{202E}c.jpg", type: "image/jpeg", index: 1) == "abc.jpg")
        #expect(Attachment.safeName("  ", type: "image/jpeg", index: 3) == "attachment-3.jpg")
        #expect(Attachment.safeName(nil, type: "application/x-unknown", index: 2) == "attachment-2")
        let long = Attachment.safeName(String(repeating: "长", count: 300) + ".docx", type: "", index: 1)
        #expect(long.count == 200 && long.hasSuffix(".docx"))
    }

    @Test func theSameFileInTwoAlternativesIsKeptOnce() {
        let part = "Content-Type: image/jpeg; name=a.jpg\r\nContent-Transfer-Encoding: base64\r\n\r\n/9j/4AAQ"
        let body = multipart(
            "alt",
            [
                "Content-Type: multipart/related; boundary=r1\r\n\r\n"
                    + multipart("r1", ["Content-Type: text/plain\r\n\r\nx", part]),
                "Content-Type: multipart/related; boundary=r2\r\n\r\n"
                    + multipart("r2", ["Content-Type: text/html\r\n\r\nx", part]),
            ]
        )
        let message = InboundMessage.parse(
            Array(("Content-Type: multipart/alternative; boundary=alt\r\n\r\n" + body).utf8)
        )
        #expect(message.attachments.count == 1)
    }

    @Test func htmlBecomesTextWithQuotesMarked() {
        let text = HTMLText.text(
            of: """
                <html><head><style>p{color:red}</style><title>t</title></head><body>
                <div>完成&nbsp;11-20</div><div>会议&lt;纪要&gt;&#x89c1;&#38468;件<br>第二行</div>
                <blockquote>原文<blockquote>更早</blockquote></blockquote>
                <script>alert(1)</script></body></html>
                """
        )
        #expect(text == "完成 11-20\n会议<纪要>见附件\n第二行\n> 原文\n> > 更早")
        #expect(
            HTMLText.text(of: "<div>完成</div><div class=\"gmail_quote\">On x wrote:</div>")
                == "完成\n\(HTMLText.quoteMarker)\nOn x wrote:"
        )
        #expect(HTMLText.text(of: "a < b and <unclosed") == "a < b and <unclosed")
        #expect(HTMLText.text(of: "<!-- 完成 -->x") == "x")
    }
}
