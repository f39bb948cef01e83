import Diagnostics
import Vocabulary
import YAMLSource

/// Applies a checked template to its roster: one ordinary `Plan` per chosen
/// branch, so occurrences, records and notices are per branch and nothing
/// downstream needs to know templates exist. A problem in the template itself
/// leaves the whole template out; a problem that concerns one branch (a role
/// its people lack, an id too long) leaves out that branch only. Messages
/// about a template and a roster name both places: the one they point at,
/// and the other as `FILE:LINE:COLUMN` in the text.
struct TemplateExpander {
    let template: PlanTemplate
    /// The template file's path.
    let file: String
    let roster: Roster

    struct Result {
        var plans: [Plan]
        var diagnostics: [Diagnostic]
        /// Branches the template applies to.
        var selected: Int
        /// True when anything was left out: the daemon then keeps the last
        /// good version of the missing plans.
        var incomplete: Bool
    }

    private static func m(_ zh: String, _ en: String) -> Message { Message(zh: zh, en: en) }

    private func at(_ node: YAMLNode) -> SourceLocation {
        SourceLocation(file: file, line: node.line, column: node.column)
    }

    /// Branches × items a template may expand to: a city of 10,000 branches
    /// with 50 items each is half of it; two hostile 1 MiB files (20,000
    /// branches, 30,000 items) would need tens of gigabytes.
    static let maximumExpandedItems = 1_000_000

    func expand() -> Result {
        var diagnostics: [Diagnostic] = []
        let selected = chosenBranches(&diagnostics)
        let perBranch = template.items.count + (template.overrides.map(\.added.count).max() ?? 0)
        if selected.count * perBranch > Self.maximumExpandedItems {
            diagnostics.append(
                .error(
                    at(template.itemsNode),
                    Self.m(
                        "模板展开后共 \(selected.count) 个支部 × \(perBranch) 个事项，超过上限 \(Self.maximumExpandedItems)；请拆分模板或名册",
                        "the template would expand to \(selected.count) branches × \(perBranch) items, over the limit of \(Self.maximumExpandedItems); split the template or the roster"
                    )
                )
            )
        }
        checkOverrides(selected: selected, &diagnostics)
        if selected.count * perBranch > Self.maximumExpandedItems {
            return Result(plans: [], diagnostics: diagnostics, selected: selected.count, incomplete: true)
        }
        // With an error so far the template loads nothing, but the branches are
        // still checked, so that one pass reports every problem.
        let templateFailed = diagnostics.hasErrors
        let overrides = Dictionary(template.overrides.map { ($0.branch, $0) }, uniquingKeysWith: { first, _ in first })

        var plans: [Plan] = []
        /// Roles a branch lacks, by where the template names them.
        var missing: [SourceLocation: (use: RoleUse, branches: [RosterBranch])] = [:]
        var missingOrder: [SourceLocation] = []
        var failed: Set<String> = []
        for branch in selected {
            let id = "\(template.id)-\(branch.id)"
            guard PlanReader.isIdentifier(id) else {
                diagnostics.append(
                    .error(
                        branch.location,
                        Self.m(
                            "计划 id“\(id)”（模板 id 加支部 id）超过 64 个字符；请缩短支部 id 或模板 id（模板 \(at(template.idNode))）",
                            "plan id '\(id)' (template id + branch id) is longer than 64 characters; shorten the branch id or the template id (template at \(at(template.idNode)))"
                        )
                    )
                )
                failed.insert(branch.id)
                continue
            }
            let change = overrides[branch.id]
            var drafts = template.items.filter { !(change?.exempt.contains($0.id) ?? false) }
                .map { change?.changed[$0.id] ?? $0 }
            drafts += change?.added ?? []
            let contacts = template.contacts.merging(branch.contacts) { _, fromRoster in fromRoster }

            var lacking = false
            var seen: Set<SourceLocation> = []
            for use in template.defaultsRoleUses + drafts.flatMap(\.roleUses) where contacts[use.role] == nil {
                let key = at(use.node)
                guard seen.insert(key).inserted else { continue }
                if missing[key] == nil { missingOrder.append(key) }
                missing[key, default: (use, [])].branches.append(branch)
                lacking = true
            }
            if lacking {
                failed.insert(branch.id)
                continue
            }
            let implicit = Set(template.contacts.keys).union(branch.ownRoles)
            let items = drafts.map {
                PlanReader.finish(
                    $0,
                    defaults: template.defaults,
                    contacts: contacts,
                    implicitRoles: implicit,
                    location: at($0.node)
                )
            }
            plans.append(
                Plan(
                    id: id,
                    title: title(for: branch),
                    owner: branch.name,
                    year: template.year,
                    contacts: contacts,
                    items: items,
                    file: file,
                    idLocation: branch.location,
                    units: branch.units,
                    origin: TemplateOrigin(
                        template: template.id,
                        branch: branch.id,
                        tags: branch.tags,
                        branchLocation: branch.location
                    )
                )
            )
        }

        for key in missingOrder {
            guard let (use, branches) = missing[key] else { continue }
            if branches.count == selected.count && selected.count > 1 {
                // Nobody has it: one message at the template, not one per branch.
                diagnostics.append(
                    .error(
                        key,
                        Self.m(
                            "名册 \(roster.location) 中适用的 \(selected.count) 个支部都没有角色“\(use.role)”；请在模板的 contacts 或名册中定义它",
                            "none of the \(selected.count) branches of the roster at \(roster.location) has role '\(use.role)'; define it in the template's contacts or in the roster"
                        )
                    )
                )
            } else {
                for branch in branches {
                    diagnostics.append(
                        .error(
                            branch.contactsLocation,
                            Self.m(
                                "支部“\(branch.name)”（\(branch.id)）的 contacts 中没有角色“\(use.role)”，而模板 \(key) 要通知它；本支部的计划未加载",
                                "branch '\(branch.name)' (\(branch.id)) has no role '\(use.role)' in its contacts, which the template at \(key) needs; this branch's plan is not loaded"
                            )
                        )
                    )
                }
            }
        }
        if templateFailed {
            return Result(plans: [], diagnostics: diagnostics, selected: selected.count, incomplete: true)
        }
        return Result(plans: plans, diagnostics: diagnostics, selected: selected.count, incomplete: !failed.isEmpty)
    }

    /// The branches `apply-to` names by tag, or all of them; a tag that no
    /// branch carries is an error, since it would silently choose nobody.
    private func chosenBranches(_ diagnostics: inout [Diagnostic]) -> [RosterBranch] {
        guard let applyTo = template.applyTo else { return roster.branches }
        let known = roster.tags
        let knownSet = Set(known)
        // Listed in full for a real roster's handful of tags, cut short for a hostile one's thousands.
        let listed = known.prefix(30) + (known.count > 30 ? ["…"] : [])
        for (tag, node) in applyTo where !knownSet.contains(tag) {
            let guess = PlanReader.closest(tag, known)
            diagnostics.append(
                .error(
                    at(node),
                    Self.m(
                        "名册 \(roster.location) 中没有支部带标签“\(tag)”\(guess.map { "（您是否想写“\($0)”？）" } ?? "")\(known.isEmpty ? "；名册中的支部都没有标签" : "；名册中的标签：" + listed.joined(separator: "、"))",
                        "no branch of the roster at \(roster.location) has tag '\(tag)'\(guess.map { " (did you mean '\($0)'?)" } ?? "")\(known.isEmpty ? "; the roster's branches have no tags" : "; its tags: " + listed.joined(separator: ", "))"
                    )
                )
            )
        }
        let wanted = Set(applyTo.map(\.tag))
        return roster.branches.filter { !wanted.isDisjoint(with: $0.tags) }
    }

    /// Every branch the template changes must be in the roster, and should
    /// be one the template applies to.
    private func checkOverrides(selected: [RosterBranch], _ diagnostics: inout [Diagnostic]) {
        let all = Dictionary(roster.branches.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let chosen = Set(selected.map(\.id))
        for o in template.overrides {
            if roster.brokenBranchIDs.contains(o.branch) { continue }
            if all[o.branch] == nil {
                let guess = PlanReader.closest(o.branch, roster.branches.map(\.id))
                diagnostics.append(
                    .error(
                        at(o.key),
                        Self.m(
                            "名册 \(roster.location) 中没有支部“\(o.branch)”\(guess.map { "（您是否想写“\($0)”？）" } ?? "")",
                            "the roster at \(roster.location) has no branch '\(o.branch)'\(guess.map { " (did you mean '\($0)'?)" } ?? "")"
                        )
                    )
                )
            } else if !chosen.contains(o.branch), let b = all[o.branch] {
                diagnostics.append(
                    .warning(
                        at(o.key),
                        Self.m(
                            "支部“\(b.name)”（名册 \(b.location)）不在本模板的 apply-to 范围内，这些调整不起作用",
                            "branch '\(b.name)' (roster at \(b.location)) is outside this template's apply-to, so these changes have no effect"
                        )
                    )
                )
            }
        }
    }

    private func title(for branch: RosterBranch) -> String {
        guard let pattern = template.title?.pattern else { return "\(branch.name) \(template.year) 年党建工作计划" }
        return
            pattern
            .replacing("{branch}", with: branch.name)
            .replacing("{unit}", with: branch.units.last ?? roster.name)
            .replacing("{year}", with: String(template.year))
    }
}
