import Vocabulary
import WorkCalendar

/// What a supervisor's daily overdue digest says (issue 15, item 3): a mail
/// that reads in a minute. It leads with what is new since the previous
/// digest (items that fell overdue, escalations, which are told here rather
/// than in a mail each), then lists every overdue item by branch, one line an
/// item, no command to type; the full list travels as a CSV file, and the
/// same table as HTML for clients that show it.
public struct SupervisorDigest: Sendable {
    public var recipientName: String
    public var date: CivilDate
    /// The previous digest's day, when there was one.
    public var previous: CivilDate?
    /// New since the previous digest (by branch, at most the line limit).
    public var new: [OverdueDigestEntry]
    public var newTotal: Int
    public var newlyEscalated: Int
    /// Every overdue item, or the oldest `digest-limit` of them.
    public var listed: [OverdueDigestEntry]
    public var totals: DigestTotals
    /// Every overdue item, by branch: the CSV file.
    public var all: [OverdueDigestEntry]
    /// Overdue since before tracking began: not listed (the backlog digest did, once).
    public var historyTotal: Int
    /// The mail carries a reply address naming this digest (issue 16, item 4):
    /// the text and the HTML say that a reply "完成 1 3 5-7" records those lines.
    public var replyable: Bool

    public init(
        recipientName: String,
        date: CivilDate,
        previous: CivilDate?,
        new: [OverdueDigestEntry],
        newTotal: Int,
        newlyEscalated: Int,
        listed: [OverdueDigestEntry],
        totals: DigestTotals,
        all: [OverdueDigestEntry],
        historyTotal: Int,
        replyable: Bool = false
    ) {
        self.replyable = replyable
        self.recipientName = recipientName
        self.date = date
        self.previous = previous
        self.new = new
        self.newTotal = newTotal
        self.newlyEscalated = newlyEscalated
        self.listed = listed
        self.totals = totals
        self.all = all
        self.historyTotal = historyTotal
    }
}

/// One listed line of a supervisor's digest and the number a reply names it by.
public struct NumberedDigestEntry: Sendable {
    public var number: Int
    public var entry: OverdueDigestEntry
}

extension SupervisorDigest {
    /// The digest as it is laid out, with its one numbering (issue 16, item
    /// 4): the text, the HTML and the ledger's list of lines (for a reply
    /// "完成 1 3 5-7") all come from here, so they cannot disagree.
    ///
    /// The list by branch is the digest's canonical list, numbered 1, 2, …
    /// in reading order. An item of the "new" section keeps the number it
    /// has there (an item has one number wherever it appears, so a reply
    /// cannot record one item twice under two numbers); a new item the
    /// list leaves out (a digest cut at `digest-limit` lists the oldest,
    /// while the new are the youngest) is numbered after the list.
    public struct Layout: Sendable {
        public struct Group: Sendable {
            /// The branch's name, trimmed ("" when the plan names none).
            public var owner: String
            /// Every overdue item of the branch, listed or not.
            public var total: Int
            public var lines: [NumberedDigestEntry]
        }

        /// Most overdue branch first (ties by name), each oldest deadline first.
        public var groups: [Group]
        /// The "new" section, in the digest's order.
        public var new: [NumberedDigestEntry]
        /// The occurrence each number names: number n is `numbering[n - 1]`.
        public var numbering: [OccurrenceKey]
    }

    public var layout: Layout {
        var order: [String] = []
        var byOwner: [String: [OverdueDigestEntry]] = [:]
        let sorted = listed.sorted {
            ($0.due, $0.itemTitle, $0.period, $0.planID, $0.itemID) < (
                $1.due, $1.itemTitle, $1.period, $1.planID, $1.itemID
            )
        }
        for e in sorted {
            let owner = e.owner.trimmingSpaces
            if byOwner[owner] == nil { order.append(owner) }
            byOwner[owner, default: []].append(e)
        }
        let counts = Dictionary(
            totals.branches.map { ($0.owner.trimmingSpaces, $0.items) },
            uniquingKeysWith: { a, _ in a }
        )
        func total(_ owner: String) -> Int { counts[owner] ?? byOwner[owner]?.count ?? 0 }
        order.sort { a, b in total(a) != total(b) ? total(a) > total(b) : a < b }

        var numbering: [OccurrenceKey] = []
        var numbers: [OccurrenceKey: Int] = [:]
        func number(_ e: OverdueDigestEntry) -> Int {
            let key = OccurrenceKey(plan: e.planID, item: e.itemID, period: e.period)
            if let n = numbers[key] { return n }
            numbering.append(key)
            numbers[key] = numbering.count
            return numbering.count
        }
        let groups = order.map { owner in
            Layout.Group(
                owner: owner,
                total: total(owner),
                lines: (byOwner[owner] ?? []).map { NumberedDigestEntry(number: number($0), entry: $0) }
            )
        }
        let new = self.new.map { NumberedDigestEntry(number: number($0), entry: $0) }
        return Layout(groups: groups, new: new, numbering: numbering)
    }
}

extension NoticeMail {
    /// `【党建督办日报】2026-11-30 新增 3 项（其中督办 2 项）· 共 41 项逾期（40 个支部）`.
    public static func supervisorDigestSubject(_ d: SupervisorDigest, language: Language) -> String {
        let n = d.totals.items
        let b = d.totals.branches.count
        switch language {
        case .zh:
            let new =
                d.newTotal > 0
                ? "新增 \(d.newTotal) 项" + (d.newlyEscalated > 0 ? "（其中督办 \(d.newlyEscalated) 项）" : "") + " · " : ""
            return tag(.digest, .zh) + "\(d.date) \(new)共 \(n) 项逾期（\(b) 个支部）"
        case .en:
            let new =
                d.newTotal > 0
                ? "\(d.newTotal) new" + (d.newlyEscalated > 0 ? " (\(d.newlyEscalated) escalated)" : "") + " · " : ""
            return tag(.digest, .en)
                + " \(d.date): \(new)\(n) overdue \(n == 1 ? "item" : "items") in \(b) \(b == 1 ? "branch" : "branches")"
        }
    }

    /// One line for an item: `党小组会（2026 年 11 月）截止 11-26（周四），逾期 3 个工作日 【督办】`.
    static func digestLine(_ e: OverdueDigestEntry, withOwner: Bool, language: Language) -> String {
        let period = PeriodLabel.name(of: e.period, in: language)
        let late = deadline(-max(0, e.workdaysOverdue), language)
        let owner = withOwner ? e.owner.trimmingSpaces + Texts.ownerSeparator.text(in: language) : ""
        let flag = e.escalated ? Texts.escalatedFlag.text(in: language) : ""
        return Texts.digestItemLine(
            owner: owner,
            title: e.itemTitle.trimmingSpaces,
            period: period,
            due: dueText(e.due, language),
            late: late,
            flag: flag
        ).text(in: language)
    }

    /// The plain-text body (the part every client shows).
    public static func supervisorDigestBody(_ d: SupervisorDigest, language: Language) -> String {
        let zh = language == .zh
        let name = d.recipientName.trimmingSpaces
        var lines: [String] = [
            Texts.greeting(name).text(in: language), "",
        ]
        let t = d.totals
        let since =
            d.previous.map { Texts.sincePreviousDigest($0).text(in: language) } ?? Texts.today.text(in: language)
        if zh {
            lines.append(
                "截至 \(dueText(d.date, language))，您督办的计划中有 \(t.items) 项工作已过截止日期、尚未登记完成，涉及 \(t.branches.count) 个支部"
                    + (t.escalated > 0 ? "，其中 \(t.escalated) 项已到督办时限。" : "。")
            )
        } else {
            lines.append(
                "As of \(dueText(d.date, language)), \(t.items) \(t.items == 1 ? "item" : "items") in the plans you supervise \(t.items == 1 ? "is" : "are") past the deadline and not recorded as done, in \(t.branches.count) \(t.branches.count == 1 ? "branch" : "branches")"
                    + (t.escalated > 0 ? "; \(t.escalated) reached the escalation limit." : ".")
            )
        }
        if d.replyable { lines += digestReplyHint(language) }
        let layout = d.layout
        // 1. What is new.
        lines.append("")
        if d.newTotal == 0 {
            lines.append(Texts.nothingNewSince(since).text(in: language))
        } else {
            lines.append(
                Texts.newSince(since, total: d.newTotal, newlyEscalated: d.newlyEscalated).text(in: language)
            )
            for line in layout.new {
                lines.append("  \(line.number). " + digestLine(line.entry, withOwner: true, language: language))
            }
            if d.newTotal > d.new.count {
                lines.append(
                    Texts.moreInAttachment(d.newTotal - d.new.count).text(in: language)
                )
            }
        }
        // 2. Everything, by branch, numbered as the reply names them.
        lines.append("")
        lines.append(Texts.byBranchMostOverdueFirst.text(in: language))
        for group in layout.groups {
            let heading = group.owner.isEmpty ? Texts.noBranchGiven.text(in: language) : group.owner
            lines.append(
                Texts.branchHeading(heading, count: group.total).text(in: language)
            )
            for line in group.lines {
                lines.append("  \(line.number). " + digestLine(line.entry, withOwner: false, language: language))
            }
        }
        if t.items > d.listed.count {
            let listedOwners = Set(layout.groups.map(\.owner))
            let unlisted = t.branches.filter { !listedOwners.contains($0.owner.trimmingSpaces) }
            if !unlisted.isEmpty {
                lines.append(Texts.otherBranchesNotListed.text(in: language))
                for b in unlisted {
                    lines.append(
                        Texts.unlistedBranchLine(b.owner.trimmingSpaces, items: b.items, oldestDue: b.oldestDue).text(
                            in: language
                        )
                    )
                }
            }
            lines.append(
                Texts.oldestListedRestInCSV(listed: d.listed.count, all: t.items).text(in: language)
            )
        }
        if d.historyTotal > 0 {
            lines.append("")
            lines.append(
                Texts.historyLeftOut(d.historyTotal).text(in: language)
            )
        }
        lines.append("")
        lines.append(
            Texts.askBranchesToComplete.text(in: language)
        )
        lines += signature(language)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The CSV file's rows (header first): every overdue item, by branch.
    public static func supervisorDigestRows(_ d: SupervisorDigest, language: Language) -> [[String]] {
        var rows = [
            Texts.digestCSVColumns.map { $0.text(in: language) }
        ]
        let new = Set(d.new.map { "\($0.planID)/\($0.itemID)/\($0.period)" })
        for e in d.all {
            rows.append([
                e.owner, e.itemTitle, e.period, e.due.description, String(e.workdaysOverdue),
                e.escalated ? Texts.yes.text(in: language) : "",
                new.contains("\(e.planID)/\(e.itemID)/\(e.period)") ? Texts.yes.text(in: language) : "",
                e.planID, e.itemID,
            ])
        }
        return rows
    }

    /// The HTML alternative: the same two sections as tables.
    public static func supervisorDigestHTML(_ d: SupervisorDigest, language: Language) -> String {
        func h(_ s: String) -> String { HTMLText.escape(s) }
        let t = d.totals
        var out =
            "<!DOCTYPE html>\n<html lang=\"\(Texts.htmlLang.text(in: language))\"><head><meta charset=\"utf-8\"><title>\(h(supervisorDigestSubject(d, language: language)))</title></head>\n"
        out += "<body style=\"font-family: sans-serif; font-size: 14px; color: #222\">\n"
        let name = d.recipientName.trimmingSpaces
        out +=
            "<p>\(h(Texts.greeting(name).text(in: language)))</p>\n"
        let summary =
            Texts.digestHTMLSummary(
                date: dueText(d.date, language),
                items: t.items,
                branches: t.branches.count,
                escalated: t.escalated
            ).text(in: language)
        out += "<p>\(h(summary))</p>\n"
        let head =
            Texts.digestHTMLColumns.map { $0.text(in: language) }
        if d.replyable { out += "<p>\(h(digestReplyHint(language).joined()))</p>\n" }
        func table(_ lines: [NumberedDigestEntry]) -> String {
            var s = "<table style=\"border-collapse: collapse\" cellpadding=\"4\" border=\"1\">\n<tr>"
            s += head.map { "<th style=\"background: #eee; text-align: left\">\(h($0))</th>" }.joined() + "</tr>\n"
            for line in lines {
                let e = line.entry
                let late = Texts.workdaysLateShort(e.workdaysOverdue).text(in: language)
                s +=
                    "<tr><td>\(line.number)</td><td>\(h(e.owner))</td><td>\(h(e.itemTitle))</td><td>\(h(PeriodLabel.name(of: e.period, in: language)))</td>"
                s +=
                    "<td>\(e.due)</td><td>\(h(late))</td><td>\(e.escalated ? "<b style=\"color: #b00\">\(h(Texts.escalatedCell.text(in: language)))</b>" : "")</td></tr>\n"
            }
            return s + "</table>\n"
        }
        // The same numbers as the text (`SupervisorDigest.layout`).
        let layout = d.layout
        out += "<h3>\(h(Texts.newHeading(d.newTotal).text(in: language)))</h3>\n"
        out += layout.new.isEmpty ? "<p>\(h(Texts.nothingNew.text(in: language)))</p>\n" : table(layout.new)
        out += "<h3>\(h(Texts.byBranchHeading(t.items).text(in: language)))</h3>\n"
        out += table(layout.groups.flatMap(\.lines))
        if t.items > d.listed.count {
            out +=
                "<p>\(h(Texts.oldestListedRestAttached(listed: d.listed.count, all: t.items).text(in: language)))</p>\n"
        }
        return out + "</body></html>\n"
    }
}

/// HTML text escaping for mail parts.
enum HTMLText {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
