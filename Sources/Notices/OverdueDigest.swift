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
    /// The day it was escalated (or is to be), for the digest's "new" section.
    public var escalatedOn: CivilDate
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
    /// What is new since the recipient's previous digest: occurrences that
    /// fell overdue, or were escalated, after it (by branch, then deadline;
    /// at most the line limit). The mail leads with these.
    public var newLines: [OverdueLine] = []
    /// How many are new, listed in `newLines` or not.
    public var newTotal = 0
    /// Of those, escalated since the previous digest (what `escalation-mail:
    /// digest` tells here instead of in a mail each).
    public var newlyEscalated = 0
    /// The previous digest's day, if there was one.
    public var previous: CivilDate?
    /// Overdue occurrences left out because they are history (due before
    /// tracking started; listed once in the backlog digest).
    public var historyTotal = 0
    /// Every overdue occurrence, by branch then deadline, for the CSV file
    /// the mail carries: the mail's text lists `lines`, the attachment all.
    /// (About 200 bytes a line: a city commission's 20,000 are 4 MB.)
    public var allLines: [OverdueLine] = []

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
        plans: [PlanOccurrences],
        completions: [OccurrenceKey: Int],
        handled: Set<String>,
        now: LocalTime,
        days: DigestDays,
        limit: Int? = nil,
        previous: [String: CivilDate] = [:]
    ) -> (digests: [OverdueDigest], next: LocalTime?) {
        var gathering = GatheringOverdue(
            policy: self,
            completions: completions,
            handled: handled,
            now: now,
            days: days,
            limit: limit,
            previous: previous
        )
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
        /// Each recipient's previous digest day (from the ledger).
        let previous: [String: CivilDate]
        /// Without a previous digest, "new" means since the previous send day.
        let previousSendDay: CivilDate

        struct Accumulator: Sendable {
            var digest: OverdueDigest
            var gathered = DigestGathering<OverdueLine>()
            var fresh = DigestGathering<OverdueLine>()
            var all: [OverdueLine] = []

            consuming func finished(limit: Int?) -> OverdueDigest {
                all.sort(by: OverdueLine.byBranch)
                digest.allLines = all
                gathered.cut(to: limit, order: OverdueLine.oldestFirst)
                digest.lines = gathered.lines
                digest.total = gathered.total
                digest.escalatedTotal = gathered.escalated
                digest.branches = gathered.branches
                fresh.cut(to: limit, order: OverdueLine.byBranch)
                digest.newLines = fresh.lines
                digest.newTotal = fresh.total
                return digest
            }
        }

        /// - Parameters:
        ///   - limit: at most this many lines per digest (the oldest); nil
        ///     lists every overdue occurrence.
        ///   - previous: each recipient's previous digest day, for what is new.
        public init(
            policy: NoticePolicy,
            completions: [OccurrenceKey: Int],
            handled: Set<String>,
            now: LocalTime,
            days: DigestDays,
            limit: Int? = nil,
            previous: [String: CivilDate] = [:]
        ) {
            self.policy = policy
            self.limit = limit
            self.completions = completions
            self.handled = handled
            self.previous = previous
            let today = now.date
            self.today = today
            let calendar = policy.calendar
            let sendAt = policy.sendAt
            func sends(on day: CivilDate) -> Bool { days == .daily || calendar.isWorkday(day) }
            func nextSendDay(after day: CivilDate) -> CivilDate {
                days == .daily ? day.adding(days: 1) : calendar.workday(1, after: day)
            }
            var back = today.adding(days: -1)
            for _ in 0..<14 where days != .off && !sends(on: back) { back = back.adding(days: -1) }
            previousSendDay = back
            // After the send window closes (a daemon back at 21:00) today's
            // digest is not sent: tomorrow's describes the present better.
            let windowClosed = policy.window.catchUp == .nextSend && now.minute >= policy.window.end
            if days == .off {
                active = false
                next = nil
            } else if !sends(on: today) || now.totalMinutes < today.dayNumber * 1440 + sendAt || windowClosed {
                let day = sends(on: today) && !windowClosed ? today : nextSendDay(after: today)
                active = false
                next = LocalTime(totalMinutes: day.dayNumber * 1440 + sendAt)
            } else {
                active = true
                next = LocalTime(totalMinutes: nextSendDay(after: today).dayNumber * 1440 + sendAt)
            }
        }

        public mutating func add(_ entry: PlanOccurrences) {
            guard active else { return }
            let itemsByID = Dictionary(entry.plan.items.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for occurrence in entry.occurrences where occurrence.due < today {
                if policy.horizon(of: occurrence, planYear: entry.plan.year) < today { continue }
                guard let item = itemsByID[occurrence.itemID], let escalation = item.notices.escalate else { continue }
                let required = occurrence.requiredCount?.lowerBound ?? 1
                if completions[occurrence.key, default: 0] >= required { continue }
                let escalatedOn = policy.escalationDate(of: occurrence, after: escalation.after)
                let line = OverdueLine(
                    occurrence: occurrence,
                    workdaysLate: max(0, -policy.workdaysLeft(due: occurrence.due, today: today)),
                    escalated: escalatedOn <= today,
                    escalatedOn: escalatedOn
                )
                let history = policy.isHistory(occurrence)
                for recipient in policy.recipients(escalation.to, plan: entry.plan) {
                    let address = recipient.contact.address
                    if alreadySent.contains(address) { continue }
                    if byAddress[address] == nil {
                        var digest = OverdueDigest(
                            recipient: recipient.contact,
                            roles: [],
                            date: today,
                            lines: [],
                            total: 0,
                            escalatedTotal: 0,
                            branches: []
                        )
                        digest.previous = previous[address]
                        if handled.contains(digest.key) {
                            alreadySent.insert(address)
                            continue
                        }
                        byAddress[address] = Accumulator(digest: digest)
                    }
                    for role in recipient.roles where !byAddress[address]!.digest.roles.contains(role) {
                        byAddress[address]!.digest.roles.append(role)
                    }
                    // History was listed once in the backlog digest: counted, not listed daily.
                    if history {
                        byAddress[address]!.digest.historyTotal += 1
                        continue
                    }
                    byAddress[address]!.gathered.add(
                        line,
                        owner: occurrence.owner,
                        due: occurrence.due,
                        escalated: line.escalated,
                        limit: limit,
                        order: OverdueLine.oldestFirst
                    )
                    byAddress[address]!.all.append(line)
                    // New since the previous digest: fell overdue after it
                    // (due on or after its day), or escalated after it.
                    let last = previous[address] ?? previousSendDay
                    let newlyEscalated = line.escalated && escalatedOn > last
                    if occurrence.due >= last || newlyEscalated {
                        byAddress[address]!.fresh.add(
                            line,
                            owner: occurrence.owner,
                            due: occurrence.due,
                            escalated: line.escalated,
                            limit: limit,
                            order: OverdueLine.byBranch
                        )
                        if newlyEscalated { byAddress[address]!.digest.newlyEscalated += 1 }
                    }
                }
            }
        }

        public mutating func finish() -> (digests: [OverdueDigest], next: LocalTime?) {
            // Moved out of the dictionary, so sorting does not copy the lines
            // (with `digest-limit: all` an office's digest can hold 20,000).
            var gathered = byAddress
            byAddress = [:]
            // A recipient whose overdue items are all history gets no digest.
            let digests = gathered.keys.sorted().compactMap { gathered.removeValue(forKey: $0)?.finished(limit: limit) }
                .filter { $0.total > 0 }
            return (digests, next)
        }
    }
}

extension OverdueLine {
    /// The "new" section's order: by branch, then oldest deadline.
    static func byBranch(_ a: OverdueLine, _ b: OverdueLine) -> Bool {
        (a.occurrence.owner, a.occurrence.due, a.occurrence.planID, a.occurrence.itemID, a.occurrence.period)
            < (b.occurrence.owner, b.occurrence.due, b.occurrence.planID, b.occurrence.itemID, b.occurrence.period)
    }

    /// A digest's order: oldest deadline first, then branch, plan, item, period.
    static func oldestFirst(_ a: OverdueLine, _ b: OverdueLine) -> Bool {
        (a.occurrence.due, a.occurrence.owner, a.occurrence.planID, a.occurrence.itemID, a.occurrence.period)
            < (b.occurrence.due, b.occurrence.owner, b.occurrence.planID, b.occurrence.itemID, b.occurrence.period)
    }
}
