import Config
import Foundation
import Logging
import Spool
import Vocabulary

/// The configured mail transport and delivery agent, built the same way for
/// the daemon and for `plankeeper deliver`.
public enum DeliverySetup {
    /// Nil for `transport: none` (the spool is the end of the line).
    public static func transport(
        _ mail: DaemonConfig.MailSettings,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> (any MailTransport)? {
        switch mail.transport {
        case .none:
            return nil
        case .sendmail:
            return SendmailTransport(path: mail.sendmail)
        case .smtp:
            var password: SMTPSettings.PasswordSource?
            if let name = mail.smtpPasswordCredential {
                password = .credential(name)
            } else if let file = mail.smtpPasswordFile {
                password = .file(file)
            }
            let settings = SMTPSettings(
                host: mail.smtpHost,
                port: mail.smtpPort,
                security: SMTPSettings.Security(rawValue: mail.smtpTLS) ?? .none,
                user: mail.smtpUser,
                password: password
            )
            return SMTPTransport(settings: settings, environment: environment)
        }
    }

    public static func agent(
        config: DaemonConfig,
        spool: Spool,
        transport: any MailTransport,
        logger: Logger
    ) -> DeliveryAgent {
        DeliveryAgent(
            spool: spool,
            transport: transport,
            retry: RetryPolicy(giveUpAfter: Int64(config.mail.giveUpAfterMinutes) * 60),
            logger: logger,
            language: config.language,
            fallbackSender: Address(mailbox: config.mail.from, defaultName: "").address
        )
    }

    /// Whether this process runs with `no_new_privs` (systemd's
    /// `NoNewPrivileges=yes`, implied by many other hardening options):
    /// then a setgid helper such as postfix's `postdrop` does not get its
    /// group, and postfix's sendmail cannot queue mail.
    public static func noNewPrivileges(
        status: String? = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)
    ) -> Bool {
        guard let status else { return false }
        return status.split(separator: "\n").contains { line in
            line.hasPrefix("NoNewPrivs:")
                && line.dropFirst("NoNewPrivs:".count).trimmingCharacters(in: .whitespaces) == "1"
        }
    }
}
