/// Putting a token into a reply address and finding it again:
/// `plankeeper@hospital.example` + token → `plankeeper+TOKEN@hospital.example`,
/// as an MTA with `recipient_delimiter = +` delivers to `plankeeper`.
public enum ReplyAddress {
    /// RFC 5321 §4.5.3.1.1.
    public static let maximumLocalPartLength = 64

    /// The reply address, or nil when `base` is not `local@domain` or the
    /// local part would exceed 64 characters (a configuration error the
    /// config check reports before any mail is composed).
    public static func make(base: String, token: String, delimiter: Character = "+") -> String? {
        guard let at = base.lastIndex(of: "@"), at != base.startIndex, base.index(after: at) != base.endIndex else {
            return nil
        }
        let local = base[..<at]
        guard local.count + 1 + token.count <= maximumLocalPartLength else { return nil }
        return "\(local)\(delimiter)\(token)\(base[at...])"
    }

    /// The longest local part a `reply-to` address may have so that every
    /// reply address made from it stays within 64 characters.
    public static var longestBaseLocalPart: Int { maximumLocalPartLength - 1 - ReplyToken.encodedLength }

    /// The token in a recipient address: what follows the first delimiter in
    /// the local part (`plankeeper+TOKEN@host` → `TOKEN`); nil when there is none.
    /// Angle brackets and surrounding space are tolerated.
    public static func token(in address: String, delimiter: Character = "+") -> Substring? {
        var text = address.trimmingASCIIWhitespace()
        if text.first == "<" && text.last == ">" { text = text.dropFirst().dropLast() }
        let local = text.lastIndex(of: "@").map { text[..<$0] } ?? text
        guard let plus = local.firstIndex(of: delimiter) else { return nil }
        let token = local[local.index(after: plus)...]
        return token.isEmpty ? nil : token
    }
}
