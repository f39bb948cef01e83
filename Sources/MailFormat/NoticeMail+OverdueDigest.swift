import Vocabulary
import WorkCalendar

/// One line of a supervisor's daily overdue digest.
public struct OverdueDigestEntry: Sendable {
    public var owner: String
    public var itemTitle: String
    public var period: String
    public var planID: String
    public var itemID: String
    public var due: CivilDate
    public var workdaysOverdue: Int
    /// Past its escalation date: the supervisor is now expected to act.
    public var escalated: Bool

    public init(
        owner: String, itemTitle: String, period: String, planID: String, itemID: String, due: CivilDate,
        workdaysOverdue: Int, escalated: Bool
    ) {
        self.owner = owner
        self.itemTitle = itemTitle
        self.period = period
        self.planID = planID
        self.itemID = itemID
        self.due = due
        self.workdaysOverdue = workdaysOverdue
        self.escalated = escalated
    }
}

extension NoticeMail {
    /// `【党建督办日报】2026-11-24 共 7 项逾期（3 个支部）`.
    public static func overdueDigestSubject(count: Int, branches: Int, date: CivilDate, language: Language) -> String {
        let n = max(0, count)
        let b = max(0, branches)
        switch language {
        case .zh: return tag(.digest, .zh) + "\(date) 共 \(n) 项逾期（\(b) 个支部）"
        case .en:
            return tag(.digest, .en) + " \(date): \(n) overdue \(n == 1 ? "item" : "items") in \(b) \(b == 1 ? "branch" : "branches")"
        }
    }

    /// The supervisor's daily list, grouped by branch (the branch with the
    /// most overdue items first: that is where a phone call helps most),
    /// each group oldest deadline first, escalated items marked. `totals`,
    /// when it counts more items than `entries` lists, adds every branch's
    /// count and says how many are not listed (see `DigestTotals`).
    public static func overdueDigestBody(
        _ entries: [OverdueDigestEntry], recipient: Address, date: CivilDate, language: Language,
        totals: DigestTotals? = nil
    ) -> String {
        let zh = language == .zh
        let name = recipient.name.trimmingSpaces
        var lines: [String] = []
        lines.append(zh ? (name.isEmpty ? "您好！" : "\(name)，您好！") : (name.isEmpty ? "Hello," : "Hello \(name),"))
        lines.append("")
        var order: [String] = []
        var groups: [String: [OverdueDigestEntry]] = [:]
        for entry in entries.sorted(by: { ($0.due, $0.itemTitle, $0.period) < ($1.due, $1.itemTitle, $1.period) }) {
            let owner = entry.owner.trimmingSpaces
            if groups[owner] == nil { order.append(owner) }
            groups[owner, default: []].append(entry)
        }
        order.sort { a, b in
            let (ca, cb) = (groups[a]?.count ?? 0, groups[b]?.count ?? 0)
            return ca != cb ? ca > cb : a < b
        }
        let escalated = totals?.escalated ?? entries.filter(\.escalated).count
        let count = totals?.items ?? entries.count
        let branches = totals?.branches.count ?? order.count
        if zh {
            lines.append("截至 \(dueText(date, language))，您督办的计划中有 \(count) 项工作已过截止日期、尚未登记完成，涉及 \(branches) 个支部" + (escalated > 0 ? "；其中 \(escalated) 项已到督办时限（标“督办”）。" : "。"))
            lines.append("请督促相关支部尽快办理并登记完成。本日报每个工作日发送一次，全部办结后不再发送。")
        } else {
            lines.append("As of \(dueText(date, language)), \(count) \(count == 1 ? "item" : "items") in the plans you supervise \(count == 1 ? "is" : "are") past the deadline and not recorded as done, in \(branches) \(branches == 1 ? "branch" : "branches")" + (escalated > 0 ? "; \(escalated) reached the escalation limit (marked \"escalated\")." : "."))
            lines.append("Please ask the branches to complete and record them. This digest comes once a working day until nothing is overdue.")
        }
        if let totals, totals.items > entries.count {
            lines += branchSummary(totals, listed: entries.count, showEscalated: true, language: language)
        }
        lines += numberedGroups(order.map { owner in
            (owner, (groups[owner] ?? []).map {
                ListedItem(title: $0.itemTitle, period: $0.period, due: $0.due, workdaysOverdue: $0.workdaysOverdue,
                           planID: $0.planID, itemID: $0.itemID, flag: $0.escalated ? (zh ? " 【督办】" : " [escalated]") : "")
            })
        }, language: language)
        lines += signature(language)
        return lines.joined(separator: "\n") + "\n"
    }
}
