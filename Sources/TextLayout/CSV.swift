/// The one CSV writer (RFC 4180, for Excel): reports and the ledger's
/// `records --format csv` both write with it.
///
/// Excel runs a cell that starts with `=`, `+`, `-` or `@` as a formula, and
/// a record's note or a plan's title is text anyone may have typed: such a
/// field gets a leading `'` (shown by Excel, never run), unless it is a plain
/// number such as `-3`.
public enum CSV {
    /// Written first, so Excel reads the file as UTF-8 (Chinese, not mojibake).
    public static let byteOrderMark = "\u{FEFF}"

    /// One field: formula-guarded, and quoted when it holds a comma, a quote
    /// or a line break (quotes doubled).
    public static func field(_ s: String) -> String {
        var v = s
        if let first = v.unicodeScalars.first, "=+-@".unicodeScalars.contains(first), Double(v) == nil { v = "'" + v }
        let needsQuotes = v.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        if !needsQuotes { return v }
        var out = "\""
        for c in v.unicodeScalars {
            if c == "\"" { out += "\"\"" } else { out.unicodeScalars.append(c) }
        }
        return out + "\""
    }

    /// One record: its fields joined by commas, CRLF at the end.
    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }
}
