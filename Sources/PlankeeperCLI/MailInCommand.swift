import ArgumentParser
import Config
import PlanFiles
import Foundation
import Logging
import MailGate
import Secrets
import Tokens
import Vocabulary

struct MailInCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail-in",
        abstract: "接收对提醒邮件的回复并登记 (read one reply from the MTA and record it).",
        discussion: """
            Reads one RFC 5322 message on standard input, as postfix's pipe(8) hands it
            over, and records the occurrence its reply address names when the sender may,
            the token is valid and the reply says 完成 / done (with an optional date and
            note; attachments are kept as evidence). Every reply gets one answer through the
            spool; automatic mail gets none. Exit status: 0 recorded, answered or ignored;
            75 (EX_TEMPFAIL) when the ledger is locked, the disk is full or the state folder
            is not writable: the MTA keeps the message and tries again. See docs/mail.md for
            the postfix lines.

            示例 (examples):
              # master.cf:  plankeeper unix - n n - - pipe
              #   flags=Rq user=plankeeper argv=/usr/bin/plankeeper mail-in
              #   --recipient ${original_recipient}
              plankeeper mail-in --recipient plankeeper+abc…@hospital.example < reply.eml
              plankeeper mail-in --rotate-key   # new key: old notices answer "too old"
            """
    )

    @OptionGroup var options: ConfigOptions
    @Option(
        help: ArgumentHelp("收件地址 (the envelope recipient, e.g. postfix's ${original_recipient}).", valueName: "ADDRESS")
    )
    var recipient: String?
    @Flag(name: .customLong("rotate-key"), help: "更换回复地址的签名密钥 (replace the key that signs reply addresses).")
    var rotateKey = false
    @Option(
        help: ArgumentHelp(
            "假定的当前时间 (pretend it is this time, for tests and demos; as tick --now).",
            valueName: "INSTANT"
        )
    )
    var now: String?

    func run() throws {
        if rotateKey { return try rotate() }
        // From here on, whatever happens is exit 0 or 75: postfix bounces anything else.
        let config: DaemonConfig
        do {
            config = try options.load()
        } catch {
            Terminal.error("plankeeper mail-in: the configuration cannot be read; the mail system will retry")
            throw ExitCode(75)
        }
        var instant = Date()
        if let now {
            guard let parsed = LocalClock(identifier: config.timezone).parseInstant(now) else {
                Terminal.error("plankeeper mail-in: --now takes YYYY-MM-DD, YYYY-MM-DDTHH:MM or an ISO 8601 instant")
                throw ExitCode(75)
            }
            instant = parsed
        }
        Logs.bootstrap()
        let logger = Logger(label: "plankeeper.mail-in")
        guard let input = MailInput.readStandardInput(limit: config.mail.replies.sizeLimit) else {
            logger.error("mail-in: cannot read the message from standard input; the mail system will retry")
            throw ExitCode(75)
        }
        let gate = MailGate(config: config, now: instant, recipient: recipient, logger: logger)
        let result = gate.receive(input)
        if result.exit != .done { throw ExitCode(result.exit.rawValue) }
    }

    func rotate() throws {
        let config = try options.load()
        let language = config.language
        do {
            let keyring = try TokenKeyFile(stateDirectory: config.state).rotate()
            Terminal.write(
                Texts.keyRotated(keyring.current.id).text(in: language)
            )
        } catch {
            Terminal.error("plankeeper: error: \(Message(zh: error.zh, en: error.en).text(in: language))")
            throw ExitCode(1)
        }
    }
}
