import Vocabulary

/// One message to hand over: the envelope and the exact bytes of the file.
public struct OutgoingMail: Sendable {
    /// `MAIL FROM` / `sendmail -f`; empty for the null sender.
    public var sender: String
    /// `RCPT TO` / sendmail's recipient arguments.
    public var recipients: [String]
    /// The message as spooled: CRLF line ends, 7-bit (base64 bodies).
    public var bytes: [UInt8]

    public init(sender: String, recipients: [String], bytes: [UInt8]) {
        self.sender = sender
        self.recipients = recipients
        self.bytes = bytes
    }
}

/// What the mail system said about one message.
public enum TransportResult: Sendable, Equatable {
    /// Accepted: from here on it is the MTA's job. `answer` is what it said
    /// (`250 2.0.0 Ok: queued as 4F2A31C0D`), kept beside the delivered file.
    case accepted(answer: String)
    /// Not now: the message stays queued and is tried again later.
    /// `systemDown` means the mail system as a whole is unreachable (no
    /// connection, login refused), so the rest of this pass is not tried
    /// against it either; otherwise only this message was refused for now
    /// (a 4xx answer, greylisting).
    case temporary(Message, systemDown: Bool)
    /// Never as it is: unknown user, refused message. It goes to `failed/`.
    case permanent(Message)
}

/// Something that hands a message to the mail system: sendmail, SMTP, or a
/// fake in tests. Calls block (a child process, a network exchange), so the
/// daemon runs them on a thread of their own, never on the concurrency pool.
public protocol MailTransport: Sendable {
    /// How this transport is named in logs and delivery records:
    /// `sendmail /usr/sbin/sendmail`, `smtp://127.0.0.1:25`.
    var name: String { get }
    func send(_ mail: OutgoingMail) -> TransportResult
}
