import Vocabulary
import WorkCalendar

extension NoticeMail {
    /// One message listing the history (issue 15): every item that was
    /// overdue before tracking started, listed once and never mailed on its
    /// own afterwards.
    ///
    /// Entries are grouped by branch, the branch with the oldest deadline
    /// first, each group oldest deadline first: the reader starts with what
    /// has waited longest. Each entry carries its own `plankeeper done` line.
    ///
    /// `totals`, when it counts more items than `entries` lists (the
    /// digest was cut at `digest-limit`), adds every branch's count and says
    /// how many are not listed.
    ///
    /// `replyable`: the mail carries a reply address naming this digest
    /// (issue 16): the body says a reply "完成 1 3 5-7" records those lines,
    /// and keeps each line's command as the administrator's way.
    ///
    /// `desk`: the web desk's address (`web.url`, issue 17), where what was
    /// done is acknowledged in one go on 我的待办.
    public static func backlogBody(
        _ entries: [BacklogEntry],
        recipient: Address,
        language: Language,
        totals: DigestTotals? = nil,
        replyable: Bool = false,
        desk: String? = nil
    ) -> String {
        let zh = language == .zh
        let name = recipient.name.trimmingSpaces
        var lines: [String] = []
        switch language {
        case .zh: lines.append(name.isEmpty ? "您好！" : "\(name)，您好！")
        case .en: lines.append(name.isEmpty ? "Hello," : "Hello \(name),")
        }
        lines.append("")
        if entries.isEmpty {
            lines.append(Texts.noOverdueOutstanding.text(in: language))
            lines += signature(language)
            return lines.joined(separator: "\n") + "\n"
        }
        let count = totals?.items ?? entries.count
        let cut = count > entries.count
        if zh {
            lines.append("\(cut ? "共有" : "以下") \(count) 项工作已逾期，且尚未登记完成。")
            lines.append("它们在提醒系统开始跟踪之前就已逾期（例如计划录入前就已到期）：为免一次收到大量邮件，系统只在此汇总一次，今后不再逐条提醒，也不再督办；在工作状态中显示为“未跟踪”。")
            lines.append("请逐项核实：已办理的请登记完成，未办理的请尽快安排。")
        } else {
            lines.append(
                "\(cut ? "In all," : "The following") \(count) \(count == 1 ? "item is" : "items are") overdue and not recorded as done."
            )
            lines.append(
                "They were overdue before the reminder service started tracking (for example, the plan was entered after the deadline): to spare you a flood of mail they are listed here once, and will not be mailed or escalated one by one; status shows them as not tracked."
            )
            lines.append("Please check each one: record those already done, and schedule the rest.")
        }
        if let totals, cut {
            lines += branchSummary(totals, listed: entries.count, showEscalated: false, language: language)
        }

        if replyable { lines += digestReplyHint(language) }
        if let desk {
            lines.append("")
            lines.append(
                Texts.confirmHistoryOnDesk.text(in: language)
            )
            lines.append("    " + desk + "/todo")
        }
        let order = backlogGroups(entries)
        lines += numberedGroups(
            order.map { group in
                (
                    group.owner,
                    group.entries.map {
                        ListedItem(
                            title: $0.itemTitle,
                            period: $0.period,
                            due: $0.due,
                            workdaysOverdue: $0.workdaysOverdue,
                            planID: $0.planID,
                            itemID: $0.itemID,
                            flag: ""
                        )
                    }
                )
            },
            language: language
        )
        lines.append("")
        if replyable {
            lines.append(
                Texts.commandBelowEachItem.text(in: language)
            )
        } else {
            lines.append(
                Texts.commandBelowEachItemTellAdministrator.text(in: language)
            )
        }
        lines += signature(language)
        return lines.joined(separator: "\n") + "\n"
    }
}

extension NoticeMail {
    /// The backlog digest's groups in the order the mail lists them (branch
    /// with the oldest deadline first, each oldest first), so that the
    /// numbers of the mail (`backlogNumbering`) and of the ledger agree.
    static func backlogGroups(_ entries: [BacklogEntry]) -> [(owner: String, entries: [BacklogEntry])] {
        let sorted = entries.sorted { a, b in
            (a.due, a.owner, a.itemTitle, a.period, a.planID, a.itemID)
                < (b.due, b.owner, b.itemTitle, b.period, b.planID, b.itemID)
        }
        var order: [String] = []
        var groups: [String: [BacklogEntry]] = [:]
        for entry in sorted {
            let owner = entry.owner.trimmingSpaces
            if groups[owner] == nil { order.append(owner) }
            groups[owner, default: []].append(entry)
        }
        return order.map { ($0, groups[$0] ?? []) }
    }

    /// The occurrence each number of a backlog digest names, 1 first, as the mail numbers them.
    public static func backlogNumbering(_ entries: [BacklogEntry]) -> [OccurrenceKey] {
        backlogGroups(entries).flatMap {
            $0.entries.map { OccurrenceKey(plan: $0.planID, item: $0.itemID, period: $0.period) }
        }
    }

    /// What a digest with a reply address says first: a reply "完成 1 3 5-7" records those lines.
    static func digestReplyHint(_ language: Language) -> [String] {
        ["", Texts.digestReplyHint.text(in: language)]
    }
}

/// One overdue item as the digests list it.
struct ListedItem {
    var title: String
    var period: String
    var due: CivilDate
    var workdaysOverdue: Int
    var planID: String
    var itemID: String
    /// Appended to the title line (` 【督办】`), or empty.
    var flag: String
}

extension NoticeMail {
    /// Branch headings with their items numbered across the whole mail, each
    /// with its deadline, how late it is, and the command that records it.
    static func numberedGroups(_ groups: [(owner: String, items: [ListedItem])], language: Language) -> [String] {
        let zh = language == .zh
        var lines: [String] = []
        var number = 0
        for (owner, group) in groups {
            lines.append("")
            let heading = owner.isEmpty ? Texts.noBranchGiven.text(in: language) : owner
            lines.append(
                Texts.branchHeading(heading, count: group.count).text(in: language)
            )
            for item in group {
                number += 1
                let marker = "  \(number). "
                let indent = String(repeating: " ", count: marker.count)
                let period = PeriodLabel.name(of: item.period, in: language)
                let late = deadline(-max(0, item.workdaysOverdue), language)  // negating a non-negative Int cannot trap
                if zh {
                    lines.append(marker + "\(item.title.trimmingSpaces)（\(period)）\(item.flag)")
                    lines.append(indent + "截止 \(dueText(item.due, language))，\(late)")
                } else {
                    lines.append(marker + "\(item.title.trimmingSpaces) (\(period))\(item.flag)")
                    lines.append(indent + "due \(dueText(item.due, language)), \(late)")
                }
                lines.append(indent + doneCommand(plan: item.planID, item: item.itemID, period: item.period))
            }
        }
        return lines
    }
}
