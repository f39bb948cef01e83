import MailFormat
import Vocabulary

extension OutboxMessage {
    /// The message as mail for the spool: RFC 5322, 7-bit, CRLF; multipart
    /// with the attachment when there is one.
    ///
    /// - Parameter date: the `Date:` header, already formatted
    ///   (`Wed, 18 Nov 2026 09:00:00 +0800`): the clock and the time zone
    ///   belong to the caller.
    public func mail(date: String) -> [UInt8] {
        let envelope = MailEnvelope(from: from, to: to, replyTo: replyTo, date: date, messageID: messageID)
        let headers = facts.map { ($0.name, $0.value) }
        if let html {
            return AlternativeMail.message(
                envelope: envelope,
                subject: subject,
                text: text,
                html: html,
                attachment: attachment.map {
                    ReportMail.Attachment(fileName: $0.fileName, mediaType: $0.mediaType, bytes: $0.bytes)
                },
                key: key,
                extraHeaders: headers
            )
        }
        guard let attachment else {
            return RFC5322.message(envelope: envelope, subject: subject, body: text, extraHeaders: headers)
        }
        return ReportMail.message(
            envelope: envelope,
            subject: subject,
            text: text,
            attachment: ReportMail.Attachment(
                fileName: attachment.fileName,
                mediaType: attachment.mediaType,
                bytes: attachment.bytes
            ),
            key: key,
            extraHeaders: headers
        )
    }
}
