import Vocabulary
import WorkCalendar

/// Everything a reminder, due, overdue or escalation notice says, decided by
/// the pure notice policy and passed in as values: the formatter does no date
/// arithmetic and reads no clock, so the same content always yields the same
/// text and the daemon can rebuild a message byte for byte after a crash.
public struct NoticeContent: Sendable {
    public var kind: NoticeKind
    public var planID: String
    public var itemID: String
    /// `2026-11`, `2026-Q4`, `2026-H2` or `2026`; other forms are shown as written.
    public var period: String
    /// The responsible branch (责任单位), e.g. 外科第二党支部.
    public var owner: String
    public var planTitle: String
    public var itemTitle: String
    public var due: CivilDate
    /// Greater than 0: working days left; 0: due today; less than 0: working days overdue.
    public var workdaysLeft: Int
    /// For items counted in a window (红色教育 2–3 次): how many are required.
    public var requiredCount: ClosedRange<Int>?
    /// Completions recorded so far, shown for counted items.
    public var doneCount: Int
    public var note: String?
    /// Whom to ask, usually the plan's secretary.
    public var contact: Address?
    /// The reminder offset label from the plan (`7d`, `3wd`), if any.
    public var offset: String?
    /// The mail carries a reply address (`mail.reply-to`, issue 16): the body
    /// says first that replying 完成 records it, and keeps the command line as
    /// the administrator's fallback at the end.
    public var replyable = false

    public init(
        kind: NoticeKind,
        planID: String,
        itemID: String,
        period: String,
        owner: String,
        planTitle: String,
        itemTitle: String,
        due: CivilDate,
        workdaysLeft: Int,
        requiredCount: ClosedRange<Int>? = nil,
        doneCount: Int = 0,
        note: String? = nil,
        contact: Address? = nil,
        offset: String? = nil
    ) {
        self.kind = kind
        self.planID = planID
        self.itemID = itemID
        self.period = period
        self.owner = owner
        self.planTitle = planTitle
        self.itemTitle = itemTitle
        self.due = due
        self.workdaysLeft = workdaysLeft
        self.requiredCount = requiredCount
        self.doneCount = doneCount
        self.note = note
        self.contact = contact
        self.offset = offset
    }
}

/// One overdue occurrence too old to be mailed on its own: it is listed in a
/// single backlog digest instead, so a daemon that was down for a month does
/// not flood a secretary with thirty stale reminders.
public struct BacklogEntry: Sendable {
    public var owner: String
    public var itemTitle: String
    public var period: String
    public var planID: String
    public var itemID: String
    public var due: CivilDate
    public var workdaysOverdue: Int

    public init(
        owner: String,
        itemTitle: String,
        period: String,
        planID: String,
        itemID: String,
        due: CivilDate,
        workdaysOverdue: Int
    ) {
        self.owner = owner
        self.itemTitle = itemTitle
        self.period = period
        self.planID = planID
        self.itemID = itemID
        self.due = due
        self.workdaysOverdue = workdaysOverdue
    }
}

/// The header facts that are not the notice's text. The date and the
/// Message-ID come in as values (the caller owns the clock and derives the ID
/// from the notice key), which keeps message building pure and repeatable.
public struct MailEnvelope: Sendable {
    public var from: Address
    public var to: [Address]
    /// Where a reply goes, when not to `from` (`Reply-To:`).
    public var replyTo: Address?
    /// An RFC 5322 date, already formatted (`Wed, 25 Nov 2026 08:30:00 +0800`).
    public var date: String
    /// Without the angle brackets.
    public var messageID: String

    public init(from: Address, to: [Address], replyTo: Address? = nil, date: String, messageID: String) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.date = date
        self.messageID = messageID
    }
}
