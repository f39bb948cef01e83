import Diagnostics
import Vocabulary

/// A list of party branches and the units above them (a hospital committee, a
/// city commission), read from a roster file. Templates are applied to it so
/// that one plan serves a hundred branches; the roster is where the people
/// live, so a new secretary is one line in one file, not a hundred edits.
public struct Roster: Sendable {
    /// The roster file, as the caller named it.
    public var file: String
    /// The organisation the roster describes: the top of every branch's `units`.
    public var name: String
    /// Every branch, flattened from the unit tree in file order.
    public var branches: [RosterBranch]
    /// Where `branches:` (or `units:`) is written, for messages that send
    /// people to the roster as a whole.
    public var location: SourceLocation
    /// Ids of branch entries that had errors and were left out. Templates
    /// that name them say nothing more: the roster's own error says it all.
    public var brokenBranchIDs: Set<String>

    public init(
        file: String,
        name: String,
        branches: [RosterBranch],
        location: SourceLocation,
        brokenBranchIDs: Set<String> = []
    ) {
        self.file = file
        self.name = name
        self.branches = branches
        self.location = location
        self.brokenBranchIDs = brokenBranchIDs
    }

    /// Every tag used in the roster, sorted, for "did you mean" and listings.
    public var tags: [String] { Set(branches.flatMap(\.tags)).sorted() }
}

/// One branch (党支部) in a roster, with the people of every unit above it
/// already merged in: a role defined by the branch wins over the same role
/// defined by its hospital, which wins over the commission's.
public struct RosterBranch: Sendable {
    /// `[a-z0-9][a-z0-9-]*`; the branch's plans are `<template id>-<branch id>`.
    public var id: String
    /// The branch's name, e.g. 外科第二党支部: the owner of its plans.
    public var name: String
    /// 临床, 机关, 离退休, …: templates choose branches by tag.
    public var tags: [String]
    /// The units above the branch, top down (the roster's `name` first).
    public var units: [String]
    /// Role → people, merged from the units above and the branch itself.
    public var contacts: [String: [Address]]
    /// The roles the branch's own entry defines. Only these (and the
    /// template's) are told by default; roles inherited from a hospital or a
    /// commission hear only when an item names them, in `notify` or
    /// `escalate.to`, so a city office is not copied on every reminder.
    public var ownRoles: Set<String>
    /// The branch's entry in the roster (where its `id:` is written).
    public var location: SourceLocation
    /// Where the branch's own `contacts:` key is, or its entry when it has none:
    /// the place to add a role that a template needs.
    public var contactsLocation: SourceLocation

    public init(
        id: String,
        name: String,
        tags: [String],
        units: [String],
        contacts: [String: [Address]],
        ownRoles: Set<String>,
        location: SourceLocation,
        contactsLocation: SourceLocation
    ) {
        self.ownRoles = ownRoles
        self.id = id
        self.name = name
        self.tags = tags
        self.units = units
        self.contacts = contacts
        self.location = location
        self.contactsLocation = contactsLocation
    }
}
