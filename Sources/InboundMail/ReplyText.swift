/// The part of a reply its sender wrote: the lines above the quoted original
/// and the signature.
///
/// Chinese clients quote in their own ways; each way below ends the reply's
/// own text (tests hold one fixture per client):
/// - `>` lines (most clients, and HTML `blockquote`s as `HTMLText` renders them);
/// - separators: `-----原始邮件-----` (Foxmail, Coremail/网易, QQ Mail with
///   padding), `-----Original Message-----`, `________________________________`
///   (Outlook), `Begin forwarded message:`;
/// - attribution lines: `在 2026年11月20日 … 写道：` (Apple Mail, Coremail),
///   `王五 <…> 于2026年11月20日周五 15:04写道：` (Gmail), `On … wrote:`,
///   also when the client wrapped them onto two lines;
/// - header blocks: `发件人: …` / `From: …` followed within a few lines by
///   `发送时间:` / `Sent:` / `日期:` / `Date:` / `收件人:` / `To:` / `主题:` / `Subject:`
///   (Outlook, Foxmail, QQ Mail; 寄件者/寄件日期 in traditional characters);
/// - signatures: `-- `, and phone clients' `发自我的iPhone` / `Sent from my …`.
///
/// When nothing is left above a `>` quote (someone answered below it), the
/// lines after the last quoted block are the reply.
public struct ReplyText: Sendable, Hashable {
    /// The reply's own lines, trimmed, without leading and trailing blank lines.
    public var lines: [String]
    /// What ended them, for the journal (nil: the text ended).
    public var cut: Cut?

    public enum Cut: Sendable, Hashable {
        case quote
        case separator
        case attribution
        case headerBlock
        case signature
    }

    public var text: String { lines.joined(separator: "\n") }

    public init(lines: [String], cut: Cut?) {
        self.lines = lines
        self.cut = cut
    }

    public init(_ body: String) {
        let all = Self.normalisedLines(body)
        var own: [String] = []
        var cut: Cut?
        var index = 0
        while index < all.count {
            if let found = Self.cutKind(all, at: index) {
                cut = found
                break
            }
            own.append(all[index])
            index += 1
        }
        if cut == .quote, own.allSatisfy(\.isEmpty) {
            // Answered below the quote: the lines after the last quoted block.
            var below: [String] = []
            var sawQuote = false
            var i = index
            while i < all.count {
                if all[i].hasPrefix(">") {
                    sawQuote = true
                    below = []
                } else if let kind = Self.cutKind(all, at: i), kind != .quote, sawQuote, !below.allSatisfy(\.isEmpty) {
                    break
                } else if let kind = Self.cutKind(all, at: i), kind == .signature {
                    break
                } else if sawQuote {
                    below.append(all[i])
                }
                i += 1
            }
            if !below.allSatisfy(\.isEmpty) { own = below }
        }
        while own.first?.isEmpty == true { own.removeFirst() }
        while own.last?.isEmpty == true { own.removeLast() }
        self.init(lines: own, cut: cut)
    }

    /// Lines without CR, with no-break and full-width spaces made plain and
    /// blanks trimmed; at most the first 2,000 lines (the reply is at the top).
    static func normalisedLines(_ body: String) -> [String] {
        var lines: [String] = []
        // Split on the scalar: in a String, "\r\n" is one Character and would not match "\n".
        for raw in body.unicodeScalars.split(separator: "\n", maxSplits: 2_000, omittingEmptySubsequences: false)
            .prefix(2_000)
        {
            var line = ""
            for scalar in raw {
                switch scalar {
                case "\r", "\u{200B}", "\u{FEFF}": continue
                case "\u{A0}", "\u{3000}", "\t": line.append(" ")
                default: line.unicodeScalars.append(scalar)
                }
            }
            lines.append(line.trimmingCharacters(in: " "))
        }
        return lines
    }

    static func cutKind(_ lines: [String], at index: Int) -> Cut? {
        let line = lines[index]
        if line.hasPrefix(">") { return .quote }
        if line == HTMLText.quoteMarker { return .separator }
        if line == "--" || line == "-- " || line == "——" { return .signature }
        if isSeparator(line) { return .separator }
        if isAttribution(line) { return .attribution }
        // An attribution wrapped onto the next line (or two): `在 2026年11月20日 15:04，王五 <wang` + `wu@…> 写道：`.
        if startsAttribution(line) || (line.contains("<") && line.contains("@")) {
            for extra in 1...2 where index + extra < lines.count {
                let next = lines[index + extra]
                if next.isEmpty || startsAttribution(next) { break }
                if isAttribution(lines[index...(index + extra)].joined(separator: " ")) { return .attribution }
            }
        }
        if isHeaderBlock(lines, at: index) { return .headerBlock }
        if isPhoneSignature(line) { return .signature }
        return nil
    }

    static func isSeparator(_ line: String) -> Bool {
        let lower = line.lowercased()
        if line.count >= 10 && line.allSatisfy({ $0 == "_" }) { return true }
        if lower.hasPrefix("begin forwarded message") || lower.hasPrefix("---------- forwarded message") { return true }
        guard line.hasPrefix("--") || line.hasPrefix("——") || line.hasPrefix("- -") else { return false }
        let words = lower.filter { $0 != "-" && $0 != "—" && $0 != " " }
        return [
            "原始邮件", "原始郵件", "originalmessage", "原邮件", "转发邮件", "转发的邮件", "forwardedmessage", "replymessage",
            "回复的邮件",
        ].contains(words)
    }

    static func isAttribution(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: " ")
        if trimmed.hasSuffix("写道：") || trimmed.hasSuffix("写道:") || trimmed.hasSuffix("寫道：")
            || trimmed.hasSuffix("寫道:")
        {
            return trimmed.count <= 200
        }
        let lower = trimmed.lowercased()
        return lower.hasPrefix("on ") && lower.hasSuffix("wrote:") && lower.count <= 300
    }

    static func startsAttribution(_ line: String) -> Bool {
        line.hasPrefix("在") || line.lowercased().hasPrefix("on ")
    }

    static let fromLabels = ["发件人", "寄件者", "寄件人", "from"]
    static let otherLabels = [
        "发送时间", "寄件日期", "日期", "时间", "sent", "date", "收件人", "收件者", "to", "抄送", "cc", "主题", "主旨", "subject",
    ]

    /// `发件人: …` / `From: …` with another header label within the next four lines.
    static func isHeaderBlock(_ lines: [String], at index: Int) -> Bool {
        guard let label = label(of: lines[index]), fromLabels.contains(label) else { return false }
        for next in (index + 1)..<min(index + 5, lines.count) {
            if let other = Self.label(of: lines[next]), otherLabels.contains(other) { return true }
        }
        return false
    }

    /// `发件人` of `发件人: 王五` (also `*From:*` as some clients bold it), lower case; nil when not a label line.
    static func label(of line: String) -> String? {
        var text = Substring(line)
        while text.first == "*" { text.removeFirst() }
        guard let colon = text.firstIndex(where: { $0 == ":" || $0 == "：" }) else { return nil }
        let name = text[..<colon].filter { $0 != "*" && $0 != " " }.lowercased()
        return name.count <= 12 ? name : nil
    }

    static let phoneSignaturePrefixes = [
        "发自我的", "发自 ", "发自网易", "发自QQ", "来自网易", "来自QQ", "来自我的", "从我的", "sent from my", "sent from mail",
        "get outlook for", "获取 outlook", "发送自", "寄自我的",
    ]

    static func isPhoneSignature(_ line: String) -> Bool {
        let lower = line.lowercased()
        return line.count <= 60 && phoneSignaturePrefixes.contains { lower.hasPrefix($0.lowercased()) }
    }
}
