import Diagnostics
import Vocabulary
import YAMLSource

extension DaemonConfig {
    /// One `reports:` entry: a period report mailed on the first working day
    /// after each period of that kind ends.
    ///
    /// ```yaml
    /// reports:
    ///   - period: month                  # month | quarter | half-year | year
    ///     to: [党委办公室 <dangban@hospital.example>]
    ///     format: html                   # html (default) | csv | text
    ///   - period: quarter
    ///     to: 纪委 <jiwei@hospital.example>, 组织部 <zzb@hospital.example>
    ///     language: en                   # default: the config's language
    ///     organisation: 某某医院党委       # shown above the HTML report's title
    /// ```
    public struct ReportSchedule: Sendable, Hashable {
        /// What is attached: the printable HTML page, the CSV table for
        /// Excel, or nothing (the text report is the whole mail).
        public enum Format: String, Sendable, CaseIterable { case html, csv, text }

        public var period: Period
        /// `(name, address)` pairs, in file order.
        public var to: [Address]
        public var format: Format = .html
        /// Nil: the configuration's `language`.
        public var language: Language?
        public var organisation: String?

        public init(
            period: Period,
            to: [Address],
            format: Format = .html,
            language: Language? = nil,
            organisation: String? = nil
        ) {
            self.period = period
            self.to = to
            self.format = format
            self.language = language
            self.organisation = organisation
        }
    }

    static let reportKeys = ["period", "to", "format", "language", "organisation"]

    /// Parses the `reports:` list; every mistake is a diagnostic at the
    /// offending key or value, and a broken entry is left out.
    static func parseReports(_ node: YAMLNode, reader r: inout NodeReader) -> [ReportSchedule] {
        func m(_ zh: String, _ en: String) -> Message { Message(zh: zh, en: en) }
        guard let entries = r.list(node, what: m("reports", "'reports'"), allowScalar: false) else { return [] }
        var result: [ReportSchedule] = []
        for entry in entries {
            guard let fields = r.mapping(entry, what: m("reports 的每一项", "each 'reports' entry"), known: reportKeys)
            else { continue }
            var ok = true
            var period: Period?
            if let p = fields["period"] {
                if let s = r.singleLine(p.value, what: m("reports.period", "'reports.period'")) {
                    period = Period(rawValue: s)
                    if period == nil {
                        r.error(
                            p.value,
                            m(
                                "reports.period 只能是 month、quarter、half-year 或 year，不是“\(s)”",
                                "reports.period must be month, quarter, half-year or year, not '\(s)'"
                            )
                        )
                    }
                }
            } else {
                r.error(
                    entry,
                    m(
                        "reports 的每一项都要写 period（month、quarter、half-year 或 year）",
                        "each 'reports' entry needs a period (month, quarter, half-year or year)"
                    )
                )
            }
            var recipients: [Address] = []
            if let p = fields["to"] {
                if let items = r.list(p.value, what: m("reports.to", "'reports.to'")) {
                    for item in items {
                        guard let text = r.singleLine(item, what: m("收件人", "a recipient")) else {
                            ok = false
                            continue
                        }
                        // `a <x@y>, b <z@w>` on one line is a common way to write several.
                        for part in splitRecipients(text) {
                            if let rcpt = recipient(part) {
                                recipients.append(rcpt)
                            } else {
                                ok = false
                                r.error(
                                    item,
                                    m(
                                        "收件人“\(part)”格式不对；应写作 姓名 <用户@主机>，例如 党委办公室 <dangban@hospital.example>",
                                        "recipient '\(part)' is not 'Name <user@host>', e.g. 党委办公室 <dangban@hospital.example>"
                                    )
                                )
                            }
                        }
                    }
                    if items.isEmpty {
                        ok = false
                        r.error(p.value, m("reports.to 不能为空", "'reports.to' lists nobody"))
                    }
                } else {
                    ok = false
                }
            } else {
                ok = false
                r.error(entry, m("reports 的每一项都要写 to（收件人）", "each 'reports' entry needs 'to' (its recipients)"))
            }
            var format = ReportSchedule.Format.html
            if let p = fields["format"], let s = r.singleLine(p.value, what: m("reports.format", "'reports.format'")) {
                if let f = ReportSchedule.Format(rawValue: s) {
                    format = f
                } else {
                    ok = false
                    r.error(
                        p.value,
                        m("reports.format 只能是 html、csv 或 text", "reports.format must be html, csv or text")
                    )
                }
            }
            var language: Language?
            if let p = fields["language"],
                let s = r.singleLine(p.value, what: m("reports.language", "'reports.language'"))
            {
                language = Language(rawValue: s)
                if language == nil {
                    ok = false
                    r.error(p.value, m("reports.language 只能是 zh 或 en", "reports.language must be zh or en"))
                }
            }
            var organisation: String?
            if let p = fields["organisation"] {
                organisation = r.singleLine(p.value, what: m("reports.organisation", "'reports.organisation'"))
                if organisation == nil { ok = false }
            }
            if ok, let period {
                result.append(
                    ReportSchedule(
                        period: period,
                        to: recipients,
                        format: format,
                        language: language,
                        organisation: organisation
                    )
                )
            }
        }
        return result
    }

    /// Splits `a <x@y>, b <z@w>` at the commas between addresses (a comma
    /// inside a name such as `Wang, Wu <w@x>` stays: it comes before `<`).
    static func splitRecipients(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        for c in text {
            if c == ",", current.contains(">") || (current.contains("@") && !current.contains("<")) {
                parts.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        parts.append(current)
        return parts.map { $0.trimmingSpaces }.filter { !$0.isEmpty }
    }

    /// `Name <user@host>` or a bare `user@host` (the one parser, `Address.parse`).
    static func recipient(_ text: String) -> Address? {
        Address.parse(text, requireName: false)
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
