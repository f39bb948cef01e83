import Diagnostics
import Vocabulary
import YAMLSource

/// A plan written once for many branches, as read from a template file and
/// before it meets its roster. Everything that can be checked without the
/// roster has been checked; what depends on each branch (its people, its
/// overrides) is applied by `TemplateExpander`.
struct PlanTemplate {
    var id: String
    var idNode: YAMLNode
    var title: (pattern: String, node: YAMLNode)?
    var year: Int
    /// The roster file as written, and resolved against the template's folder.
    var rosterReference: (text: String, node: YAMLNode)
    /// Tags a branch needs one of; nil means every branch of the roster.
    var applyTo: [(tag: String, node: YAMLNode)]?
    var contacts: [String: [Address]]
    var defaults: PlanReader.NoticeFields?
    var defaultsRoleUses: [RoleUse]
    var items: [PlanReader.ItemDraft]
    var itemsNode: YAMLNode
    /// Per-branch changes, keyed by branch id, in file order.
    var overrides: [BranchOverride]
    /// The template's top-level mapping, for messages about the file as a whole.
    var root: YAMLNode

    /// What `branches: {<id>: …}` says about one branch.
    struct BranchOverride {
        var branch: String
        var key: YAMLNode
        /// Items the branch does not do (`exempt: [dues]`).
        var exempt: Set<String>
        /// Items the branch does differently: the template item with the
        /// branch's keys laid over it, already validated.
        var changed: [String: PlanReader.ItemDraft]
        /// Items only this branch has.
        var added: [PlanReader.ItemDraft]
    }
}

/// One template as the catalog applied it, for `check`'s summary line.
public struct TemplateSummary: Sendable, Hashable {
    public var id: String
    /// The template file.
    public var file: String
    /// The roster file it was applied to, resolved against the template's folder.
    public var roster: String
    public var year: Int
    /// Branches of the roster the template applies to (after `apply-to`).
    public var branches: Int
    /// Plans loaded: fewer than `branches` when some branch had an error.
    public var plans: Int

    public init(id: String, file: String, roster: String, year: Int, branches: Int, plans: Int) {
        self.id = id
        self.file = file
        self.roster = roster
        self.year = year
        self.branches = branches
        self.plans = plans
    }
}
