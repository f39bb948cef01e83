import Diagnostics
import Vocabulary

/// A message composed once, before any channel sees it: the notice's words
/// without a format. Each channel renders it into what its service takes
/// (markdown, plain text, a JSON body) within that service's size limit,
/// so the composition is written once and the channels only lay it out.
public struct ChannelMessage: Sendable, Equatable {
    /// What the message is about; a channel may lay out a digest
    /// differently from a single notice (counts first, a link, few lines).
    public enum Kind: String, Sendable, CaseIterable {
        case reminder, due, overdue, escalation
        /// The daily overdue digest (督办日报).
        case digest
        /// The backlog digest of a first start mid-year.
        case backlog
        /// A period report.
        case report

        /// Lists of items rather than a single notice.
        public var isSummary: Bool { self == .digest || self == .backlog || self == .report }
        /// Overdue and escalations are shown as warnings where a service can colour.
        public var isWarning: Bool { self == .overdue || self == .escalation || self == .digest }
    }

    /// A label and its value: `截止日期: 2026-11-25（周三）`, `逾期事项: 203`.
    public struct Fact: Sendable, Equatable {
        public var label: String
        public var value: String

        public init(_ label: String, _ value: String) {
            self.label = label
            self.value = value
        }
    }

    /// Where to act: the web desk's page for the record, when there is one.
    public struct Link: Sendable, Equatable {
        public var label: String
        public var url: String

        public init(label: String, url: String) {
            self.label = label
            self.url = url
        }
    }

    public var kind: Kind
    /// One line: the mail's subject.
    public var title: String
    /// The sentences of the body, in order.
    public var lines: [String]
    /// Facts shown as `label：value`.
    public var facts: [Fact]
    /// The counts of a summary (`逾期事项：203`, one per branch…), shown before any item.
    public var counts: [Fact]
    /// A summary's items, one line each, the most important first. Channels
    /// show as many as fit (a group at most `Layout.groupItemLimit`) and
    /// say how many more there are.
    public var items: [String]
    public var link: Link?
    /// The stable key of the notice this message carries (its spool name's
    /// source): channels may use it to make a message unique.
    public var noticeKey: String
    public var language: Language

    public init(
        kind: Kind,
        title: String,
        lines: [String] = [],
        facts: [Fact] = [],
        counts: [Fact] = [],
        items: [String] = [],
        link: Link? = nil,
        noticeKey: String,
        language: Language = .zh
    ) {
        self.kind = kind
        self.title = title
        self.lines = lines
        self.facts = facts
        self.counts = counts
        self.items = items
        self.link = link
        self.noticeKey = noticeKey
        self.language = language
    }
}

/// Who a channel message goes to.
public enum ChannelRecipient: Sendable, Hashable {
    /// The group a robot posts into. `mentions` are mobile numbers of the
    /// people the notice is for, to @ them where the service can.
    case group(name: String, mentions: [String])
    /// One person: their directory id and name, and `handle`, their user id
    /// in the service (the directory's `wecom` or `dingtalk` field).
    case person(id: String, name: String, handle: String)

    public var isGroup: Bool {
        if case .group = self { return true }
        return false
    }

    /// Names the recipient in logs and outbox records: the group's name, or `id (handle)`.
    public var label: String {
        switch self {
        case .group(let name, _): return name
        case .person(let id, let name, _): return "\(name) (@\(id))"
        }
    }
}
