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
    /// How long before tracking start a deadline may lie and still be
    /// tracked (`catch-up`): older ones are history (`isHistory`).
    public var catchUpMinutes: Int
    /// Overdue notices repeat until done, but not for ever: they stop this many
    /// days after the plan's year ends (what is still open then is a matter for
    /// the year's report, not for weekly mail).
    public var overdueHorizonDays: Int
    /// When plankeeper started tracking (the ledger's first tick, or
    /// `track-from:`); nil tracks everything.
    public var trackingStart: LocalTime?
    /// When mail may go out (`send-window`, `catch-up-at`).
    public var window: SendWindow
    /// Escalations go into the recipient's daily overdue digest instead of a
    /// mail each (`escalation-mail: digest` with the digest on).
    public var escalationsInDigest: Bool

    public init(
        calendar: WorkdayCalendar,
        sendAt: Int = 8 * 60 + 30,
        catchUpMinutes: Int = 7 * 1440,
        overdueHorizonDays: Int = 90,
        trackingStart: LocalTime? = nil,
        window: SendWindow = .standard,
        escalationsInDigest: Bool = false
    ) {
        self.calendar = calendar
        self.sendAt = sendAt
        self.catchUpMinutes = catchUpMinutes
        self.overdueHorizonDays = overdueHorizonDays
        self.trackingStart = trackingStart
        self.window = window
        self.escalationsInDigest = escalationsInDigest
    }

    /// History: an occurrence that was due more than `catch-up` before
    /// tracking started. Its notices were all past when plankeeper began to
    /// watch, so it is listed once in the recipients' backlog digest and never
    /// mailed, repeated or escalated one by one; `status` and reports show it
    /// as not tracked (未跟踪) until it is recorded.
    public func isHistory(_ o: Occurrence) -> Bool {
        guard let start = trackingStart else { return false }
        return o.due.dayNumber * 1440 + sendAt < start.totalMinutes - catchUpMinutes
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
        /// Escalations not mailed on their own: they are in the recipient's
        /// overdue digest today (`escalationsInDigest`); logged, and marked.
        public var digested: [Notice] = []
        /// Notices and digest lines due but held outside the send window,
        /// and when they go out (`SendWindow.release`).
        public var held = 0
        public var heldUntil: LocalTime?
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
        plans: [PlanOccurrences],
        completions: [OccurrenceKey: Int],
        marks: NoticeMarks,
        now: LocalTime,
        digestLimit: Int? = nil
    ) -> Decision {
        var deciding = Deciding(
            policy: self,
            completions: completions,
            marks: marks,
            now: now,
            digestLimit: digestLimit
        )
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

        public init(
            policy: NoticePolicy,
            completions: [OccurrenceKey: Int],
            marks: NoticeMarks,
            now: LocalTime,
            digestLimit: Int? = nil
        ) {
            self.policy = policy
            self.completions = completions
            self.marks = marks
            self.now = now
            self.digestLimit = digestLimit
        }

        /// Notices found due outside the send window wait: nothing is
        /// marked, and the daemon wakes at the release moment.
        mutating func hold(_ count: Int) {
            let release = policy.window.release(after: now, sendAt: policy.sendAt, calendar: policy.calendar)
            decision.held += count
            decision.heldUntil = release
            next = min(next ?? release.totalMinutes, release.totalMinutes)
        }

        /// A history occurrence (`isHistory`), not listed yet: one line in
        /// the backlog digest of each person its notices would reach, and
        /// both its streams marked, so that it is never listed again nor
        /// mailed one by one.
        mutating func addHistory(_ occurrence: Occurrence, item: Item, plan: Plan) {
            if marks.mark(occurrence.key, .staff) != nil || marks.mark(occurrence.key, .escalation) != nil { return }
            let streams = policy.streams(for: occurrence, item: item, plan: plan, through: now.date)
            let recipients = streams.flatMap(\.recipients)
            guard !recipients.isEmpty else { return }
            guard policy.window.isOpen(now, calendar: policy.calendar) else {
                hold(recipients.count)
                return
            }
            let latest = streams.first { $0.kind == .staff }?.candidates.last { $0.date <= now.date }?.kind ?? .overdue
            let lineHash = BacklogDigest.lineHash(occurrence.key)
            var listed: Set<String> = []
            for recipient in recipients where listed.insert(recipient.contact.address).inserted {
                let address = recipient.contact.address
                if backlog[address] == nil { backlog[address] = (recipient.contact, DigestGathering(), 0) }
                backlog[address]!.gathered.add(
                    BacklogLine(occurrence: occurrence, latest: latest),
                    owner: occurrence.owner,
                    due: occurrence.due,
                    escalated: false,
                    limit: digestLimit,
                    order: BacklogLine.oldestFirst
                )
                backlog[address]!.hash &+= lineHash
            }
            for stream in streams where !stream.recipients.isEmpty {
                decision.marks.append(
                    NoticeMark(
                        occurrence: occurrence.key,
                        stream: stream.kind,
                        through: now.date,
                        rank: stream.kind == .staff ? 2 : 0
                    )
                )
            }
        }

        public mutating func add(_ entry: PlanOccurrences) {
            let nowMinutes = now.totalMinutes
            let sendAt = policy.sendAt
            let open = policy.window.isOpen(now, calendar: policy.calendar)
            let itemsByID = Dictionary(entry.plan.items.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for occurrence in entry.occurrences {
                guard let item = itemsByID[occurrence.itemID] else { continue }
                let required = occurrence.requiredCount?.lowerBound ?? 1
                if completions[occurrence.key, default: 0] >= required { continue }
                if policy.horizon(of: occurrence, planYear: entry.plan.year) < now.date { continue }
                if policy.isHistory(occurrence) {
                    addHistory(occurrence, item: item, plan: entry.plan)
                    continue
                }

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
                    // Outside the send window (a catch-up at night or on an
                    // off day): held, unmarked, until the release moment.
                    guard open else {
                        hold(stream.recipients.count)
                        continue
                    }
                    decision.marks.append(
                        NoticeMark(occurrence: occurrence.key, stream: stream.kind, through: latest.date, rank: rank)
                    )
                    // A tracked occurrence's latest pending notice goes out on
                    // its own, however late it was found (the older ones are
                    // superseded): only history is digested (`addHistory`).
                    for recipient in stream.recipients {
                        let notice = Notice(
                            kind: latest.kind,
                            label: latest.label,
                            date: latest.date,
                            occurrence: occurrence,
                            recipient: recipient.contact,
                            roles: recipient.roles
                        )
                        if stream.kind == .escalation && policy.escalationsInDigest {
                            decision.digested.append(notice)
                            decision.handled.append(HandledNotice(notice: notice, disposition: .digest))
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
                return BacklogDigest(
                    recipient: entry.contact,
                    lines: entry.gathered.lines,
                    date: now.date,
                    total: entry.gathered.total,
                    branches: entry.gathered.branches,
                    linesHash: entry.hash
                )
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
        var staff: [Candidate] = o.reminders.map {
            Candidate(kind: .reminder, label: $0.offset.description, date: $0.date)
        }
        staff.append(Candidate(kind: .due, label: "", date: o.due))
        // Overdue notices repeat until done (up to the horizon): generate them
        // up to the first one after today.
        var overdue = calendar.workday(1, after: o.due)
        let repeatEvery = item.notices.overdueRepeat
        let horizon = horizon(of: o, planYear: plan.year)
        for _ in 0..<2000 where overdue <= max(horizon, calendar.workday(1, after: o.due)) {
            staff.append(Candidate(kind: .overdue, label: overdue.description, date: overdue))
            if overdue > today { break }
            overdue = advance(overdue, by: repeatEvery)
        }
        staff.sort { $0.date < $1.date }
        var result = [Stream(kind: .staff, candidates: staff, recipients: recipients(item.notices.notify, plan: plan))]
        if let escalation = item.notices.escalate {
            let date = escalationDate(of: o, after: escalation.after)
            result.append(
                Stream(
                    kind: .escalation,
                    candidates: [Candidate(kind: .escalation, label: "", date: date)],
                    recipients: recipients(escalation.to, plan: plan)
                )
            )
        }
        return result
    }

    /// The last day an occurrence is mailed about: `overdue-horizon` days
    /// after its plan's year ends, or after its own deadline when that lies
    /// later (a `date:` written into the next year). Past it, what is still
    /// open is a matter for the year's report, not for mail: no overdue
    /// repeat, no escalation, no line in a backlog or overdue digest.
    public func horizon(of o: Occurrence, planYear: Int) -> CivilDate {
        let yearEnd = CivilDate.endOfMonth(year: planYear, month: 12)
        return max(yearEnd, o.due).adding(days: overdueHorizonDays)
    }

    /// Whether nothing of a plan can be mailed any more: every occurrence is
    /// past its horizon. A tick skips such a plan (a 2025 plan left in the
    /// folder in 2027) instead of deciding about it every time.
    public func isRetired(_ entry: PlanOccurrences, today: CivilDate) -> Bool {
        let yearEnd = CivilDate.endOfMonth(year: entry.plan.year, month: 12)
        guard today > yearEnd.adding(days: overdueHorizonDays) else { return false }
        return entry.occurrences.allSatisfy { horizon(of: $0, planYear: entry.plan.year) < today }
    }

    /// The day an occurrence is escalated, if still not done: `after: Nwd`
    /// is the Nth working day after the due date (`Nd`: the first working day
    /// at least N days after it), N ≥ 1, at `send-at`. An occurrence recorded
    /// on or before that day is never escalated.
    public func escalationDate(of o: Occurrence, after: Offset) -> CivilDate {
        advance(o.due, by: after)
    }

    func advance(_ date: CivilDate, by offset: Offset) -> CivilDate {
        let n = max(1, offset.count)
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

extension NoticePolicy {
    /// The history occurrences (`isHistory`) not recorded as done, oldest
    /// first: what `plankeeper done --history` acknowledges in bulk, and what
    /// the web desk will offer to acknowledge. Pure: the caller writes the
    /// records.
    public func unrecordedHistory(_ entries: [PlanOccurrences], completions: [OccurrenceKey: Int]) -> [Occurrence] {
        var out: [Occurrence] = []
        for entry in entries {
            for o in entry.occurrences where isHistory(o) {
                if completions[o.key, default: 0] >= (o.requiredCount?.lowerBound ?? 1) { continue }
                out.append(o)
            }
        }
        return out.sorted { ($0.due, $0.planID, $0.itemID, $0.period) < ($1.due, $1.planID, $1.itemID, $1.period) }
    }
}
