import Vocabulary

/// A period report as mail: `multipart/mixed` with the plain-text summary
/// first (what a phone shows in the preview) and the report as an
/// attachment (HTML to print, or CSV for Excel).
///
/// Same choices as `RFC5322.message`: 7-bit headers with RFC 2047 words,
/// base64 UTF-8 bodies in 76-column lines, CRLF throughout. The attachment's
/// Chinese file name is given twice, as clients read one or the other:
/// RFC 2231 `filename*` (split into `filename*0*`, `filename*1*`, … so no
/// header line passes 78 columns) in Content-Disposition, and an RFC 2047
/// `name=` in Content-Type for older clients (Outlook).
///
/// The boundary is derived from the content key the caller passes, never
/// random, so a message rebuilt after a crash is byte-for-byte the same; it
/// starts with `=_`, which base64 never produces at the start of a line.
public enum ReportMail {
    public struct Attachment: Sendable {
        public var fileName: String
        /// `text/html` or `text/csv`; `charset=utf-8` is added.
        public var mediaType: String
        public var bytes: [UInt8]

        public init(fileName: String, mediaType: String, bytes: [UInt8]) {
            self.fileName = fileName
            self.mediaType = mediaType
            self.bytes = bytes
        }
    }

    /// - Parameters:
    ///   - key: what identifies the message (the spool name will do): the
    ///     boundary is derived from it.
    ///   - attachment: nil gives a plain `text/plain` message.
    public static func message(
        envelope: MailEnvelope,
        subject: String,
        text: String,
        attachment: Attachment?,
        key: String,
        extraHeaders: [(String, String)]
    ) -> [UInt8] {
        guard let attachment else {
            return RFC5322.message(envelope: envelope, subject: subject, body: text, extraHeaders: extraHeaders)
        }
        let boundary = "=_plankeeper_" + String(StableHash.of(key), radix: 16)

        var lines = RFC5322.envelopeHeaders(envelope, subject: subject)
        lines.append("MIME-Version: 1.0")
        lines.append("Content-Type: multipart/mixed; boundary=\"\(boundary)\"")
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
        line("--" + boundary)
        line("Content-Type: text/plain; charset=utf-8")
        line("Content-Transfer-Encoding: base64")
        line("")
        out += RFC5322.bodyBytes(text)
        line("--" + boundary)
        let media = RFC5322.asciiOnly(attachment.mediaType).filter { !$0.isWhitespace && $0 != ";" && $0 != "\"" }
        line("Content-Type: \(media.isEmpty ? "application/octet-stream" : media); charset=utf-8;")
        // Encoded words one per line: folding white space between them is
        // dropped by RFC 2047 decoders, so the name comes back whole.
        let words = RFC5322.encodedWords(RFC5322.oneLine(attachment.fileName), wordLimit: 70)
        for (i, word) in words.enumerated() {
            line(" " + (i == 0 ? "name=\"" : "") + word + (i == words.count - 1 ? "\"" : ""))
        }
        line("Content-Transfer-Encoding: base64")
        line("Content-Disposition: attachment;")
        let segments = rfc2231Segments(attachment.fileName)
        for (i, segment) in segments.enumerated() {
            line(" filename*\(i)*=" + (i == 0 ? "utf-8''" : "") + segment + (i == segments.count - 1 ? "" : ";"))
        }
        line("")
        out += base64Lines(attachment.bytes)
        line("--" + boundary + "--")
        return out
    }

    /// The file name percent-encoded per RFC 2231 (attr-char kept, every
    /// other octet as `%XX`), cut into segments of at most 60 characters,
    /// each ending on a whole UTF-8 character so every segment is readable
    /// on its own by lenient decoders too.
    static func rfc2231Segments(_ name: String) -> [String] {
        let clean = RFC5322.oneLine(name)
        var segments: [String] = []
        var current = ""
        for scalar in clean.unicodeScalars {
            var piece = ""
            for byte in String(scalar).utf8 {
                if isAttrChar(byte) {
                    piece.unicodeScalars.append(Unicode.Scalar(byte))
                } else {
                    let hex = String(byte, radix: 16, uppercase: true)
                    piece += "%" + (hex.count == 1 ? "0" : "") + hex
                }
            }
            if current.count + piece.count > 60, !current.isEmpty {
                segments.append(current)
                current = ""
            }
            current += piece
        }
        if !current.isEmpty || segments.isEmpty { segments.append(current) }
        return segments
    }

    /// RFC 2231 attribute-char: printable ASCII except space, `*'%` and tspecials.
    static func isAttrChar(_ b: UInt8) -> Bool {
        guard b > 32, b < 127 else { return false }
        return !"*'%()<>@,;:\\\"/[]?=".utf8.contains(b)
    }

    /// Bytes (not text: no line-end conversion, the attachment is sent as is)
    /// in base64, 76 columns, CRLF.
    static func base64Lines(_ bytes: [UInt8]) -> [UInt8] {
        let encoded = Base64.encode(bytes)
        var out: [UInt8] = []
        var start = 0
        while start < encoded.count {
            let end = min(start + 76, encoded.count)
            out += encoded[start..<end]
            out += RFC5322.crlf
            start = end
        }
        return out
    }
}
