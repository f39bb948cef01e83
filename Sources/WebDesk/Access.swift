import PlanFormat
import Tokens
import Vocabulary

/// Who may do what on the web desk, derived from the plans and the
/// configuration alone (no user table to keep in step):
///
/// - a **contact** of a plan in a role that gets its notices (`notify`, or
///   any role not used only for escalation) records for that plan;
/// - a contact in a role used only as an escalation target (`escalate.to`,
///   e.g. 党委办公室) **supervises** that plan: sees it, records nothing;
/// - a recipient of the scheduled reports (`reports: to:`) and an admin
///   (`web: admins:`) see every plan.
///
/// Addresses compare without case. Built once per plan reload; lookups are
/// dictionary reads.
public struct Access: Sendable {
    /// Lower-cased address → the person's display name and plans.
    private var people: [String: Person] = [:]
    private var seeAll: Set<String> = []
    /// `AddressDigest` → address, to find who a notice's personal link was sent to.
    private var byDigest: [AddressDigest: String] = [:]

    public struct Person: Sendable, Hashable {
        public var name: String
        /// Plan ids this person records for.
        public var records: Set<String> = []
        /// Plan ids this person supervises (sees, does not record).
        public var supervises: Set<String> = []
    }

    public init(plans: [Plan], admins: [String], reportRecipients: [String]) {
        for plan in plans {
            var escalationOnly = Set<String>()
            var notified = Set<String>()
            for item in plan.items {
                notified.formUnion(item.notices.notify)
                escalationOnly.formUnion(item.notices.escalate?.to ?? [])
            }
            escalationOnly.subtract(notified)
            for (role, contacts) in plan.contacts {
                for contact in contacts {
                    let key = contact.address.lowercased()
                    var person = people[key] ?? Person(name: contact.name)
                    if escalationOnly.contains(role) {
                        person.supervises.insert(plan.id)
                    } else {
                        person.records.insert(plan.id)
                    }
                    people[key] = person
                }
            }
        }
        seeAll = Set((admins + reportRecipients).map { $0.lowercased() })
        for address in people.keys { byDigest[AddressDigest(address: address)] = address }
    }

    /// The person a personal link was sent to, if the plans still name them.
    public func viewer(digest: AddressDigest) -> Viewer? {
        byDigest[digest].flatMap(viewer)
    }

    /// Whether the address may sign in at all: a contact of some plan, an
    /// admin or a report recipient.
    public func isKnown(_ address: String) -> Bool {
        let key = address.lowercased()
        return people[key] != nil || seeAll.contains(key)
    }

    /// What the person with this address may see and do, or nil for an
    /// address nobody configured.
    public func viewer(_ address: String) -> Viewer? {
        let key = address.lowercased()
        let person = people[key]
        let all = seeAll.contains(key)
        guard person != nil || all else { return nil }
        return Viewer(
            address: key,
            name: person?.name ?? "",
            records: person?.records ?? [],
            supervises: person?.supervises ?? [],
            seesAll: all
        )
    }
}

/// One signed-in person's rights, as `Access` derived them.
public struct Viewer: Sendable, Hashable {
    public var address: String
    /// From the plans' contacts; empty for an admin who is no contact.
    public var name: String
    public var records: Set<String>
    public var supervises: Set<String>
    public var seesAll: Bool

    public init(address: String, name: String, records: Set<String>, supervises: Set<String>, seesAll: Bool) {
        self.address = address
        self.name = name
        self.records = records
        self.supervises = supervises
        self.seesAll = seesAll
    }

    public func mayRecord(_ plan: String) -> Bool { records.contains(plan) }
    public func maySee(_ plan: String) -> Bool { seesAll || records.contains(plan) || supervises.contains(plan) }
    /// Whether the 督导 board is for them: they supervise something or see all.
    public var isSupervisor: Bool { seesAll || !supervises.isEmpty }
    public var displayName: String { name.isEmpty ? address : name }
}
