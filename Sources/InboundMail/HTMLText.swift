/// The text of an HTML-only reply (webmail, some phone clients), good enough
/// to find the reply's own first lines and cut the quoted original.
///
/// Not a renderer: it drops `head`, `style` and `script`, breaks lines at
/// block elements and `<br>`, decodes entities, collapses blanks, and turns
/// `blockquote` into `> ` lines so the quote detection treats HTML quotes
/// like plain-text ones. The containers webmail clients wrap a quoted
/// original in (Gmail's `gmail_quote`, Outlook's `divRplyFwdMsg`, …) become
/// a marker line the reply-text reader stops at.
enum HTMLText {
    /// A line made of this private-use character marks where a client's quote container began.
    static let quoteMarker = "\u{E000}"

    static let blockTags: Set<String> = [
        "p", "div", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "pre", "section",
        "article", "header", "footer", "center", "dd", "dt", "dl", "address", "tbody", "thead", "form", "fieldset",
    ]
    static let hiddenTags: Set<String> = ["head", "style", "script", "title", "template", "xml", "noscript"]
    static let quoteContainerMarks = [
        "gmail_quote", "divrplyfwdmsg", "appendonsend", "moz-cite-prefix", "yahoo_quoted", "protonmail_quote",
        "mail-editor-reference-message-container", "isreplycontent", "isforwardcontent", "ntes-mailmaster-quote",
        "qqmailquote", "reference-mail",
    ]

    static func text(of html: String) -> String {
        var lines: [String] = []
        var line = ""
        var depth = 0  // blockquote nesting
        var hidden = 0
        var pre = 0
        var pendingSpace = false
        var linePrefixDepth = 0

        func breakLine(force: Bool) {
            if !line.isEmpty || force {
                let prefix = String(repeating: "> ", count: linePrefixDepth)
                var finished = line
                while finished.last == " " { finished.removeLast() }
                lines.append(prefix + finished)
            }
            line = ""
            pendingSpace = false
            linePrefixDepth = depth
        }

        let scalars = Array(html.unicodeScalars)
        var i = 0
        var text = ""
        func flushText() {
            guard !text.isEmpty else { return }
            let decoded = decodeEntities(text)
            text = ""
            guard hidden == 0 else { return }
            for scalar in decoded.unicodeScalars {
                if scalar == "\n" && pre > 0 {
                    breakLine(force: true)
                    continue
                }
                let blank =
                    scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{A0}"
                    || scalar == "\u{200B}" || scalar == "\u{FEFF}"
                if blank && pre == 0 {
                    pendingSpace = true
                    continue
                }
                if line.isEmpty { linePrefixDepth = depth }
                if pendingSpace && !line.isEmpty { line.append(" ") }
                pendingSpace = false
                line.unicodeScalars.append(blank ? " " : scalar)
            }
        }

        while i < scalars.count {
            guard scalars[i] == "<" else {
                text.unicodeScalars.append(scalars[i])
                i += 1
                continue
            }
            // A comment, a declaration, or a tag.
            if i + 3 < scalars.count, scalars[i + 1] == "!", scalars[i + 2] == "-", scalars[i + 3] == "-" {
                flushText()
                var j = i + 4
                while j + 2 < scalars.count, !(scalars[j] == "-" && scalars[j + 1] == "-" && scalars[j + 2] == ">") {
                    j += 1
                }
                i = min(j + 3, scalars.count)
                continue
            }
            var j = i + 1
            var quote: Unicode.Scalar?
            while j < scalars.count {
                let c = scalars[j]
                if let q = quote {
                    if c == q { quote = nil }
                } else if c == "\"" || c == "'" {
                    quote = c
                } else if c == ">" {
                    break
                }
                j += 1
            }
            guard j < scalars.count else {
                // "<" without a ">": text.
                text.unicodeScalars.append(scalars[i])
                i += 1
                continue
            }
            flushText()
            let inside = String(String.UnicodeScalarView(scalars[(i + 1)..<j]))
            i = j + 1
            var body = Substring(inside)
            let closing = body.first == "/"
            if closing { body = body.dropFirst() }
            let name = String(body.prefix { $0.isLetter || $0.isNumber }).lowercased()
            guard !name.isEmpty else { continue }
            if hiddenTags.contains(name) {
                hidden = max(0, hidden + (closing ? -1 : (body.hasSuffix("/") ? 0 : 1)))
                continue
            }
            switch name {
            case "br":
                breakLine(force: true)
            case "blockquote":
                breakLine(force: false)
                depth = max(0, depth + (closing ? -1 : 1))
                linePrefixDepth = depth
            default:
                if blockTags.contains(name) { breakLine(force: false) }
                if name == "pre" { pre = max(0, pre + (closing ? -1 : 1)) }
                if !closing {
                    let attributes = body.lowercased()
                    if quoteContainerMarks.contains(where: { attributes.contains($0) }) {
                        breakLine(force: false)
                        lines.append(quoteMarker)
                    }
                }
            }
        }
        flushText()
        breakLine(force: false)
        // At most one blank line in a row, none at the ends.
        var result: [String] = []
        for l in lines {
            let blank = l.allSatisfy { $0 == " " || $0 == ">" }
            if blank && (result.last.map { $0.allSatisfy { $0 == " " || $0 == ">" } } ?? true) { continue }
            result.append(l)
        }
        while let last = result.last, last.allSatisfy({ $0 == " " || $0 == ">" }) { result.removeLast() }
        return result.joined(separator: "\n")
    }

    static let namedEntities: [String: String] = [
        "nbsp": "\u{A0}", "lt": "<", "gt": ">", "amp": "&", "quot": "\"", "apos": "'", "ldquo": "“", "rdquo": "”",
        "lsquo": "‘", "rsquo": "’", "mdash": "—", "ndash": "–", "hellip": "…", "middot": "·", "copy": "©",
        "reg": "®", "times": "×", "ensp": " ", "emsp": " ", "thinsp": " ", "zwnj": "", "zwj": "", "shy": "",
        "yen": "¥", "bull": "•", "laquo": "«", "raquo": "»",
    ]

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            guard scalars[i] == "&" else {
                out.unicodeScalars.append(scalars[i])
                i += 1
                continue
            }
            var j = i + 1
            while j < scalars.count, j - i <= 10, scalars[j] != ";" { j += 1 }
            if j < scalars.count, scalars[j] == ";" {
                let entity = String(String.UnicodeScalarView(scalars[(i + 1)..<j]))
                if let replacement = namedEntities[entity.lowercased()] {
                    out += replacement
                    i = j + 1
                    continue
                }
                if entity.hasPrefix("#") {
                    let digits = entity.dropFirst()
                    let value =
                        digits.first == "x" || digits.first == "X"
                        ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
                    if let value, let scalar = Unicode.Scalar(value), value != 0 {
                        out.unicodeScalars.append(scalar)
                        i = j + 1
                        continue
                    }
                }
            }
            out.unicodeScalars.append(scalars[i])
            i += 1
        }
        return out
    }
}
