import Vocabulary
import WorkCalendar

/// Subjects and plain-text bodies of notices, in Chinese or English.
///
/// The text states facts that came in as values (working days left, the
/// count done) and never computes them: the schedule and the working-day
/// calendar live in the core, and a formatter that recomputed them could
/// disagree with the policy that decided to send the mail.
public enum NoticeMail {
    // MARK: Subjects

    /// `【党建提醒】外科第二党支部 · 支部委员会会议（2026-11）· 还有 5 个工作日`.
    ///
    /// The tag comes from the kind (who is being told, and how urgently); the
    /// tail from `workdaysLeft`, so a subject never contradicts the deadline.
    public static func subject(_ c: NoticeContent, language: Language) -> String {
        let owner = c.owner.trimmingSpaces
        let item = c.itemTitle.trimmingSpaces
        let period = c.period.trimmingSpaces
        switch language {
        case .zh:
            var what = owner.isEmpty ? item : owner + " · " + item
            if !period.isEmpty { what += "（\(period)）" }
            return tag(c.kind, .zh) + what + "· " + deadline(c.workdaysLeft, .zh)
        case .en:
            var what = owner.isEmpty ? item : owner + " · " + item
            if !period.isEmpty { what += " (\(period))" }
            return tag(c.kind, .en) + " " + what + " · " + deadline(c.workdaysLeft, .en)
        }
    }

    /// `【党建待办汇总】共 12 项逾期未办`.
    public static func backlogSubject(count: Int, language: Language) -> String {
        let n = max(0, count)
        switch language {
        case .zh: return tag(.backlog, .zh) + "共 \(n) 项逾期未办"
        case .en: return tag(.backlog, .en) + " \(n) overdue \(n == 1 ? "item" : "items") outstanding"
        }
    }

    static func tag(_ kind: NoticeKind, _ language: Language) -> String {
        switch (kind, language) {
        case (.reminder, .zh), (.due, .zh): "【党建提醒】"
        case (.overdue, .zh): "【党建逾期】"
        case (.escalation, .zh): "【党建督办】"
        case (.backlog, .zh): "【党建待办汇总】"
        case (.report, .zh): "【党建工作报告】"
        case (.digest, .zh): "【党建督办日报】"
        case (.reminder, .en), (.due, .en): "[Party work reminder]"
        case (.overdue, .en): "[Party work overdue]"
        case (.escalation, .en): "[Party work escalation]"
        case (.backlog, .en): "[Party work backlog]"
        case (.report, .en): "[Party work report]"
        case (.digest, .en): "[Party work daily overdue digest]"
        }
    }

    /// `还有 5 个工作日`, `今天到期`, `已逾期 3 个工作日`. Uses the magnitude so
    /// even `Int.min` prints instead of trapping on negation.
    static func deadline(_ workdaysLeft: Int, _ language: Language) -> String {
        let n = workdaysLeft.magnitude
        switch language {
        case .zh:
            if workdaysLeft > 0 { return "还有 \(n) 个工作日" }
            if workdaysLeft == 0 { return "今天到期" }
            return "已逾期 \(n) 个工作日"
        case .en:
            let days = n == 1 ? "working day" : "working days"
            if workdaysLeft > 0 { return "\(n) \(days) left" }
            if workdaysLeft == 0 { return "due today" }
            return "\(n) \(days) overdue"
        }
    }

    // MARK: Notice body

    /// The body: a greeting, one sentence saying what is asked, the facts as
    /// aligned label/value lines, how to record the item as done, whom to ask,
    /// and the system's sign-off below a standard `-- ` signature separator.
    public static func body(_ c: NoticeContent, language: Language) -> String {
        var lines: [String] = []
        lines.append(Texts.hello.text(in: language))
        lines.append("")
        lines.append(opening(c, language))
        lines.append("")
        if c.replyable {
            lines.append(
                Texts.replyDoneToRecord.text(in: language)
            )
            lines.append(
                Texts.replyOtherDayOrUndo.text(in: language)
            )
            lines.append("")
        }
        if let link = c.webLink {
            lines.append(webLinkLine(c.kind, alsoByReply: c.replyable, language))
            lines.append("    " + link)
            lines.append("")
        }
        lines += LabelledLines.render(facts(c, language), language: language)
        let selfService = c.replyable || c.webLink != nil
        if !selfService {
            lines.append("")
            lines.append(Texts.tellAdministratorOrRun.text(in: language))
            lines.append("")
            lines.append("    " + doneCommand(plan: c.planID, item: c.itemID, period: c.period))
        }
        // The address is in the 联系人 line already; here the name suffices.
        if let contact = c.contact, !contact.plainText.isEmpty {
            let who = contact.name.trimmingSpaces.isEmpty ? contact.plainText : contact.name.trimmingSpaces
            lines.append("")
            lines.append(Texts.askContact(who).text(in: language))
        }
        if let sent = offsetSentence(c, language) {
            lines.append("")
            lines.append(sent)
        }
        if selfService {
            // The administrator's way, last: the secretary needs only the reply or the link.
            lines.append("")
            lines.append(Texts.administratorCanAlsoRun.text(in: language))
            lines.append("    " + doneCommand(plan: c.planID, item: c.itemID, period: c.period))
        }
        lines += signature(language)
        return lines.joined(separator: "\n") + "\n"
    }

    /// What the personal web link offers: recording, or to a supervisor
    /// (an escalation) the item's page.
    static func webLinkLine(_ kind: NoticeKind, alsoByReply: Bool, _ language: Language) -> String {
        if kind == .escalation { return Texts.seeItemOnDesk.text(in: language) }
        if alsoByReply {
            return Texts.orRecordOnDesk.text(in: language)
        }
        return Texts.recordOnDeskWhenDone.text(in: language)
    }

    static func opening(_ c: NoticeContent, _ language: Language) -> String {
        let title = c.planTitle.trimmingSpaces
        let n = c.workdaysLeft.magnitude
        switch language {
        case .zh:
            let source = title.isEmpty ? "以下事项" : "《\(title)》中的以下事项"
            if c.workdaysLeft > 0 { return "\(source)还有 \(n) 个工作日到期，请提前安排。" }
            if c.workdaysLeft == 0 { return "\(source)今天到期，请在今天下班前办理完成。" }
            if c.kind == .escalation { return "\(source)已逾期 \(n) 个工作日，至今未登记完成，特提请督促办理。" }
            return "\(source)已逾期 \(n) 个工作日，尚未登记完成，请尽快办理；如已办理，请及时登记。"
        case .en:
            let source = title.isEmpty ? "The following item" : "The following item of the plan “\(title)”"
            let days = n == 1 ? "working day" : "working days"
            if c.workdaysLeft > 0 { return "\(source) is due in \(n) \(days). Please plan for it." }
            if c.workdaysLeft == 0 {
                return "\(source) is due today. Please complete it before the end of the working day."
            }
            if c.kind == .escalation {
                return
                    "\(source) is \(n) \(days) overdue and still not recorded as done. It is escalated to you for follow-up."
            }
            return
                "\(source) is \(n) \(days) overdue and not yet recorded as done. Please complete it as soon as possible; if it is done already, please have it recorded."
        }
    }

    static func facts(_ c: NoticeContent, _ language: Language) -> [(label: String, value: String)] {
        var rows: [(label: String, value: String)] = [
            (Texts.itemLabel.text(in: language), c.itemTitle.trimmingSpaces),
            (Texts.branchLabel.text(in: language), c.owner.trimmingSpaces),
        ]
        if !c.planTitle.trimmingSpaces.isEmpty {
            rows.append((Texts.planLabel.text(in: language), c.planTitle.trimmingSpaces))
        }
        rows.append((Texts.periodLabel.text(in: language), PeriodLabel.name(of: c.period, in: language)))
        rows.append((Texts.dueDateLabel.text(in: language), dueText(c.due, language)))
        rows.append((Texts.statusLabel.text(in: language), deadline(c.workdaysLeft, language)))
        if let required = c.requiredCount {
            rows.append((Texts.progressLabel.text(in: language), progress(c.doneCount, required, language)))
        }
        if let note = c.note?.trimmingSpaces, !note.isEmpty { rows.append((Texts.noteLabel.text(in: language), note)) }
        if let contact = c.contact, !contact.plainText.isEmpty {
            rows.append((Texts.contactLabel.text(in: language), contact.plainText))
        }
        return rows
    }

    /// `2026-11-25（周三）` or `2026-11-25 (Wed)`: the weekday saves the
    /// reader a look at the calendar, and a deadline on a make-up Saturday is
    /// seen as such.
    static func dueText(_ date: CivilDate, _ language: Language) -> String {
        Texts.dateWithWeekday(date).text(in: language)
    }

    /// Counted items (红色教育 2–3 次): what is done against what is asked, and
    /// how many are still missing for the minimum.
    static func progress(_ doneCount: Int, _ required: ClosedRange<Int>, _ language: Language) -> String {
        let done = max(0, doneCount)
        let low = max(0, required.lowerBound)
        let high = max(low, required.upperBound)
        let asked = low == high ? "\(low)" : "\(low)–\(high)"
        switch language {
        case .zh:
            var text = "已完成 \(done) 次，本周期要求 \(asked) 次"
            if done < low {
                text += "，还差 \(low - done) 次"
            }  // low > done ≥ 0: cannot overflow
            else if done < high {
                text += "，已达最低要求"
            } else {
                text += "，已达要求"
            }
            return text
        case .en:
            var text = "\(done) done, \(asked) \(high == 1 ? "time" : "times") required"
            if done < low {
                text += " (\(low - done) more needed)"
            } else if done < high {
                text += " (minimum reached)"
            } else {
                text += " (requirement met)"
            }
            return text
        }
    }

    /// The one line that shows how a notice was timed (`7d` → 截止前 7 天),
    /// so a reader who wonders "why today?" finds the plan's own rule.
    /// Labels the formatter does not understand are left out, not guessed.
    static func offsetSentence(_ c: NoticeContent, _ language: Language) -> String? {
        guard c.kind == .reminder, c.workdaysLeft > 0, let label = c.offset else { return nil }
        let digits = label.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 4, let n = Int(digits) else { return nil }
        let unit = label.dropFirst(digits.count)
        switch (unit, language) {
        case ("d", .zh): return "（本提醒按计划设置，在截止前 \(n) 天发出。）"
        case ("wd", .zh): return "（本提醒按计划设置，在截止前 \(n) 个工作日发出。）"
        case ("w", .zh): return "（本提醒按计划设置，在截止前 \(n) 周发出。）"
        case ("d", .en):
            return "(This reminder goes out \(n) \(n == 1 ? "day" : "days") before the deadline, as the plan sets.)"
        case ("wd", .en):
            return
                "(This reminder goes out \(n) working \(n == 1 ? "day" : "days") before the deadline, as the plan sets.)"
        case ("w", .en):
            return "(This reminder goes out \(n) \(n == 1 ? "week" : "weeks") before the deadline, as the plan sets.)"
        default: return nil
        }
    }

    static func signature(_ language: Language) -> [String] {
        switch language {
        case .zh: ["", "-- ", "党建工作计划提醒系统（plankeeper）", "本邮件由系统自动发送。"]
        case .en: ["", "-- ", "Party work plan reminders (plankeeper)", "This message was sent automatically."]
        }
    }

    /// `plankeeper done surgery-2-2026 committee 2026-11`, with any argument
    /// that a shell would split or expand put in single quotes, so the line
    /// can be pasted as it is even if an ID is unusual.
    static func doneCommand(plan: String, item: String, period: String) -> String {
        (["plankeeper", "done"] + [plan, item, period].map(shellQuoted)).joined(separator: " ")
    }

    static func shellQuoted(_ word: String) -> String {
        let safe =
            !word.isEmpty
            && word.unicodeScalars.allSatisfy { s in
                switch s {
                case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", "/", ":", "@", "+", "=", ",": true
                default: false
                }
            }
        if safe { return word }
        return "'" + word.replacing("'", with: "'\\''") + "'"
    }
}
