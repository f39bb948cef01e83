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
        var lines = [""]
        lines.append(Texts.outstandingPerBranch.text(in: language))
        for branch in totals.branches {
            let owner = branch.owner.trimmingSpaces
            let heading = owner.isEmpty ? Texts.noBranchGiven.text(in: language) : owner
            let escalated =
                showEscalated && branch.escalated > 0
                ? Texts.ofWhichEscalated(branch.escalated).text(in: language) : ""
            lines.append(
                Texts.branchTotalLine(heading, items: branch.items, escalated: escalated, oldestDue: branch.oldestDue)
                    .text(in: language)
            )
        }
        let rest = max(0, totals.items - listed)
        lines.append("")
        lines.append(
            Texts.oldestListedAskForRest(listed: listed, rest: rest).text(in: language)
        )
        return lines
    }
}
