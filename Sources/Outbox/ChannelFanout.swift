import Channels
import Config
import MailFormat
import Notices
import PlanFormat
import Reports
import Scheduling
import Vocabulary
import WorkCalendar

/// Turns a tick's decided notices into outbox entries for the configured
/// channels: each notice composed once into a channel-neutral message, then
/// rendered by every channel that carries it.
///
/// - A group robot gets one message per notice for the group, however many
///   recipients the notice has (its key is the notice key without the
///   recipient); with `mention:` the recipients' mobiles from the people
///   directory are @-mentioned in that one message.
/// - A channel that reaches persons (the 企业微信 app) sends each recipient
///   found in the people directory with its field (`wecom`) their own.
/// - Digests reach a person as one message, and a group as one message per
///   digest with the counts, a few items and the link, cut to the group's
///   plans or owners.
///
/// Pure, deterministic: the same notices give the same entries, byte for
/// byte, so a tick rerun after a crash writes nothing new (the ids are
/// derived from notice key, recipient and channel; the ledger keeps the
/// first). It must see every notice the tick decided, also those whose
/// mail was found spooled already: a crash between the mail spool and the
/// outbox write would otherwise lose the channels' copy.
public struct ChannelFanout: Sendable {
    let channels: [DaemonConfig.ChannelConfig]
    let people: PeopleDirectory
    let language: Language
    /// When the entries are written (seconds since 1970).
    let now: Int64
    /// The owner of each plan, for selecting by `owners:`.
    let owners: [String: String]

    private struct Group {
        var channel: Int
        var message: ChannelMessage
        var noticeKey: String
        var plan: String
        var item: String
        var period: String
        var mentions: [String]
    }

    /// Channels by the plan or owner they are cut to, and those that take every plan:
    /// a city has a robot per branch, and each notice looks only at its own.
    private let byPlan: [String: [Int]]
    private let byOwner: [String: [Int]]
    private let everyPlan: [Int]

    private var groups: [String: Group] = [:]
    private var groupOrder: [String] = []
    private var entries: [OutboxEntry] = []
    private var ids: Set<String> = []

    public init(
        channels: [DaemonConfig.ChannelConfig],
        people: PeopleDirectory,
        language: Language,
        now: Int64,
        owners: [String: String]
    ) {
        self.channels = channels
        self.people = people
        self.language = language
        self.now = now
        self.owners = owners
        var byPlan: [String: [Int]] = [:]
        var byOwner: [String: [Int]] = [:]
        var every: [Int] = []
        for (i, c) in channels.enumerated() {
            if let plans = c.plans {
                for p in Set(plans) { byPlan[p, default: []].append(i) }
            } else if let names = c.owners {
                for o in Set(names) { byOwner[o, default: []].append(i) }
            } else {
                every.append(i)
            }
        }
        self.byPlan = byPlan
        self.byOwner = byOwner
        everyPlan = every
    }

    /// The channels that may carry a notice of `plan` (owned by `owner`), in the config's order.
    func candidates(plan: String, owner: String) -> [Int] {
        let some = (byPlan[plan] ?? []) + (byOwner[owner] ?? [])
        return some.isEmpty ? everyPlan : (everyPlan + some).sorted()
    }

    public var isEmpty: Bool { channels.isEmpty }

    var messageLanguage: Language { language }

    // MARK: Notices

    public mutating func notice(_ n: Notice, content: NoticeContent, subject: String) {
        guard !channels.isEmpty, let kind = ChannelMessage.Kind(rawValue: n.kind.rawValue) else { return }
        let o = n.occurrence
        let groupKey = "\(o.planID)/\(o.itemID)/\(o.period)/\(n.kind.rawValue)/\(n.label)"
        let person = lookup(n.recipient)
        var composed: ChannelMessage?
        func message() -> ChannelMessage {
            if let composed { return composed }
            let parts = NoticeMail.channelParts(content, language: language)
            let m = ChannelMessage(
                kind: kind,
                title: subject,
                lines: [parts.opening],
                facts: parts.facts.map { ChannelMessage.Fact($0.label, $0.value) },
                noticeKey: groupKey,
                language: messageLanguage
            )
            composed = m
            return m
        }
        for index in candidates(plan: o.planID, owner: o.owner)
        where channels[index].carries(kind, plan: o.planID, owner: o.owner) {
            let c = channels[index]
            switch type(of: c.channel).audience {
            case .group:
                let key = c.name + "\u{1F}" + groupKey
                if groups[key] == nil {
                    groups[key] = Group(
                        channel: index,
                        message: message(),
                        noticeKey: groupKey,
                        plan: o.planID,
                        item: o.itemID,
                        period: o.period,
                        mentions: []
                    )
                    groupOrder.append(key)
                }
                if c.mention, let mobile = person?.mobile, groups[key]?.mentions.contains(mobile) == false {
                    groups[key]?.mentions.append(mobile)
                }
            case .person(let field):
                guard let person, let handle = person.field(field) else { continue }
                add(
                    c,
                    message(),
                    to: .person(id: person.id, name: person.name, handle: handle),
                    noticeKey: n.key,
                    recipientID: person.id,
                    kind: kind,
                    plan: o.planID,
                    item: o.itemID,
                    period: o.period
                )
            }
        }
    }

    // MARK: Digests

    /// A supervisor's daily overdue digest: to the supervisor through the
    /// channels that reach persons, and, cut to each group's plans or
    /// owners, to the groups that carry digests.
    public mutating func overdueDigest(_ d: OverdueDigest, subject: String) {
        guard !channels.isEmpty else { return }
        let person = lookup(d.recipient)
        for c in channels where c.kinds.contains(.digest) {
            let selected = selection(c)
            let lines = d.lines.filter { selected?.contains($0.occurrence.owner) ?? true }
            let branches = d.branches.filter { selected?.contains($0.owner) ?? true }
            let total = selected == nil ? d.total : branches.reduce(0) { $0 + $1.overdue }
            let escalated = selected == nil ? d.escalatedTotal : branches.reduce(0) { $0 + $1.escalated }
            guard total > 0 else { continue }
            let title =
                selected == nil
                ? subject
                : Texts.digestChannelTitle(date: d.date, total: total, branches: branches.count).text(in: language)
            let sentence =
                Texts.digestChannelSentence(date: d.date, total: total, branches: branches.count).text(in: language)
            var counts = [
                ChannelMessage.Fact(Texts.overdueItemsFact.text(in: language), String(total)),
                ChannelMessage.Fact(Texts.branchesFact.text(in: language), String(branches.count)),
            ]
            if escalated > 0 {
                counts.append(ChannelMessage.Fact(Texts.escalatedFact.text(in: language), String(escalated)))
            }
            for b in branches.prefix(5) {
                counts.append(ChannelMessage.Fact(b.owner, Texts.itemCount(b.overdue).text(in: language)))
            }
            let items = lines.map {
                NoticeMail.channelDigestLine(
                    owner: $0.occurrence.owner,
                    itemTitle: $0.occurrence.title,
                    period: $0.occurrence.period,
                    workdaysOverdue: $0.workdaysLate,
                    escalated: $0.escalated,
                    language: language
                )
            }
            // Lines cut by digest-limit are not listed; the counts above hold every one.
            let message = ChannelMessage(
                kind: .digest,
                title: title,
                lines: [sentence],
                counts: counts,
                items: items,
                noticeKey: d.key,
                language: messageLanguage
            )
            switch type(of: c.channel).audience {
            case .group:
                add(
                    c,
                    message,
                    to: .group(name: c.name, mentions: []),
                    noticeKey: d.key,
                    recipientID: "group",
                    kind: .digest,
                    plan: "",
                    item: "",
                    period: d.date.description
                )
            case .person(let field):
                guard let person, let handle = person.field(field) else { continue }
                add(
                    c,
                    message,
                    to: .person(id: person.id, name: person.name, handle: handle),
                    noticeKey: d.key,
                    recipientID: person.id,
                    kind: .digest,
                    plan: "",
                    item: "",
                    period: d.date.description
                )
            }
        }
    }

    /// A backlog digest (a first start mid-year): to its recipient through
    /// the channels that reach persons and carry `backlog`.
    public mutating func backlog(_ d: BacklogDigest, subject: String) {
        guard !channels.isEmpty, let person = lookup(d.recipient) else { return }
        for c in channels where c.kinds.contains(.backlog) {
            guard case .person(let field) = type(of: c.channel).audience, let handle = person.field(field) else {
                continue
            }
            let items = d.lines.map { line in
                let o = line.occurrence
                return o.owner + " · " + o.title + Texts.periodAndDue(o.period, o.due).text(in: language)
            }
            let message = ChannelMessage(
                kind: .backlog,
                title: subject,
                lines: [
                    Texts.pastNoticesNotRecorded.text(in: language)
                ],
                counts: [ChannelMessage.Fact(Texts.outstandingFact.text(in: language), String(d.total))],
                items: items,
                noticeKey: d.key,
                language: messageLanguage
            )
            add(
                c,
                message,
                to: .person(id: person.id, name: person.name, handle: handle),
                noticeKey: d.key,
                recipientID: person.id,
                kind: .backlog,
                plan: "",
                item: "",
                period: d.date.description
            )
        }
    }

    /// A period report (`reports:`): to the groups that carry `report` as one
    /// message, the figures and each branch's line (cut to the group's plans
    /// or owners, best first), never the report's tables; to its recipients
    /// found in the people directory through the channels that reach persons.
    public mutating func report(_ due: ReportMailComposer.Due) {
        guard !channels.isEmpty else { return }
        let key = due.message.key
        for c in channels where c.kinds.contains(.report) {
            let selected = selection(c)
            let owners = due.report.owners.filter { selected?.contains($0.owner) ?? true }
            guard !owners.isEmpty else { continue }
            var totals = PeriodReport.Figures()
            for o in owners {
                totals.due += o.figures.due
                totals.done += o.figures.done
                totals.onTime += o.figures.onTime
                totals.late += o.figures.late
                totals.overdue += o.figures.overdue
                totals.pending += o.figures.pending
                totals.assessed += o.figures.assessed
            }
            func percent(_ rate: Double?) -> String { rate.map { "\(Int(($0 * 100).rounded()))%" } ?? "-" }
            let counts = [
                ChannelMessage.Fact(Texts.dueFact.text(in: language), String(totals.due)),
                ChannelMessage.Fact(Texts.doneFact.text(in: language), String(totals.done)),
                ChannelMessage.Fact(Texts.onTimeFact.text(in: language), String(totals.onTime)),
                ChannelMessage.Fact(Texts.overdueFact.text(in: language), String(totals.overdue)),
                ChannelMessage.Fact(Texts.completionFact.text(in: language), percent(totals.completionRate)),
                ChannelMessage.Fact(Texts.onTimeRateFact.text(in: language), percent(totals.onTimeRate)),
            ]
            let ranked = owners.sorted { ($0.rank ?? Int.max, $0.owner) < ($1.rank ?? Int.max, $1.owner) }
            let items = ranked.map { o -> String in
                let place = o.rank.map { Texts.rankPlace($0).text(in: language) } ?? ""
                return Texts.reportBranchLine(
                    place: place,
                    owner: o.owner,
                    done: o.figures.done,
                    assessed: o.figures.assessed,
                    onTimeRate: percent(o.figures.onTimeRate)
                ).text(in: language)
            }
            let message = ChannelMessage(
                kind: .report,
                title: due.message.subject,
                lines: [
                    Texts.reportChannelLead(due.period.name(in: language)).text(in: language)
                ],
                counts: counts,
                items: items,
                noticeKey: key,
                language: messageLanguage
            )
            switch type(of: c.channel).audience {
            case .group:
                add(
                    c,
                    message,
                    to: .group(name: c.name, mentions: []),
                    noticeKey: key,
                    recipientID: "group",
                    kind: .report,
                    plan: "",
                    item: "",
                    period: due.period.label
                )
            case .person(let field):
                for recipient in due.recipients {
                    guard let person = lookup(recipient), let handle = person.field(field) else { continue }
                    add(
                        c,
                        message,
                        to: .person(id: person.id, name: person.name, handle: handle),
                        noticeKey: key,
                        recipientID: person.id,
                        kind: .report,
                        plan: "",
                        item: "",
                        period: due.period.label
                    )
                }
            }
        }
    }

    /// The person a contact is: by `@id` (a person without e-mail), else by address.
    func lookup(_ contact: Address) -> Person? {
        contact.isReference
            ? people.person(id: String(contact.address.dropFirst())) : people.person(email: contact.address)
    }

    /// The owners a channel is cut to (`owners:`, or the owners of its
    /// `plans:`), nil for all.
    func selection(_ c: DaemonConfig.ChannelConfig) -> Set<String>? {
        if let o = c.owners { return Set(o) }
        if let p = c.plans { return Set(p.compactMap { owners[$0] }) }
        return nil
    }

    // MARK: Entries

    public mutating func finish() -> [OutboxEntry] {
        for key in groupOrder {
            guard let g = groups[key] else { continue }
            let c = channels[g.channel]
            add(
                c,
                g.message,
                to: .group(name: c.name, mentions: g.mentions),
                noticeKey: g.noticeKey,
                recipientID: "group",
                kind: g.message.kind,
                plan: g.plan,
                item: g.item,
                period: g.period
            )
        }
        groups = [:]
        groupOrder = []
        defer { entries = [] }
        return entries
    }

    private mutating func add(
        _ c: DaemonConfig.ChannelConfig,
        _ message: ChannelMessage,
        to recipient: ChannelRecipient,
        noticeKey: String,
        recipientID: String,
        kind: ChannelMessage.Kind,
        plan: String,
        item: String,
        period: String
    ) {
        let id = OutboxEntry.id(noticeKey: noticeKey, recipient: recipientID, channel: c.name)
        guard ids.insert(id).inserted else { return }
        let rendered = c.channel.render(message, to: recipient)
        entries.append(
            OutboxEntry(
                id: id,
                channel: c.name,
                channelKind: type(of: c.channel).kind,
                destination: rendered.destination,
                recipient: recipient.label,
                noticeKey: noticeKey,
                noticeKind: kind.rawValue,
                plan: plan,
                item: item,
                period: period,
                summary: rendered.summary,
                body: rendered.body,
                createdAt: now
            )
        )
    }
}
