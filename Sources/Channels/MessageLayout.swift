import Diagnostics
import Vocabulary

/// Lays a `ChannelMessage` out as markdown or plain text that fits the
/// service's limit, shortening rather than sending what it would refuse.
///
/// The order of what gives way when the text is too long: first the items
/// of a summary (the oldest stay; a line says how many more there are and
/// the link leads to all of them), then the body, cut at a character with
/// `…`. The link and the @-mentions are kept to the last, because they are
/// what a reader acts on. `fits` measures what the service measures (the
/// content's bytes for 企业微信, the whole JSON body for 钉钉).
public struct MessageLayout: Sendable {
    public enum Style: Sendable, Equatable {
        /// 企业微信 markdown: one line per block, warnings in `<font color="warning">`.
        case wecomMarkdown
        /// 钉钉 markdown: blocks apart by a blank line (a single newline is not a break there).
        case dingtalkMarkdown
        /// Plain text (企业微信 app text messages, the text of a mention).
        case plain
    }

    public var style: Style
    /// How many items of a summary a group sees at most.
    public var groupItemLimit: Int

    public init(style: Style, groupItemLimit: Int = 10) {
        self.style = style
        self.groupItemLimit = max(0, groupItemLimit)
    }

    /// The laid-out text. `mentions` are written at the end (`@13800001111`), as
    /// 钉钉 needs for an @ in markdown; pass none where the service takes them apart.
    public func text(
        _ message: ChannelMessage,
        to recipient: ChannelRecipient,
        mentions: [String] = [],
        fits: (String) -> Bool
    ) -> String {
        let shown =
            recipient.isGroup && message.kind.isSummary
            ? min(message.items.count, groupItemLimit) : message.items.count
        let full = compose(message, items: shown, mentions: mentions)
        if fits(full) { return full }
        // Fewer items: the largest number that fits (longer with every item).
        var low = 0
        var high = shown - 1
        var best: Int?
        while low <= high {
            let mid = (low + high) / 2
            if fits(compose(message, items: mid, mentions: mentions)) {
                best = mid
                low = mid + 1
            } else {
                high = mid - 1
            }
        }
        if let best { return compose(message, items: best, mentions: mentions) }
        // Still too long with no item: cut the text before the link.
        let tail = self.tail(message, mentions: mentions)
        let body = compose(message, items: 0, mentions: [], link: false)
        if let cut = cut(body, before: tail, fits: fits) { return cut }
        // Even the link does not fit (a link of thousands of bytes): without it.
        return cut(body, before: "", fits: fits) ?? "…"
    }

    // MARK: Parts

    var separator: String { style == .dingtalkMarkdown ? "\n\n" : "\n" }

    func compose(_ m: ChannelMessage, items: Int, mentions: [String], link: Bool = true) -> String {
        var blocks: [String] = [heading(m)]
        blocks += m.lines.map(clean)
        if !m.facts.isEmpty {
            blocks.append(m.facts.map { fact($0) }.joined(separator: style == .plain ? "\n" : "\n"))
        }
        if !m.counts.isEmpty {
            blocks.append(m.counts.map { count($0) }.joined(separator: "\n"))
        }
        if !m.items.isEmpty {
            var list = m.items.prefix(items).map { "- " + clean($0) }
            if items < m.items.count {
                list.append(more(hidden: m.items.count - items, all: m.items.count, m.language))
            }
            blocks.append(list.joined(separator: "\n"))
        }
        var text = blocks.joined(separator: separator)
        let t = tail(m, mentions: mentions, link: link)
        if !t.isEmpty { text += t }
        return text
    }

    /// The link and the mentions, with the separator before them.
    func tail(_ m: ChannelMessage, mentions: [String], link: Bool = true) -> String {
        var parts: [String] = []
        if link, let l = m.link {
            switch style {
            case .plain: parts.append("\(l.label)：\(l.url)")
            case .wecomMarkdown, .dingtalkMarkdown: parts.append("[\(clean(l.label))](\(l.url))")
            }
        }
        if !mentions.isEmpty { parts.append(mentions.map { "@" + $0 }.joined(separator: " ")) }
        return parts.isEmpty ? "" : separator + parts.joined(separator: separator)
    }

    func heading(_ m: ChannelMessage) -> String {
        let title = clean(m.title)
        switch style {
        case .plain: return title
        case .wecomMarkdown:
            return m.kind.isWarning ? "**<font color=\"warning\">\(title)</font>**" : "**\(title)**"
        case .dingtalkMarkdown: return "### " + title
        }
    }

    func fact(_ f: ChannelMessage.Fact) -> String {
        switch style {
        case .plain: return "\(clean(f.label))：\(clean(f.value))"
        case .wecomMarkdown, .dingtalkMarkdown: return "> \(clean(f.label))：\(clean(f.value))"
        }
    }

    func count(_ f: ChannelMessage.Fact) -> String {
        switch style {
        case .plain: return "\(clean(f.label))：\(clean(f.value))"
        case .wecomMarkdown, .dingtalkMarkdown: return "\(clean(f.label))：**\(clean(f.value))**"
        }
    }

    func more(hidden: Int, all: Int, _ language: Language) -> String {
        Texts.moreItems(hidden: hidden, all: all).text(in: language)
    }

    /// User text in markdown: `<` and `>` would open HTML (`<font>`, `<a>`)
    /// in 企业微信's renderer; they become the full-width forms, which read
    /// the same. Line breaks inside one line become spaces.
    func clean(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\r", "\n": out.append(" ")
            case "<" where style != .plain: out.append("＜")
            case ">" where style != .plain: out.append("＞")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// The longest prefix of `text` (whole characters) that, with `…` and
    /// `tail` after it, fits; nil when not even `…` and the tail fit.
    func cut(_ text: String, before tail: String, fits: (String) -> Bool) -> String? {
        let characters = Array(text)
        func candidate(_ n: Int) -> String { String(characters.prefix(n)) + "…" + tail }
        guard fits(candidate(0)) else { return nil }
        var low = 0
        var high = characters.count
        while low < high {
            let mid = (low + high + 1) / 2
            if fits(candidate(mid)) { low = mid } else { high = mid - 1 }
        }
        return candidate(low)
    }
}
