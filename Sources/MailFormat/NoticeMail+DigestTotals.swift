import Vocabulary
import WorkCalendar

/// What a digest counts, as opposed to what it lists: a digest mail lists
/// at most `digest-limit` items one by one, and when there are more it says
/// how many there are in all and per branch, so the reader still sees the
/// whole picture (which branch to call first) without 20,000 entries.
public struct DigestTotals: Sendable, Equatable {
    public struct Branch: Sendable, Equatable {
        public var owner: String
        public var items: Int
        /// Past their escalation date (overdue digest only; 0 otherwise).
        public var escalated: Int
        public var oldestDue: CivilDate

        public init(owner: String, items: Int, escalated: Int, oldestDue: CivilDate) {
            self.owner = owner
            self.items = items
            self.escalated = escalated
            self.oldestDue = oldestDue
        }
    }

    public var items: Int
    public var escalated: Int
    /// Most items first, ties by name.
    public var branches: [Branch]

    public init(items: Int, escalated: Int, branches: [Branch]) {
        self.items = items
        self.escalated = escalated
        self.branches = branches
    }
}

extension NoticeMail {
    /// The lines a truncated digest adds before its list: every branch's
    /// count, then which items follow and how to see the rest.
    static func branchSummary(_ totals: DigestTotals, listed: Int, showEscalated: Bool, language: Language) -> [String]
    {
        let zh = language == .zh
        var lines = [""]
        lines.append(zh ? "各支部未办项数（从多到少）：" : "Outstanding items per branch (most first):")
        for branch in totals.branches {
            let owner = branch.owner.trimmingSpaces
            let heading = owner.isEmpty ? (zh ? "（未注明责任单位）" : "(no branch given)") : owner
            let escalated =
                showEscalated && branch.escalated > 0
                ? (zh ? "，其中督办 \(branch.escalated) 项" : ", \(branch.escalated) escalated") : ""
            lines.append(
                zh
                    ? "  \(heading)：\(branch.items) 项\(escalated)，最早截止 \(branch.oldestDue)"
                    : "  \(heading): \(branch.items) \(branch.items == 1 ? "item" : "items")\(escalated), oldest due \(branch.oldestDue)"
            )
        }
        let rest = max(0, totals.items - listed)
        lines.append("")
        lines.append(
            zh
                ? "以下逐条列出截止最早的 \(listed) 项；其余 \(rest) 项未逐条列出，完整清单可请管理员运行 plankeeper status --owner 支部名称 查看。"
                : "The \(listed) oldest are listed below; the other \(rest) are not listed one by one: for the full list, ask the administrator to run plankeeper status --owner BRANCH."
        )
        return lines
    }
}
