import PlanFormat
import Scheduling
import WorkCalendar

/// The kinds of message plankeeper sends; the names are stable (mail headers,
/// journal fields, spool file names).
public enum NoticeKind: String, Sendable, CaseIterable, Hashable {
    case reminder, due, overdue, escalation, backlog, report, digest
}

/// One notice to one person about one occurrence.
public struct Notice: Sendable, Hashable {
    public var kind: NoticeKind
    /// What distinguishes notices of one kind: a reminder's offset (`7d`),
    /// an overdue notice's date; empty for due and escalation.
    public var label: String
    /// The day it is scheduled for; it goes out at the configured time that day.
    public var date: CivilDate
    public var occurrence: Occurrence
    public var recipient: Contact
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
    public var recipient: Contact
    public var lines: [BacklogLine]
    public var date: CivilDate

    /// Same lines on the same day → same key (a rerun after a crash finds it
    /// spooled); a different set of lines gets a different key.
    public var key: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for line in lines.map({ $0.occurrence.key.description }).sorted() {
            for byte in line.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0x0A) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "backlog/\(date)/\(String(repeating: "0", count: 16 - hex.count) + hex)/\(recipient.address)"
    }
}

/// A notice the ledger should remember as dealt with, and how.
public struct HandledNotice: Sendable, Hashable {
    public enum Disposition: String, Sendable { case sent, backlog, superseded }
    public var notice: Notice
    public var disposition: Disposition
}
