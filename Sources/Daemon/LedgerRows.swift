import Ledger
import Notices
import Scheduling
import Vocabulary
import WorkCalendar

// The one mapping from the notice policy's decisions to the ledger's rows.

extension HandledNoticeRow {
    /// A notice the policy decided to send, as the audit trail records it.
    init(_ handled: HandledNotice, at stamp: Int64) {
        let notice = handled.notice
        self.init(
            key: notice.key,
            plan: notice.occurrence.planID,
            item: notice.occurrence.itemID,
            period: notice.occurrence.period,
            kind: notice.kind.rawValue,
            recipient: notice.recipient.address,
            scheduledFor: notice.date.description,
            disposition: handled.disposition,
            handledAt: stamp
        )
    }

    /// A spooled overdue digest: its key is what keeps the day's digest from
    /// going out twice (`handledNoticeKeys(kind: "digest", …)`).
    init(_ digest: OverdueDigest, at stamp: Int64) {
        self.init(
            key: digest.key,
            plan: "",
            item: "",
            period: "",
            kind: NoticeKind.digest.rawValue,
            recipient: digest.recipient.address,
            scheduledFor: digest.date.description,
            disposition: .sent,
            handledAt: stamp
        )
    }
}

extension NoticeMarkRow {
    /// A stream's mark as the ledger stores it (the id bit for bit).
    init(_ mark: NoticeMark) {
        self.init(
            id: Int64(bitPattern: mark.id),
            plan: mark.occurrence.plan,
            item: mark.occurrence.item,
            period: mark.occurrence.period,
            stream: mark.stream.rawValue,
            through: mark.through.description,
            day: Int32(truncatingIfNeeded: mark.through.dayNumber),
            rank: Int32(mark.rank)
        )
    }
}
