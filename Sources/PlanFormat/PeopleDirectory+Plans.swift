import Diagnostics
import Vocabulary

extension Address {
    /// `@id`: a person of the people directory, not (yet) an address. Kept
    /// after resolution for a person without e-mail: reached through the
    /// channels, not by mail.
    public var isReference: Bool { address.hasPrefix("@") }
}

extension PeopleDirectory {
    /// The plans with every `@id` contact replaced by the person's name and
    /// e-mail address (or kept as `@id` when the person has none: reached
    /// through the channels only). A plan naming an id the directory does
    /// not know is left out, with an error at the reference (at the roster
    /// branch or the plan's id for a plan expanded from a template), as a
    /// plan with any other error is.
    public func resolve(_ plans: [Plan]) -> (plans: [Plan], diagnostics: [Diagnostic], rejected: [String]) {
        var out: [Plan] = []
        var diagnostics: [Diagnostic] = []
        var rejected: [String] = []
        for plan in plans {
            guard plan.contacts.values.contains(where: { $0.contains(where: \.isReference) }) else {
                out.append(plan)
                continue
            }
            var resolved = plan
            var failed = false
            for (role, people) in plan.contacts {
                resolved.contacts[role] = people.map { contact in
                    guard contact.isReference else { return contact }
                    let id = String(contact.address.dropFirst())
                    let at = plan.contactReferences[id] ?? plan.origin?.branchLocation ?? plan.idLocation
                    switch resolve(id, at: at) {
                    case .success(let person):
                        return Address(name: person.name, address: person.email ?? contact.address)
                    case .failure(let d):
                        if !diagnostics.contains(d) { diagnostics.append(d) }
                        failed = true
                        return contact
                    }
                }
            }
            if failed {
                if !rejected.contains(plan.file) { rejected.append(plan.file) }
            } else {
                out.append(resolved)
            }
        }
        return (out, diagnostics, rejected)
    }
}
