import Scheduling
import Vocabulary
import WorkCalendar

/// The two independent notice streams of an occurrence: staff notices
/// (reminders, due, overdue repeats) and the escalation.
public enum NoticeStream: String, Sendable, CaseIterable, Hashable {
    case staff
    case escalation
}

/// How far a stream of an occurrence has been dealt with: every candidate
/// notice dated on or before `through`, and every candidate of a kind up to
/// `rank`, was sent, superseded or digested. A candidate is pending when it
/// is later than the mark *or* of a higher kind: a deadline moved earlier
/// than a reminder already sent still gets its due notice, and one moved
/// later gets its new reminders.
public struct NoticeMark: Sendable, Hashable {
    public var occurrence: OccurrenceKey
    public var stream: NoticeStream
    public var through: CivilDate
    /// The highest kind handled (`NoticeKind.rank`).
    public var rank: Int
    /// The 64-bit id the ledger stores the mark under.
    public var id: UInt64 { NoticeMarks.id(occurrence, stream) }

    public init(occurrence: OccurrenceKey, stream: NoticeStream, through: CivilDate, rank: Int) {
        self.occurrence = occurrence
        self.stream = stream
        self.through = through
        self.rank = rank
    }
}

extension NoticeKind {
    /// The order of a staff stream's kinds: reminder, due, overdue. A mark of
    /// rank 3 (written before ranks were kept) covers every kind.
    public var rank: Int {
        switch self {
        case .reminder, .escalation, .backlog, .report, .digest: 0
        case .due: 1
        case .overdue: 2
        }
    }
}

/// The marks a tick starts from, compact enough to hold a city's year in a
/// few megabytes: a 64-bit hash of (plan, item, period, stream) to a day
/// number and a rank. Candidates of a stream are handled all at once, so one
/// mark per stream replaces a key per notice.
public struct NoticeMarks: Sendable {
    /// day × 4 + rank.
    private var packed: [UInt64: Int32] = [:]

    public init() {}

    public init(_ rows: some Sequence<(id: Int64, day: Int32, rank: Int32)>) {
        packed.reserveCapacity(rows.underestimatedCount)
        for row in rows { set(UInt64(bitPattern: row.id), day: row.day, rank: row.rank) }
    }

    /// The stable hash over the fields, each followed by a separator (0x1F)
    /// no id or period contains.
    public static func id(_ key: OccurrenceKey, _ stream: NoticeStream) -> UInt64 {
        var hash = StableHash()
        for part in [key.plan, key.item, key.period, stream.rawValue] {
            hash.add(part.utf8)
            hash.add(0x1F)
        }
        return hash.value
    }

    public func mark(_ key: OccurrenceKey, _ stream: NoticeStream) -> (day: Int, rank: Int)? {
        packed[Self.id(key, stream)].map { (Int($0 >> 2), Int($0 & 3)) }
    }

    /// Keeps the later date and the higher rank of the old and the new mark.
    public mutating func set(_ id: UInt64, day: Int32, rank: Int32) {
        let rank = max(0, min(3, rank))
        if let old = packed[id] {
            packed[id] = max(old >> 2, day) << 2 | max(old & 3, rank)
        } else {
            packed[id] = day << 2 | rank
        }
    }

    public mutating func apply(_ marks: [NoticeMark]) {
        for m in marks { set(m.id, day: Int32(truncatingIfNeeded: m.through.dayNumber), rank: Int32(m.rank)) }
    }

    public var count: Int { packed.count }
}
