import Vocabulary
import WorkCalendar

extension NoticeMail {
    /// The subject of a person's notices of one moment in one mail
    /// (`notice-mail: combined`): `【党建提醒】今日 5 项：逾期 1 项、今天到期 2 项、即将到期 2 项`.
    public static func combinedSubject(_ contents: [NoticeContent], language: Language) -> String {
        let groups = combinedGroups(contents)
        let parts = groups.map { group in
            Texts.groupCount(group.items.count, zhTitle: group.title(.zh), enTitle: group.title(.en)).text(in: language)
        }
        let worst = groups.first?.kind ?? .reminder
        return tag(worst, language) + Texts.combinedSubjectCount(contents.count).text(in: language)
            + parts.joined(separator: Texts.subjectListSeparator.text(in: language))
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
        let name = recipient.name.trimmingSpaces
        var lines = [Texts.greeting(name).text(in: language), ""]
        lines.append(
            Texts.itemsNeedAttention(contents.count).text(in: language)
        )
        var number = 0
        for group in combinedGroups(contents) {
            lines.append("")
            lines.append(
                Texts.combinedGroupHeading(
                    group.items.count,
                    zhTitle: group.title(.zh),
                    enTitle: group.title(.en).capitalizedFirst
                ).text(in: language)
            )
            for c in group.items {
                number += 1
                let period = PeriodLabel.name(of: c.period, in: language)
                var line =
                    Texts.combinedItemLine(
                        owner: c.owner.trimmingSpaces,
                        title: c.itemTitle.trimmingSpaces,
                        period: period,
                        due: dueText(c.due, language),
                        deadline: deadline(c.workdaysLeft, language)
                    ).text(in: language)
                if let r = c.requiredCount {
                    line += Texts.clauseComma.text(in: language) + progress(c.doneCount, r, language)
                }
                lines.append("  \(number). " + line)
                if let note = c.note?.trimmingSpaces, !note.isEmpty {
                    let first = note.split(separator: "\n").first.map(String.init) ?? note
                    lines.append("     " + Texts.notePrefix.text(in: language) + first)
                }
                if let link = c.webLink { lines.append("     " + link) }
            }
        }
        lines.append("")
        if replyable {
            lines.append(
                Texts.replyDoneWithNumbers.text(in: language)
            )
            lines.append(
                Texts.replyOtherDayOrUndoNumbered.text(in: language)
            )
        } else {
            lines.append(
                Texts.askStaffToRecord.text(in: language)
            )
        }
        if contents.contains(where: { $0.webLink != nil }) {
            lines.append(
                Texts.orOpenLinkUnderItem.text(in: language)
            )
        }
        if let contact = contents.compactMap(\.contact).first, !contact.plainText.isEmpty {
            let who = contact.name.trimmingSpaces.isEmpty ? contact.plainText : contact.name.trimmingSpaces
            lines.append(Texts.askContact(who).text(in: language))
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
