import PlanFormat
import Scheduling
import Vocabulary
import WorkCalendar

/// One notice to one person about one occurrence.
public struct Notice: Sendable, Hashable {
    public var kind: NoticeKind
    /// What distinguishes notices of one kind: a reminder's offset (`7d`),
    /// an overdue notice's date; empty for due and escalation.
    public var label: String
    /// The day it is scheduled for; it goes out at the configured time that day.
    public var date: CivilDate
    public var occurrence: Occurrence
    public var recipient: Address
    /// The roles the recipient was reached through (`secretary`).
    public var roles: [String]

    /// Stable identity: the same notice always has the same key, so it is
    /// spooled and recorded at most once.
    public var key: String {
        "\(occurrence.planID)/\(occurrence.itemID)/\(occurrence.period)/\(kind.rawValue)/\(label)/\(recipient.address)"
    }
}

/// An occurrence listed in a backlog digest instead of being mailed on its own.
public struct BacklogLine: Sendable, Hashable {
    public var occurrence: Occurrence
    /// The notice that would have gone out last.
    public var latest: NoticeKind
}

/// One digest per recipient of everything that was too old to send one by one.
public struct BacklogDigest: Sendable, Hashable {
    public var recipient: Address
    /// Oldest deadline first (then branch, title, period): every line, or
    /// the oldest `limit` when decided with a limit (see `DigestGathering`).
    public var lines: [BacklogLine]
    public var date: CivilDate
    /// Every occurrence the digest stands for, listed in `lines` or not.
    public var total: Int
    /// Per branch, most first, counting every line.
    public var branches: [BranchTally]
    /// Every line's key hashed and summed, so the key covers the lines that
    /// were not kept (see `key`).
    var linesHash: UInt64

    /// Whether `lines` leaves occurrences out.
    public var isTruncated: Bool { total > lines.count }

    /// Same lines on the same day → same key (a rerun after a crash finds it
    /// spooled); a different set of lines gets a different key. The lines'
    /// hashes are summed, not chained, so the key needs neither every line
    /// nor their order.
    public var key: String {
        let hash = StableHash.of(
            bytes: withUnsafeBytes(of: (linesHash.littleEndian, UInt64(total).littleEndian), Array.init)
        )
        return "backlog/\(date)/\(StableHash.hex(hash))/\(recipient.address)"
    }

    /// The stable hash of an occurrence key, one term of `linesHash`.
    static func lineHash(_ key: OccurrenceKey) -> UInt64 {
        StableHash.of(key.description)
    }
}

extension BacklogLine {
    /// The backlog mail's order: oldest deadline first, then branch, title,
    /// period, plan, item.
    static func oldestFirst(_ a: BacklogLine, _ b: BacklogLine) -> Bool {
        let (x, y) = (a.occurrence, b.occurrence)
        return (x.due, x.owner, x.title, x.period, x.planID, x.itemID) < (
            y.due, y.owner, y.title, y.period, y.planID, y.itemID
        )
    }
}

/// A notice the ledger should remember as dealt with, and how (the daemon
/// writes it as a `HandledNoticeRow`).
public struct HandledNotice: Sendable, Hashable {
    public var notice: Notice
    public var disposition: NoticeDisposition
}
