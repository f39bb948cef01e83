import PlankeeperTestSupport
import Testing
@testable import Delivery
import Vocabulary

/// What each answer of the mail system means for the message.
@Suite struct ClassificationTests {
    @Test(
        arguments: [
            (0, SendmailExit.Meaning.accepted),
            (75, .temporary),  // EX_TEMPFAIL: the issue's example
            (71, .temporary), (73, .temporary), (74, .temporary),
            // The MTA's setup:
            (64, .temporary), (70, .temporary), (72, .temporary), (77, .temporary), (78, .temporary),
            (1, .temporary), (255, .temporary),  // outside sysexits: keep the message
            (65, .permanent), (66, .permanent), (67, .permanent), (68, .permanent), (69, .permanent), (76, .permanent),
        ] as [(Int32, SendmailExit.Meaning)]
    )
    func sendmailExitStatus(status: Int32, meaning: SendmailExit.Meaning) {
        #expect(SendmailExit.meaning(ofStatus: status) == meaning)
    }

    @Test func sendmailFailureQuotesTheMTA() {
        let tempfail = SendmailTransport.classify(
            Child.Outcome(termination: .exited(75), output: "sendmail: fatal: queue file write error\n"),
            path: "/usr/sbin/sendmail"
        )
        guard case .temporary(let reason, let down) = tempfail else {
            Issue.record("75 must be temporary: \(tempfail)")
            return
        }
        #expect(!down)
        #expect(
            reason.zh == "/usr/sbin/sendmail 退出码 75 EX_TEMPFAIL（暂时失败，稍后重试）: sendmail: fatal: queue file write error"
        )
        #expect(reason.en.contains("exited with 75 EX_TEMPFAIL"))

        let nouser = SendmailTransport.classify(
            Child.Outcome(termination: .exited(67), output: ""),
            path: "/x/sendmail"
        )
        #expect(
            nouser
                == .permanent(
                    Message(
                        zh: "/x/sendmail 退出码 67 EX_NOUSER（收件人不存在）",
                        en: "/x/sendmail exited with 67 EX_NOUSER (addressee unknown)"
                    )
                )
        )

        #expect(
            SendmailTransport.classify(Child.Outcome(termination: .exited(0), output: ""), path: "/s")
                == .accepted(answer: "/s: exit 0")
        )
        #expect(
            SendmailTransport.classify(Child.Outcome(termination: .exited(0), output: "queued\r\nas X\n"), path: "/s")
                == .accepted(answer: "/s: exit 0: queued | as X")
        )
        if case .temporary = SendmailTransport.classify(
            Child.Outcome(termination: .signaled(9), output: ""),
            path: "/s"
        ) {
        } else {
            Issue.record("a killed sendmail is a temporary failure")
        }
    }

    @Test func crlfBecomesLFForSendmail() {
        #expect(SendmailTransport.unixLineEnds(Array("a\r\nb\r\n\r\nc\rd\n".utf8)) == Array("a\nb\n\nc\rd\n".utf8))
    }

    @Test func smtpAccepted() {
        let r = SMTPTransport.classify(
            curlCode: 0,
            responseCode: 250,
            lastReply: "250 2.0.0 Ok: queued as 37D20FC094",
            curlMessage: "",
            server: "smtp://127.0.0.1:25"
        )
        #expect(r == .accepted(answer: "250 2.0.0 Ok: queued as 37D20FC094"))
    }

    @Test func smtpUnknownUserIsPermanent() {
        let r = SMTPTransport.classify(
            curlCode: 55,
            responseCode: 550,
            lastReply:
                "550 5.1.1 <nobody@pktest.example>: Recipient address rejected: User unknown in virtual mailbox table",
            curlMessage: "RCPT failed: 550",
            server: "smtp://127.0.0.1:25"
        )
        guard case .permanent(let reason) = r else {
            Issue.record("550 must be permanent: \(r)")
            return
        }
        #expect(reason.zh.hasPrefix("SMTP 服务器 smtp://127.0.0.1:25 拒收：550 5.1.1 <nobody@pktest.example>"))
    }

    @Test func smtpFourHundredsAreTemporary() {
        let greylisted = SMTPTransport.classify(
            curlCode: 55,
            responseCode: 450,
            lastReply: "450 4.2.0 Greylisted",
            curlMessage: "",
            server: "s"
        )
        #expect(
            greylisted
                == .temporary(
                    Message(
                        zh: "SMTP 服务器 s 暂时拒收：450 4.2.0 Greylisted",
                        en: "SMTP server s deferred it: 450 4.2.0 Greylisted"
                    ),
                    systemDown: false
                )
        )
        if case .temporary(_, let down) = SMTPTransport.classify(
            curlCode: 8,
            responseCode: 421,
            lastReply: "421 4.3.2 Shutting down",
            curlMessage: "",
            server: "s"
        ) {
            #expect(down, "421 closes the channel for every message")
        } else {
            Issue.record("421 must be temporary")
        }
    }

    @Test func smtpNoConnectionMeansTheSystemIsDown() {
        let r = SMTPTransport.classify(
            curlCode: 7,
            responseCode: 0,
            lastReply: nil,
            curlMessage: "Failed to connect to 127.0.0.1 port 25 after 0 ms: Couldn't connect to server",
            server: "smtp://127.0.0.1:25"
        )
        #expect(
            r
                == .temporary(
                    Message(
                        zh:
                            "无法连接 SMTP 服务器 smtp://127.0.0.1:25：Failed to connect to 127.0.0.1 port 25 after 0 ms: Couldn't connect to server",
                        en:
                            "cannot reach SMTP server smtp://127.0.0.1:25: Failed to connect to 127.0.0.1 port 25 after 0 ms: Couldn't connect to server"
                    ),
                    systemDown: true
                )
        )
    }

    @Test func smtpLoginRefusedIsASetupProblemNotTheMessages() {
        let r = SMTPTransport.classify(
            curlCode: 67,
            responseCode: 535,
            lastReply: "535 5.7.8 Error: authentication failed",
            curlMessage: "Login denied",
            server: "s"
        )
        guard case .temporary(let reason, true) = r else {
            Issue.record("a refused login keeps the message: \(r)")
            return
        }
        #expect(reason.zh.contains("mail.smtp.user"))
        let required = SMTPTransport.classify(
            curlCode: 55,
            responseCode: 530,
            lastReply: "530 5.7.0 Authentication required",
            curlMessage: "MAIL failed: 530",
            server: "s"
        )
        guard case .temporary(let why, true) = required else {
            Issue.record("530 is a missing login, not a bad message: \(required)")
            return
        }
        #expect(why.zh == "SMTP 服务器 s 要求登录（530 5.7.0 Authentication required）；请设置 mail.smtp.user 和密码")
    }

    @Test func theReplyThatCarriedTheCode() {
        let lines = [
            "220 mx ESMTP", "250-mx", "250 SMTPUTF8", "250 2.1.0 Ok",
            "550 5.1.1 <x@y>: Recipient address rejected", "221 2.0.0 Bye",
        ]
        #expect(SMTPTransport.reply(to: 550, in: lines) == "550 5.1.1 <x@y>: Recipient address rejected")
        #expect(
            SMTPTransport.reply(to: 250, in: ["250 2.1.5 Ok", "354 End data", "250 2.0.0 Ok: queued as X"])
                == "250 2.0.0 Ok: queued as X"
        )
        #expect(SMTPTransport.reply(to: 0, in: ["221 Bye"]) == "221 Bye")
        #expect(SMTPTransport.reply(to: 451, in: []) == nil)
    }

    @Test func smtpURLs() {
        #expect(SMTPSettings().url == "smtp://127.0.0.1:25")
        #expect(SMTPSettings(host: "::1", port: 465, security: .implicit).url == "smtps://[::1]:465")
        #expect(
            SMTPSettings(host: "mail.hospital.example", port: 587, security: .starttls).url
                == "smtp://mail.hospital.example:587"
        )
    }

    @Test func passwordFromCredentialsDirectoryOrFile() throws {
        let dir = try Scratch()
        try dir.write("smtp-password", "s3cret\r\n")
        let byCredential = SMTPTransport(
            settings: SMTPSettings(user: "u", password: .credential("smtp-password")),
            environment: ["CREDENTIALS_DIRECTORY": dir.path]
        )
        #expect(try byCredential.readPassword(.credential("smtp-password")).get() == "s3cret")
        let byFile = SMTPTransport(settings: SMTPSettings(), environment: [:])
        #expect(try byFile.readPassword(.file(dir.path + "/smtp-password")).get() == "s3cret")
        // Missing: a clear reason, and the message is kept (temporary, whole system).
        guard case .failure(let missing) = byFile.readPassword(.credential("smtp-password")) else {
            Issue.record("no $CREDENTIALS_DIRECTORY must fail")
            return
        }
        #expect(missing.zh.contains("CREDENTIALS_DIRECTORY"))
        let result = SMTPTransport(
            settings: SMTPSettings(user: "u", password: .file(dir.path + "/nope")),
            environment: [:]
        )
        .send(OutgoingMail(sender: "a@x", recipients: ["b@x"], bytes: []))
        guard case .temporary(let reason, true) = result else {
            Issue.record("an unreadable password file must defer: \(result)")
            return
        }
        #expect(reason.en.contains("ENOENT"))
    }
}
