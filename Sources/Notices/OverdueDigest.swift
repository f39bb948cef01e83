import PlanFormat
import Scheduling
import WorkCalendar

/// When the daily overdue digest goes out: on working days only (the
/// default: offices read it at their desks), every day, or never.
public enum DigestDays: String, Sendable, CaseIterable {
    case workdays
    case daily
    case off
}

/// One overdue occurrence in a supervisor's digest.
public struct OverdueLine: Sendable, Hashable {
    public var occurrence: Occurrence
    /// Working days since the deadline, counted the way notices count them.
    public var workdaysLate: Int
    /// Whether its escalation date has passed (the item is formally escalated).
    public var escalated: Bool
}

/// The daily list, for one escalation recipient, of every overdue occurrence
/// of the items they supervise: a supervisor reads one mail a day instead of
/// one per branch and item.
public struct OverdueDigest: Sendable, Hashable {
    public var recipient: Contact
    /// The escalation roles the recipient holds (`office`, `commission`).
    public var roles: [String]
    public var date: CivilDate
    /// Oldest deadline first.
    public var lines: [OverdueLine]

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
    /// overdue horizon. Recipients with nothing overdue get no mail.
    public func overdueDigests(
        plans: [PlanOccurrences], completions: [OccurrenceKey: Int], handled: Set<String>, now: LocalTime,
        days: DigestDays
    ) -> (digests: [OverdueDigest], next: LocalTime?) {
        var gathering = GatheringOverdue(policy: self, completions: completions, handled: handled, now: now, days: days)
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
        // One digest per address, grown in place: a commission's digest can
        // list a whole city's overdue occurrences, so neither copying it per
        // line nor searching its lines for duplicates is affordable.
        var byAddress: [String: OverdueDigest] = [:]
        var listed: [String: Set<OccurrenceKey>] = [:]
        var alreadySent: Set<String> = []

        public init(policy: NoticePolicy, completions: [OccurrenceKey: Int], handled: Set<String>, now: LocalTime, days: DigestDays) {
            self.policy = policy
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
                        let digest = OverdueDigest(recipient: recipient.contact, roles: [], date: today, lines: [])
                        if handled.contains(digest.key) {
                            alreadySent.insert(address)
                            continue
                        }
                        byAddress[address] = digest
                    }
                    for role in recipient.roles where !byAddress[address]!.roles.contains(role) {
                        byAddress[address]!.roles.append(role)
                    }
                    if listed[address, default: []].insert(occurrence.key).inserted {
                        byAddress[address]!.lines.append(line)
                    }
                }
            }
        }

        public func finish() -> (digests: [OverdueDigest], next: LocalTime?) {
            let digests = byAddress.keys.sorted().compactMap { address -> OverdueDigest? in
                guard var digest = byAddress[address] else { return nil }
                digest.lines.sort {
                    ($0.occurrence.due, $0.occurrence.owner, $0.occurrence.planID, $0.occurrence.itemID, $0.occurrence.period)
                        < ($1.occurrence.due, $1.occurrence.owner, $1.occurrence.planID, $1.occurrence.itemID, $1.occurrence.period)
                }
                return digest
            }
            return (digests, next)
        }
    }
}
