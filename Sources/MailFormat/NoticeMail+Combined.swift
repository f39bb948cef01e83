import Vocabulary
import WorkCalendar

extension NoticeMail {
    /// The subject of a person's notices of one moment in one mail
    /// (`notice-mail: combined`): `【党建提醒】今日 5 项：逾期 1 项、今天到期 2 项、即将到期 2 项`.
    public static func combinedSubject(_ contents: [NoticeContent], language: Language) -> String {
        let groups = combinedGroups(contents)
        let zh = language == .zh
        let parts = groups.map { group in
            zh ? "\(group.title(.zh)) \(group.items.count) 项" : "\(group.items.count) \(group.title(.en))"
        }
        let worst = groups.first?.kind ?? .reminder
        return zh
            ? tag(worst, .zh) + "\(contents.count) 项党建工作：" + parts.joined(separator: "、")
            : tag(worst, .en) + " \(contents.count) items: " + parts.joined(separator: ", ")
    }

    /// One list, the most urgent first (overdue, then due today, then
    /// reminders), one line an item with its branch, period, deadline and
    /// what is left; the note of an item, if any, below it.
    /// The most urgent kind among them (the subject's tag, the mail's kind).
    public static func combinedKind(_ contents: [NoticeContent]) -> NoticeKind {
        combinedGroups(contents).first?.kind ?? .reminder
    }

    /// The items in the order the mail numbers them (line n is element n − 1).
    public static func combinedOrder(_ contents: [NoticeContent]) -> [NoticeContent] {
        combinedGroups(contents).flatMap(\.items)
    }

    /// - Parameter replyable: the mail has a reply address (issue 16): a reply
    ///   “完成 1 3” records lines 1 and 3.
    public static func combinedBody(
        _ contents: [NoticeContent],
        recipient: Address,
        replyable: Bool = false,
        language: Language
    ) -> String {
        let zh = language == .zh
        let name = recipient.name.trimmingSpaces
        var lines = [zh ? (name.isEmpty ? "您好！" : "\(name)，您好！") : (name.isEmpty ? "Hello," : "Hello \(name),"), ""]
        lines.append(
            zh
                ? "以下 \(contents.count) 项党建工作需要您关注（一封邮件汇总，避免逐条发送）："
                : "These \(contents.count) party-work items need your attention (in one mail rather than one each):"
        )
        var number = 0
        for group in combinedGroups(contents) {
            lines.append("")
            lines.append(
                zh
                    ? "\(group.title(.zh))（\(group.items.count) 项）"
                    : "\(group.title(.en).capitalizedFirst) (\(group.items.count))"
            )
            for c in group.items {
                number += 1
                let period = PeriodLabel.name(of: c.period, in: language)
                var line =
                    zh
                    ? "\(c.owner.trimmingSpaces) · \(c.itemTitle.trimmingSpaces)（\(period)）截止 \(dueText(c.due, language))，\(deadline(c.workdaysLeft, language))"
                    : "\(c.owner.trimmingSpaces) · \(c.itemTitle.trimmingSpaces) (\(period)), due \(dueText(c.due, language)), \(deadline(c.workdaysLeft, language))"
                if let r = c.requiredCount {
                    line += zh ? "，" + progress(c.doneCount, r, language) : ", " + progress(c.doneCount, r, language)
                }
                lines.append("  \(number). " + line)
                if let note = c.note?.trimmingSpaces, !note.isEmpty {
                    let first = note.split(separator: "\n").first.map(String.init) ?? note
                    lines.append("     " + (zh ? "备注：" : "Note: ") + first)
                }
            }
        }
        lines.append("")
        if replyable {
            lines.append(
                zh
                    ? "办理完成后，直接回复本邮件“完成”加序号即可登记，例如“完成 1 3”；可附会议记录、签到表照片。"
                    : "Once done, reply 'done' with the numbers to record them, e.g. 'done 1 3'; attach minutes or a sign-in sheet if you like."
            )
            lines.append(
                zh
                    ? "（其他日期写“完成 1 2026-11-20”；登记有误回复“撤销 1”。）已登记的事项不再提醒。"
                    : "(Another day: 'done 1 2026-11-20'. A mistake: 'undo 1'.) Recorded items get no more notices."
            )
        } else {
            lines.append(
                zh
                    ? "办理完成后，请告知党务干部（或管理员）登记完成；已登记的事项不再提醒。"
                    : "Once an item is done, ask the party-affairs staff (or the administrator) to record it; recorded items get no more notices."
            )
        }
        if let contact = contents.compactMap(\.contact).first, !contact.plainText.isEmpty {
            let who = contact.name.trimmingSpaces.isEmpty ? contact.plainText : contact.name.trimmingSpaces
            lines.append(zh ? "如有疑问，请联系\(who)。" : "If you have questions, please ask \(who).")
        }
        lines += signature(language)
        return lines.joined(separator: "\n") + "\n"
    }

    struct CombinedGroup {
        var kind: NoticeKind
        var items: [NoticeContent]

        func title(_ language: Language) -> String {
            switch (kind, language) {
            case (.escalation, .zh): "已到督办时限"
            case (.overdue, .zh): "已逾期"
            case (.due, .zh): "今天到期"
            case (_, .zh): "即将到期"
            case (.escalation, .en): "escalated"
            case (.overdue, .en): "overdue"
            case (.due, .en): "due today"
            case (_, .en): "coming up"
            }
        }
    }

    /// Escalations, overdue, due, reminders; each by deadline, then branch and title.
    static func combinedGroups(_ contents: [NoticeContent]) -> [CombinedGroup] {
        let order: [NoticeKind] = [.escalation, .overdue, .due, .reminder]
        return order.compactMap { kind in
            let items = contents.filter {
                ($0.kind == kind) || (kind == .reminder && !order.dropLast().contains($0.kind))
            }
            .sorted { ($0.due, $0.owner, $0.itemTitle, $0.period) < ($1.due, $1.owner, $1.itemTitle, $1.period) }
            return items.isEmpty ? nil : CombinedGroup(kind: kind, items: items)
        }
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
