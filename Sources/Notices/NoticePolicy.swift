import PlanFormat
import Scheduling
import Vocabulary
import WorkCalendar

/// Decides which notices go out at a given moment, and when the next one is
/// due. Pure: the caller supplies the plans, what is done, what was already
/// handled, and "now"; the same inputs always give the same decision, which
/// is what makes a tick that is killed and rerun send nothing twice.
public struct NoticePolicy: Sendable {
    public var calendar: WorkdayCalendar
    /// Minutes after local midnight at which the day's notices go out.
    public var sendAt: Int
    /// How old a pending notice may be and still be mailed on its own.
    public var catchUpMinutes: Int
    /// Overdue notices repeat until done, but not for ever: they stop this many
    /// days after the plan's year ends (what is still open then is a matter for
    /// the year's report, not for weekly mail).
    public var overdueHorizonDays: Int

    public init(calendar: WorkdayCalendar, sendAt: Int = 8 * 60 + 30, catchUpMinutes: Int = 7 * 1440, overdueHorizonDays: Int = 90) {
        self.calendar = calendar
        self.sendAt = sendAt
        self.catchUpMinutes = catchUpMinutes
        self.overdueHorizonDays = overdueHorizonDays
    }

    /// What one tick does.
    public struct Decision: Sendable {
        /// Mail these, one message each.
        public var send: [Notice] = []
        /// Mail these digests, one per recipient.
        public var backlog: [BacklogDigest] = []
        /// The notices mailed (for the ledger's audit trail).
        public var handled: [HandledNotice] = []
        /// Record these once the mail is spooled: they stand for every
        /// notice sent, superseded or digested.
        public var marks: [NoticeMark] = []
        /// The next moment a notice falls due, for the daemon to sleep until.
        public var next: LocalTime?
    }

    public struct PlanOccurrences: Sendable {
        public var plan: Plan
        public var occurrences: [Occurrence]
        public init(plan: Plan, occurrences: [Occurrence]) {
            self.plan = plan
            self.occurrences = occurrences
        }
    }

    /// - Parameters:
    ///   - completions: records per occurrence (an occurrence is done when it has
    ///     at least its required count: 1, or a `times` item's minimum).
    ///   - marks: how far each stream was dealt with by earlier ticks.
    ///
    /// In each stream, the candidates due by now that are dated after its
    /// mark or of a higher kind than it (`NoticeMark`) are pending: the latest is mailed and the older ones are superseded (a
    /// second reminder replaces the first), unless even the oldest is older
    /// than the catch-up window, in which case all are listed once in the
    /// recipient's backlog digest. Either way the stream's mark moves to the
    /// latest, so nothing is sent twice. A contact added to a role later gets
    /// the stream's notices from then on, not its past.
    ///   - digestLimit: at most this many lines kept per backlog digest, the
    ///     oldest; the rest are counted (`BacklogDigest.total`, `.branches`).
    public func decide(
        plans: [PlanOccurrences], completions: [OccurrenceKey: Int], marks: NoticeMarks, now: LocalTime,
        digestLimit: Int? = nil
    ) -> Decision {
        var deciding = Deciding(policy: self, completions: completions, marks: marks, now: now, digestLimit: digestLimit)
        for entry in plans { deciding.add(entry) }
        return deciding.finish()
    }

    /// `decide` one plan at a time, for a caller that expands plans as it
    /// goes instead of holding a city's occurrences at once (the daemon):
    /// `add` each plan with its occurrences, then `finish`. The decision is
    /// the same as `decide`'s over the same plans in the same order.
    public struct Deciding: Sendable {
        let policy: NoticePolicy
        let completions: [OccurrenceKey: Int]
        let marks: NoticeMarks
        let now: LocalTime
        let digestLimit: Int?
        var decision = Decision()
        var backlog: [String: (contact: Address, gathered: DigestGathering<BacklogLine>, hash: UInt64)] = [:]
        var next: Int?

        public init(policy: NoticePolicy, completions: [OccurrenceKey: Int], marks: NoticeMarks, now: LocalTime,
                    digestLimit: Int? = nil) {
            self.policy = policy
            self.completions = completions
            self.marks = marks
            self.now = now
            self.digestLimit = digestLimit
        }

        public mutating func add(_ entry: PlanOccurrences) {
            let nowMinutes = now.totalMinutes
            let sendAt = policy.sendAt
            let itemsByID = Dictionary(entry.plan.items.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for occurrence in entry.occurrences {
                guard let item = itemsByID[occurrence.itemID] else { continue }
                let required = occurrence.requiredCount?.lowerBound ?? 1
                if completions[occurrence.key, default: 0] >= required { continue }

                for stream in policy.streams(for: occurrence, item: item, plan: entry.plan, through: now.date) {
                    let mark = marks.mark(occurrence.key, stream.kind) ?? (day: Int.min, rank: -1)
                    var pending: [Candidate] = []
                    var rank = 0
                    for candidate in stream.candidates {
                        let at = candidate.date.dayNumber * 1440 + sendAt
                        if at > nowMinutes {
                            next = min(next ?? at, at)
                            break  // candidates are in date order
                        }
                        if candidate.date.dayNumber > mark.day || candidate.kind.rank > mark.rank {
                            pending.append(candidate)
                            rank = max(rank, candidate.kind.rank)
                        }
                    }
                    guard let latest = pending.last, !stream.recipients.isEmpty else { continue }
                    decision.marks.append(NoticeMark(occurrence: occurrence.key, stream: stream.kind, through: latest.date, rank: rank))
                    let oldest = pending[0].date.dayNumber * 1440 + sendAt
                    let tooOld = nowMinutes - oldest > policy.catchUpMinutes
                    let lineHash = tooOld ? BacklogDigest.lineHash(occurrence.key) : 0
                    for recipient in stream.recipients {
                        let notice = Notice(kind: latest.kind, label: latest.label, date: latest.date,
                                            occurrence: occurrence, recipient: recipient.contact, roles: recipient.roles)
                        if tooOld {
                            // Too old to mail one by one: list it in the recipient's digest.
                            let address = recipient.contact.address
                            if backlog[address] == nil { backlog[address] = (recipient.contact, DigestGathering(), 0) }
                            backlog[address]!.gathered.add(
                                BacklogLine(occurrence: occurrence, latest: latest.kind), owner: occurrence.owner,
                                due: occurrence.due, escalated: false, limit: digestLimit, order: BacklogLine.oldestFirst)
                            backlog[address]!.hash &+= lineHash
                        } else {
                            decision.send.append(notice)
                            decision.handled.append(HandledNotice(notice: notice, disposition: .sent))
                        }
                    }
                }
            }
        }

        /// Mutating so that it can move each digest's lines out instead of
        /// copying them to sort (a city's catching-up tick holds 380,000).
        public mutating func finish() -> Decision {
            var decision = decision
            var gathered = backlog
            backlog = [:]
            decision.backlog = gathered.keys.sorted().compactMap { address in
                guard var entry = gathered.removeValue(forKey: address) else { return nil }
                entry.gathered.cut(to: digestLimit, order: BacklogLine.oldestFirst)
                return BacklogDigest(recipient: entry.contact, lines: entry.gathered.lines, date: now.date,
                                     total: entry.gathered.total, branches: entry.gathered.branches, linesHash: entry.hash)
            }
            decision.next = next.map { LocalTime(totalMinutes: $0) }
            return decision
        }
    }

    // MARK: Candidates

    struct Candidate {
        var kind: NoticeKind
        var label: String
        var date: CivilDate
    }

    struct Recipient {
        var contact: Address
        var roles: [String]
    }

    /// Staff notices (reminders, due, overdue) and escalations are separate
    /// streams: an escalation never hides the overdue notice of the same day.
    struct Stream {
        var kind: NoticeStream
        var candidates: [Candidate]
        var recipients: [Recipient]
    }

    func streams(for o: Occurrence, item: Item, plan: Plan, through today: CivilDate) -> [Stream] {
        var staff: [Candidate] = o.reminders.map { Candidate(kind: .reminder, label: $0.offset.description, date: $0.date) }
        staff.append(Candidate(kind: .due, label: "", date: o.due))
        // Overdue notices repeat until done (up to the horizon): generate them
        // up to the first one after today.
        var overdue = calendar.workday(1, after: o.due)
        let repeatEvery = item.notices.overdueRepeat
        let horizon = CivilDate(year: plan.year, month: 12, day: 31)!.adding(days: overdueHorizonDays)
        for _ in 0..<2000 where overdue <= max(horizon, calendar.workday(1, after: o.due)) {
            staff.append(Candidate(kind: .overdue, label: overdue.description, date: overdue))
            if overdue > today { break }
            overdue = advance(overdue, by: repeatEvery)
        }
        staff.sort { $0.date < $1.date }
        var result = [Stream(kind: .staff, candidates: staff, recipients: recipients(item.notices.notify, plan: plan))]
        if let escalation = item.notices.escalate {
            let date = advance(o.due, by: escalation.after, atLeastOne: false)
            result.append(Stream(kind: .escalation, candidates: [Candidate(kind: .escalation, label: "", date: date)],
                                 recipients: recipients(escalation.to, plan: plan)))
        }
        return result
    }

    func advance(_ date: CivilDate, by offset: Offset, atLeastOne: Bool = true) -> CivilDate {
        let n = atLeastOne ? max(1, offset.count) : offset.count
        switch offset.unit {
        case .workdays: return calendar.workday(n, after: date)
        case .days: return calendar.workday(onOrAfter: date.adding(days: n))
        }
    }

    /// Each address once, with every role it was reached through.
    func recipients(_ roles: [String], plan: Plan) -> [Recipient] {
        var order: [String] = []
        var byAddress: [String: Recipient] = [:]
        for role in roles {
            for contact in plan.contacts[role] ?? [] {
                if byAddress[contact.address] == nil {
                    order.append(contact.address)
                    byAddress[contact.address] = Recipient(contact: contact, roles: [role])
                } else if !byAddress[contact.address]!.roles.contains(role) {
                    byAddress[contact.address]!.roles.append(role)
                }
            }
        }
        return order.map { byAddress[$0]! }
    }

    /// Working days from `today` to `due`: positive when ahead, negative when late.
    public func workdaysLeft(due: CivilDate, today: CivilDate) -> Int {
        if due == today { return 0 }
        if due > today { return calendar.workdays(from: today, to: due) }
        return -calendar.workdays(from: due, to: today)
    }
}
