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
        historyTotal: Int
    ) {
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
        let zh = language == .zh
        let period = PeriodLabel.name(of: e.period, in: language)
        let late = deadline(-max(0, e.workdaysOverdue), language)
        let owner = withOwner ? e.owner.trimmingSpaces + (zh ? " · " : " · ") : ""
        let flag = e.escalated ? (zh ? " 【督办】" : " [escalated]") : ""
        return zh
            ? "\(owner)\(e.itemTitle.trimmingSpaces)（\(period)）截止 \(dueText(e.due, language))，\(late)\(flag)"
            : "\(owner)\(e.itemTitle.trimmingSpaces) (\(period)), due \(dueText(e.due, language)), \(late)\(flag)"
    }

    /// The plain-text body (the part every client shows).
    public static func supervisorDigestBody(_ d: SupervisorDigest, language: Language) -> String {
        let zh = language == .zh
        let name = d.recipientName.trimmingSpaces
        var lines: [String] = [
            zh ? (name.isEmpty ? "您好！" : "\(name)，您好！") : (name.isEmpty ? "Hello," : "Hello \(name),"), "",
        ]
        let t = d.totals
        let since =
            d.previous.map { zh ? "上次日报（\($0)）以来" : "since the previous digest (\($0))" } ?? (zh ? "今日" : "today")
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
        // 1. What is new.
        lines.append("")
        if d.newTotal == 0 {
            lines.append(zh ? "一、\(since)没有新增逾期或督办事项。" : "1. Nothing new \(since).")
        } else {
            lines.append(
                zh
                    ? "一、\(since)新增 \(d.newTotal) 项" + (d.newlyEscalated > 0 ? "（其中 \(d.newlyEscalated) 项今日起督办）" : "")
                        + "："
                    : "1. New \(since): \(d.newTotal)"
                        + (d.newlyEscalated > 0 ? " (\(d.newlyEscalated) escalated now)" : "") + ":"
            )
            for (i, e) in d.new.enumerated() {
                lines.append("  \(i + 1). " + digestLine(e, withOwner: true, language: language))
            }
            if d.newTotal > d.new.count {
                lines.append(
                    zh
                        ? "  另有 \(d.newTotal - d.new.count) 项未逐条列出，见附件。"
                        : "  \(d.newTotal - d.new.count) more, in the attachment."
                )
            }
        }
        // 2. Everything, by branch.
        lines.append("")
        lines.append(zh ? "二、按支部（逾期项多的在前）：" : "2. By branch (most overdue first):")
        var order: [String] = []
        var groups: [String: [OverdueDigestEntry]] = [:]
        for e in d.listed.sorted(by: { ($0.due, $0.itemTitle, $0.period) < ($1.due, $1.itemTitle, $1.period) }) {
            let owner = e.owner.trimmingSpaces
            if groups[owner] == nil { order.append(owner) }
            groups[owner, default: []].append(e)
        }
        let counts = Dictionary(t.branches.map { ($0.owner.trimmingSpaces, $0) }, uniquingKeysWith: { a, _ in a })
        order.sort { a, b in
            let (ca, cb) = (counts[a]?.items ?? groups[a]?.count ?? 0, counts[b]?.items ?? groups[b]?.count ?? 0)
            return ca != cb ? ca > cb : a < b
        }
        var number = 0
        for owner in order {
            let items = groups[owner] ?? []
            let total = counts[owner]?.items ?? items.count
            let heading = owner.isEmpty ? (zh ? "（未注明责任单位）" : "(no branch given)") : owner
            lines.append(zh ? "\(heading)（\(total) 项）" : "\(heading) (\(total) \(total == 1 ? "item" : "items"))")
            for e in items {
                number += 1
                lines.append("  \(number). " + digestLine(e, withOwner: false, language: language))
            }
        }
        if t.items > d.listed.count {
            let unlisted = t.branches.filter { groups[$0.owner.trimmingSpaces] == nil }
            if !unlisted.isEmpty {
                lines.append(zh ? "其余支部（未逐条列出）：" : "Other branches (not listed one by one):")
                for b in unlisted {
                    lines.append(
                        zh
                            ? "  \(b.owner.trimmingSpaces)：\(b.items) 项，最早截止 \(b.oldestDue)"
                            : "  \(b.owner.trimmingSpaces): \(b.items) \(b.items == 1 ? "item" : "items"), oldest due \(b.oldestDue)"
                    )
                }
            }
            lines.append(
                zh
                    ? "（正文列出截止最早的 \(d.listed.count) 项，全部 \(t.items) 项见附件 CSV 文件。）"
                    : "(The \(d.listed.count) oldest are listed here; all \(t.items) are in the attached CSV file.)"
            )
        }
        if d.historyTotal > 0 {
            lines.append("")
            lines.append(
                zh
                    ? "另有 \(d.historyTotal) 项在开始跟踪前就已逾期（未跟踪），已在首次汇总中列出一次，此处不再列出。"
                    : "\(d.historyTotal) more were overdue before tracking began (not tracked): they were listed once in the first digest and are left out here."
            )
        }
        lines.append("")
        lines.append(
            zh
                ? "请督促相关支部尽快办理并登记完成。本日报每个工作日发送一次，全部办结后不再发送。"
                : "Please ask the branches to complete and record them. This digest comes once a working day until nothing is overdue."
        )
        lines += signature(language)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The CSV file's rows (header first): every overdue item, by branch.
    public static func supervisorDigestRows(_ d: SupervisorDigest, language: Language) -> [[String]] {
        let zh = language == .zh
        var rows = [
            zh
                ? ["支部", "工作事项", "周期", "截止日期", "逾期工作日", "督办", "新增", "计划", "事项"]
                : ["Branch", "Item", "Period", "Due", "Working days late", "Escalated", "New", "Plan", "Item id"]
        ]
        let new = Set(d.new.map { "\($0.planID)/\($0.itemID)/\($0.period)" })
        for e in d.all {
            rows.append([
                e.owner, e.itemTitle, e.period, e.due.description, String(e.workdaysOverdue),
                e.escalated ? (zh ? "是" : "yes") : "",
                new.contains("\(e.planID)/\(e.itemID)/\(e.period)") ? (zh ? "是" : "yes") : "",
                e.planID, e.itemID,
            ])
        }
        return rows
    }

    /// The HTML alternative: the same two sections as tables.
    public static func supervisorDigestHTML(_ d: SupervisorDigest, language: Language) -> String {
        let zh = language == .zh
        func h(_ s: String) -> String { HTMLText.escape(s) }
        let t = d.totals
        var out =
            "<!DOCTYPE html>\n<html lang=\"\(zh ? "zh-CN" : "en")\"><head><meta charset=\"utf-8\"><title>\(h(supervisorDigestSubject(d, language: language)))</title></head>\n"
        out += "<body style=\"font-family: sans-serif; font-size: 14px; color: #222\">\n"
        let name = d.recipientName.trimmingSpaces
        out +=
            "<p>\(h(zh ? (name.isEmpty ? "您好！" : "\(name)，您好！") : (name.isEmpty ? "Hello," : "Hello \(name),")))</p>\n"
        let summary =
            zh
            ? "截至 \(dueText(d.date, language))：逾期未办 \(t.items) 项，涉及 \(t.branches.count) 个支部，其中督办 \(t.escalated) 项。"
            : "As of \(dueText(d.date, language)): \(t.items) overdue, in \(t.branches.count) branches; \(t.escalated) escalated."
        out += "<p>\(h(summary))</p>\n"
        let head =
            zh
            ? ["序号", "支部", "工作事项", "周期", "截止日期", "逾期", "督办"]
            : ["#", "Branch", "Item", "Period", "Due", "Late", "Escalated"]
        func table(_ entries: [OverdueDigestEntry]) -> String {
            var s = "<table style=\"border-collapse: collapse\" cellpadding=\"4\" border=\"1\">\n<tr>"
            s += head.map { "<th style=\"background: #eee; text-align: left\">\(h($0))</th>" }.joined() + "</tr>\n"
            for (i, e) in entries.enumerated() {
                let late = zh ? "\(e.workdaysOverdue) 个工作日" : "\(e.workdaysOverdue) wd"
                s +=
                    "<tr><td>\(i + 1)</td><td>\(h(e.owner))</td><td>\(h(e.itemTitle))</td><td>\(h(PeriodLabel.name(of: e.period, in: language)))</td>"
                s +=
                    "<td>\(e.due)</td><td>\(h(late))</td><td>\(e.escalated ? "<b style=\"color: #b00\">\(h(zh ? "督办" : "yes"))</b>" : "")</td></tr>\n"
            }
            return s + "</table>\n"
        }
        out += "<h3>\(h(zh ? "一、新增（\(d.newTotal) 项）" : "1. New (\(d.newTotal))"))</h3>\n"
        out += d.new.isEmpty ? "<p>\(h(zh ? "没有新增事项。" : "Nothing new."))</p>\n" : table(d.new)
        out += "<h3>\(h(zh ? "二、按支部（\(t.items) 项）" : "2. By branch (\(t.items))"))</h3>\n"
        let order = Dictionary(t.branches.enumerated().map { ($1.owner, $0) }, uniquingKeysWith: { a, _ in a })
        out += table(
            d.listed.sorted {
                (order[$0.owner] ?? .max, $0.due, $0.itemTitle) < (order[$1.owner] ?? .max, $1.due, $1.itemTitle)
            }
        )
        if t.items > d.listed.count {
            out +=
                "<p>\(h(zh ? "正文列出截止最早的 \(d.listed.count) 项，全部 \(t.items) 项见附件。" : "The \(d.listed.count) oldest are listed; all \(t.items) are in the attachment."))</p>\n"
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
