import PlanFormat
import Scheduling
import Vocabulary
import WorkCalendar

/// One overdue occurrence in a supervisor's digest.
public struct OverdueLine: Sendable, Hashable {
    public var occurrence: Occurrence
    /// Working days since the deadline, counted the way notices count them.
    public var workdaysLate: Int
    /// Whether its escalation date has passed (the item is formally escalated).
    public var escalated: Bool
}

/// How many of one branch's occurrences a digest counts, listed or not.
public struct BranchTally: Sendable, Hashable {
    /// The plan's `owner` (the branch's name).
    public var owner: String
    public var overdue: Int
    /// Of those, how many are past their escalation date.
    public var escalated: Int
    public var oldestDue: CivilDate
}

/// The daily list, for one escalation recipient, of every overdue occurrence
/// of the items they supervise: a supervisor reads one mail a day instead of
/// one per branch and item.
///
/// A hospital office on an open year can supervise 20,000 overdue
/// occurrences: nobody reads that list, and holding it for every office of
/// a city is most of an 08:30 tick's memory. So with a line limit the
/// digest keeps only the oldest occurrences as lines and counts every one
/// of them in `total` and per branch in `branches`.
public struct OverdueDigest: Sendable, Hashable {
    public var recipient: Address
    /// The escalation roles the recipient holds (`office`, `commission`).
    public var roles: [String]
    public var date: CivilDate
    /// Oldest deadline first: every overdue occurrence, or the oldest
    /// `limit` of them when the digest was gathered with a limit.
    public var lines: [OverdueLine]
    /// Every overdue occurrence, listed in `lines` or not.
    public var total: Int
    /// Of `total`, how many are past their escalation date.
    public var escalatedTotal: Int
    /// One entry per branch with something overdue, most overdue first
    /// (ties by name).
    public var branches: [BranchTally]

    /// Whether `lines` leaves occurrences out.
    public var isTruncated: Bool { total > lines.count }

    /// One digest per recipient per day: spooled and recorded at most once.
    public var key: String { "digest/\(date)/\(recipient.address)" }
}

extension NoticePolicy {
    /// The overdue digests due at `now`, and when the next one falls due.
    ///
    /// A digest describes the present, so only today's is ever sent: a day
    /// the service was down is not made up for the next morning (the
    /// individual notices and the backlog digest already catch up). It goes
    /// out at `send-at`, on the days `days` allows, to every contact reached
    /// through an item's `escalate.to` roles, listing every undone
    /// occurrence of those items whose deadline has passed, up to the
    /// overdue horizon. Recipients with nothing overdue get no mail. With a
    /// `limit`, each digest lists at most that many lines, the oldest, and
    /// counts the rest (`OverdueDigest.total`, `.branches`).
    public func overdueDigests(
        plans: [PlanOccurrences], completions: [OccurrenceKey: Int], handled: Set<String>, now: LocalTime,
        days: DigestDays, limit: Int? = nil
    ) -> (digests: [OverdueDigest], next: LocalTime?) {
        var gathering = GatheringOverdue(policy: self, completions: completions, handled: handled, now: now, days: days,
                                         limit: limit)
        for entry in plans { gathering.add(entry) }
        return gathering.finish()
    }

    /// `overdueDigests` one plan at a time (see `Deciding`): the same
    /// digests, for a caller that expands plans as it goes.
    public struct GatheringOverdue: Sendable {
        let policy: NoticePolicy
        let completions: [OccurrenceKey: Int]
        let handled: Set<String>
        let today: CivilDate
        /// Nil when no digest is due now (then `next` says when one is).
        let active: Bool
        let next: LocalTime?
        let limit: Int?
        // One digest per address, grown in place: a commission's digest can
        // cover a whole city's overdue occurrences, so it is never copied per
        // line. An occurrence reaches each address once (`recipients` merges
        // an address's roles), so no set of listed keys is needed either.
        var byAddress: [String: Accumulator] = [:]
        var alreadySent: Set<String> = []

        struct Accumulator: Sendable {
            var digest: OverdueDigest
            var gathered = DigestGathering<OverdueLine>()

            consuming func finished(limit: Int?) -> OverdueDigest {
                gathered.cut(to: limit, order: OverdueLine.oldestFirst)
                digest.lines = gathered.lines
                digest.total = gathered.total
                digest.escalatedTotal = gathered.escalated
                digest.branches = gathered.branches
                return digest
            }
        }

        /// - Parameter limit: at most this many lines per digest (the oldest);
        ///   nil lists every overdue occurrence.
        public init(policy: NoticePolicy, completions: [OccurrenceKey: Int], handled: Set<String>, now: LocalTime, days: DigestDays,
                    limit: Int? = nil) {
            self.policy = policy
            self.limit = limit
            self.completions = completions
            self.handled = handled
            let today = now.date
            self.today = today
            let calendar = policy.calendar
            let sendAt = policy.sendAt
            func sends(on day: CivilDate) -> Bool { days == .daily || calendar.isWorkday(day) }
            func nextSendDay(after day: CivilDate) -> CivilDate {
                days == .daily ? day.adding(days: 1) : calendar.workday(1, after: day)
            }
            if days == .off {
                active = false
                next = nil
            } else if !sends(on: today) || now.totalMinutes < today.dayNumber * 1440 + sendAt {
                let day = sends(on: today) ? today : nextSendDay(after: today)
                active = false
                next = LocalTime(totalMinutes: day.dayNumber * 1440 + sendAt)
            } else {
                active = true
                next = LocalTime(totalMinutes: nextSendDay(after: today).dayNumber * 1440 + sendAt)
            }
        }

        public mutating func add(_ entry: PlanOccurrences) {
            guard active else { return }
            let horizon = CivilDate(year: entry.plan.year, month: 12, day: 31)?.adding(days: policy.overdueHorizonDays)
            if let horizon, today > horizon { return }
            let itemsByID = Dictionary(entry.plan.items.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for occurrence in entry.occurrences where occurrence.due < today {
                guard let item = itemsByID[occurrence.itemID], let escalation = item.notices.escalate else { continue }
                let required = occurrence.requiredCount?.lowerBound ?? 1
                if completions[occurrence.key, default: 0] >= required { continue }
                let escalatedOn = policy.advance(occurrence.due, by: escalation.after, atLeastOne: false)
                let line = OverdueLine(occurrence: occurrence, workdaysLate: max(0, -policy.workdaysLeft(due: occurrence.due, today: today)),
                                       escalated: escalatedOn <= today)
                for recipient in policy.recipients(escalation.to, plan: entry.plan) {
                    let address = recipient.contact.address
                    if alreadySent.contains(address) { continue }
                    if byAddress[address] == nil {
                        let digest = OverdueDigest(recipient: recipient.contact, roles: [], date: today, lines: [],
                                                   total: 0, escalatedTotal: 0, branches: [])
                        if handled.contains(digest.key) {
                            alreadySent.insert(address)
                            continue
                        }
                        byAddress[address] = Accumulator(digest: digest)
                    }
                    for role in recipient.roles where !byAddress[address]!.digest.roles.contains(role) {
                        byAddress[address]!.digest.roles.append(role)
                    }
                    byAddress[address]!.gathered.add(line, owner: occurrence.owner, due: occurrence.due, escalated: line.escalated,
                                                      limit: limit, order: OverdueLine.oldestFirst)
                }
            }
        }

        public mutating func finish() -> (digests: [OverdueDigest], next: LocalTime?) {
            // Moved out of the dictionary, so sorting does not copy the lines
            // (with `digest-limit: all` an office's digest can hold 20,000).
            var gathered = byAddress
            byAddress = [:]
            let digests = gathered.keys.sorted().compactMap { gathered.removeValue(forKey: $0)?.finished(limit: limit) }
            return (digests, next)
        }
    }
}

extension OverdueLine {
    /// A digest's order: oldest deadline first, then branch, plan, item, period.
    static func oldestFirst(_ a: OverdueLine, _ b: OverdueLine) -> Bool {
        (a.occurrence.due, a.occurrence.owner, a.occurrence.planID, a.occurrence.itemID, a.occurrence.period)
            < (b.occurrence.due, b.occurrence.owner, b.occurrence.planID, b.occurrence.itemID, b.occurrence.period)
    }
}
