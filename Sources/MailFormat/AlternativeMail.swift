import Vocabulary
/// A digest as mail (issue 15): `multipart/mixed` holding a
/// `multipart/alternative` (the plain text first, for every client and for
/// phones' previews, then the same content as HTML with tables) and the full
/// list as a file (CSV, UTF-8 with BOM, opens in Excel).
///
/// The same choices as `ReportMail`: 7-bit headers with RFC 2047 words,
/// base64 UTF-8 parts in 76-column lines, CRLF throughout, the attachment's
/// name both as RFC 2231 `filename*` and RFC 2047 `name=`, and boundaries
/// derived from the message key, never random, so a digest rebuilt after a
/// crash is byte for byte the same.
public enum AlternativeMail {
    public static func message(
        envelope: MailEnvelope,
        subject: String,
        text: String,
        html: String,
        attachment: ReportMail.Attachment?,
        key: String,
        extraHeaders: [(String, String)]
    ) -> [UInt8] {
        let hash = StableHash.of(key)
        let mixed = "=_plankeeper_m_" + String(hash, radix: 16)
        let alternative = "=_plankeeper_a_" + String(hash, radix: 16)

        var lines = RFC5322.envelopeHeaders(envelope, subject: subject)
        lines.append("MIME-Version: 1.0")
        lines.append(
            "Content-Type: multipart/\(attachment == nil ? "alternative" : "mixed");\r\n boundary=\"\(attachment == nil ? alternative : mixed)\""
        )
        lines.append("Auto-Submitted: auto-generated")
        lines += RFC5322.otherHeaders(extraHeaders, envelope: envelope)
        var out: [UInt8] = []
        func line(_ s: String) {
            out += s.utf8
            out += RFC5322.crlf
        }
        for l in lines { line(l) }
        line("")
        line("This is a multi-part message in MIME format.")
        if attachment != nil {
            line("--" + mixed)
            line("Content-Type: multipart/alternative;")
            line(" boundary=\"\(alternative)\"")
            line("")
        }
        line("--" + alternative)
        line("Content-Type: text/plain; charset=utf-8")
        line("Content-Transfer-Encoding: base64")
        line("")
        out += RFC5322.bodyBytes(text)
        line("--" + alternative)
        line("Content-Type: text/html; charset=utf-8")
        line("Content-Transfer-Encoding: base64")
        line("")
        out += RFC5322.bodyBytes(html)
        line("--" + alternative + "--")
        guard let attachment else { return out }
        line("--" + mixed)
        let media = RFC5322.asciiOnly(attachment.mediaType).filter { !$0.isWhitespace && $0 != ";" && $0 != "\"" }
        line("Content-Type: \(media.isEmpty ? "application/octet-stream" : media); charset=utf-8;")
        let words = RFC5322.encodedWords(RFC5322.oneLine(attachment.fileName), wordLimit: 70)
        for (i, word) in words.enumerated() {
            line(" " + (i == 0 ? "name=\"" : "") + word + (i == words.count - 1 ? "\"" : ""))
        }
        line("Content-Transfer-Encoding: base64")
        line("Content-Disposition: attachment;")
        let segments = ReportMail.rfc2231Segments(attachment.fileName)
        for (i, segment) in segments.enumerated() {
            line(" filename*\(i)*=" + (i == 0 ? "utf-8''" : "") + segment + (i == segments.count - 1 ? "" : ";"))
        }
        line("")
        out += ReportMail.base64Lines(attachment.bytes)
        line("--" + mixed + "--")
        return out
    }
}
