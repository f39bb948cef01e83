import Vocabulary
import WorkCalendar

extension NoticeMail {
    /// One message listing every overdue item whose own notice is too old to
    /// send (the daemon was stopped, or a plan was loaded late in the year).
    ///
    /// Entries are grouped by branch, the branch with the oldest deadline
    /// first, each group oldest deadline first: the reader starts with what
    /// has waited longest. Each entry carries its own `plankeeper done` line.
    ///
    /// `totals`, when it counts more items than `entries` lists (the
    /// digest was cut at `digest-limit`), adds every branch's count and says
    /// how many are not listed.
    public static func backlogBody(_ entries: [BacklogEntry], recipient: Address, language: Language,
                                   totals: DigestTotals? = nil) -> String {
        let zh = language == .zh
        let name = recipient.name.trimmingSpaces
        var lines: [String] = []
        switch language {
        case .zh: lines.append(name.isEmpty ? "您好！" : "\(name)，您好！")
        case .en: lines.append(name.isEmpty ? "Hello," : "Hello \(name),")
        }
        lines.append("")
        if entries.isEmpty {
            lines.append(zh ? "目前没有逾期未办的事项。" : "No overdue items are outstanding.")
            lines += signature(language)
            return lines.joined(separator: "\n") + "\n"
        }
        let count = totals?.items ?? entries.count
        let cut = count > entries.count
        if zh {
            lines.append("\(cut ? "共有" : "以下") \(count) 项工作已逾期，且尚未登记完成。")
            lines.append("它们的提醒日期已过去较久（例如提醒系统停用期间，或计划录入前就已到期），为免一次收到大量邮件，系统不再逐条补发提醒，仅在此汇总一次。")
            lines.append("请逐项核实：已办理的请登记完成，未办理的请尽快安排。")
        } else {
            lines.append("\(cut ? "In all," : "The following") \(count) \(count == 1 ? "item is" : "items are") overdue and not recorded as done.")
            lines.append("Their reminders are older than the catch-up window (for example, the reminder service was stopped, or the plan was entered after the deadline), so they are not mailed one by one; this digest lists them once instead.")
            lines.append("Please check each one: record those already done, and schedule the rest.")
        }
        if let totals, cut {
            lines += branchSummary(totals, listed: entries.count, showEscalated: false, language: language)
        }

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
        lines += numberedGroups(order.map { owner in
            (owner, (groups[owner] ?? []).map {
                ListedItem(title: $0.itemTitle, period: $0.period, due: $0.due, workdaysOverdue: $0.workdaysOverdue,
                           planID: $0.planID, itemID: $0.itemID, flag: "")
            })
        }, language: language)
        lines.append("")
        lines.append(zh
            ? "每项下方是登记完成的命令：办理完成后，请告知管理员或运行该命令。"
            : "Below each item is the command that records it as done: once done, tell the administrator or run it.")
        lines += signature(language)
        return lines.joined(separator: "\n") + "\n"
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
            let heading = owner.isEmpty ? (zh ? "（未注明责任单位）" : "(no branch given)") : owner
            lines.append(zh ? "\(heading)（\(group.count) 项）" : "\(heading) (\(group.count) \(group.count == 1 ? "item" : "items"))")
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
