import Diagnostics
import Foundation
import MailFormat
import Outbox
import Vocabulary

/// The mail that carries a sign-in link: what it says and the spool file
/// name it goes out under (derived from the link's nonce, so writing it again
/// after a crash can never send two).
struct SignInMail {
    var to: String
    var name: String
    var link: String
    var minutes: Int
    var language: Language

    var subject: String {
        Texts.signInSubject.text(in: language)
    }

    var body: String {
        let greeting = name.isEmpty ? "" : Texts.signInGreeting(name).text(in: language)
        if language == .zh {
            return greeting + """
                请点击下面的链接登录党建工作台（\(minutes) 分钟内有效，只能使用一次）：

                \(link)

                打开后请按“登录”按钮。如果不是您本人申请的，请忽略这封邮件，您的账户不受影响。
                """
        }
        return greeting + """
            Open this link to sign in to the party work desk (it works once, within \(minutes) minutes):

            \(link)

            Then press "Sign in". If you did not ask for it, ignore this mail; nothing changes.
            """
    }

    /// The spool name: `web_sign-in_<nonce>_…`, unique per link.
    func spoolName(nonce: String) -> String {
        SpoolName.make(
            plan: "web",
            item: "sign-in",
            period: String(nonce.prefix(16)),
            kind: "sign-in",
            offset: "",
            recipient: to
        )
    }

    func message(from: Address, date: String, messageID: String) -> [UInt8] {
        RFC5322.message(
            envelope: MailEnvelope(
                from: from,
                to: [Address(name: name, address: to)],
                replyTo: nil,
                date: date,
                messageID: messageID
            ),
            subject: subject,
            body: body,
            extraHeaders: [("X-Plankeeper-Kind", "sign-in")]
        )
    }

    /// `Name <address>` → its parts; a bare address has an empty name.
    static func mailbox(_ text: String) -> Address {
        Address(mailbox: text, defaultName: "")
    }
}
