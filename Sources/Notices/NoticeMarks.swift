import Scheduling
import WorkCalendar

/// The two independent notice streams of an occurrence: staff notices
/// (reminders, due, overdue repeats) and the escalation.
public enum NoticeStream: String, Sendable, CaseIterable, Hashable {
    case staff
    case escalation
}

/// How far a stream of an occurrence has been dealt with: every candidate
/// notice dated on or before `through` was sent, superseded or digested.
public struct NoticeMark: Sendable, Hashable {
    public var occurrence: OccurrenceKey
    public var stream: NoticeStream
    public var through: CivilDate
    /// The 64-bit id the ledger stores the mark under.
    public var id: UInt64 { NoticeMarks.id(occurrence, stream) }
}

/// The marks a tick starts from, compact enough to hold a city's year in a
/// few megabytes: a 64-bit hash of (plan, item, period, stream) to a day
/// number. Candidates of a stream are handled in date order and all at once,
/// so one date per stream replaces a key per notice.
public struct NoticeMarks: Sendable {
    private var through: [UInt64: Int32] = [:]

    public init() {}

    public init(_ rows: some Sequence<(id: Int64, day: Int32)>) {
        through.reserveCapacity(rows.underestimatedCount)
        for row in rows { set(UInt64(bitPattern: row.id), day: row.day) }
    }

    /// FNV-1a over the fields with a separator no id or period contains.
    public static func id(_ key: OccurrenceKey, _ stream: NoticeStream) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in [key.plan, key.item, key.period, stream.rawValue] {
            for byte in part.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0x1F) &* 0x100_0000_01b3
        }
        return hash
    }

    public func through(_ key: OccurrenceKey, _ stream: NoticeStream) -> Int32? {
        through[Self.id(key, stream)]
    }

    public mutating func set(_ id: UInt64, day: Int32) {
        if let old = through[id], old >= day { return }
        through[id] = day
    }

    public mutating func apply(_ marks: [NoticeMark]) {
        for m in marks { set(m.id, day: Int32(truncatingIfNeeded: m.through.dayNumber)) }
    }

    public var count: Int { through.count }
}
