/// Caps what a message quotes of a user's text: a 10,000-character id used
/// to give a 10,160-byte diagnostic line. The start of the text is enough to
/// find it, and the position says where it is.
public enum Quote {
    /// What messages quote of a user's value, in Unicode scalars.
    public static let limit = 60

    /// The text itself when short, else its first `limit` scalars and "…".
    public static func clip(_ text: some StringProtocol, _ limit: Int = Quote.limit) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > limit else { return String(text) }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars.prefix(limit))
        return String(view) + "…"
    }
}

extension Quote {
    /// A message's length cap, in Unicode scalars: far above any message's
    /// own words, so only a quoted value can reach it.
    public static let messageLimit = 300

    /// Caps the values a message quotes, wherever it was built: each
    /// “…” segment, and each '…' segment without spaces (an id, a key, a
    /// word; an apostrophe never opens one), longer than `limit` is clipped;
    /// a message still longer than `messageLimit` keeps its start and its
    /// end (where the advice is) around an ellipsis.
    public static func clipQuoted(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count > limit else { return text }
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            let close: Unicode.Scalar? = c == "“" ? "”" : c == "'" ? "'" : nil
            if let close, let end = scalars[(i + 1)...].firstIndex(of: close), end - i - 1 > limit,
                close == "”" || !scalars[(i + 1)..<end].contains(where: { $0.properties.isWhitespace })
            {
                out.append(c)
                out.append(contentsOf: scalars[(i + 1)..<(i + 1 + limit)])
                out.append("…")
                out.append(close)
                i = end + 1
                continue
            }
            out.append(c)
            i += 1
        }
        if out.count > messageLimit {
            let kept = Array(out)
            var short = String.UnicodeScalarView()
            short.append(contentsOf: kept.prefix(messageLimit * 2 / 3))
            short.append(contentsOf: " … ".unicodeScalars)
            short.append(contentsOf: kept.suffix(messageLimit / 4))
            return String(short)
        }
        return String(out)
    }
}
