import Diagnostics
import Vocabulary
import YAMLSource

/// Reads a template file: a plan whose owner is "every branch of a roster"
/// (or every branch with a tag), plus the few ways one branch differs. Roles
/// are recorded, not checked: each branch brings its own people, and the
/// expander checks them branch by branch.
extension PlanReader {
    static let templateKeys = [
        "template", "title", "year", "roster", "apply-to", "contacts", "defaults", "items", "branches",
    ]
    static let overrideKeys = ["exempt", "change", "add"]
    /// What a template's title may say about each branch.
    static let titlePlaceholders = ["branch", "unit", "year"]

    private static func m(_ zh: String, _ en: String) -> Message { Message(zh: zh, en: en) }

    mutating func template(_ root: YAMLNode) -> PlanTemplate? {
        // `id` and `owner` are accepted by the mapping only to be explained below:
        // a user who copies a plan into a template will write them.
        guard
            let top = reader.mapping(
                root,
                what: Self.m("模板文件", "a template file"),
                known: Self.templateKeys + ["id", "owner"]
            )
        else { return nil }
        if let pair = top["id"] {
            reader.error(
                pair.key,
                Self.m(
                    "模板不写 id：模板 id 写在 template: 中，每个支部的计划 id 是“模板 id-支部 id”",
                    "a template has no 'id': write the template's id under 'template:'; each branch's plan id is '<template id>-<branch id>'"
                )
            )
        }
        if let pair = top["owner"] {
            reader.error(
                pair.key,
                Self.m(
                    "模板不写 owner：每个支部的计划以名册中的支部名称为责任单位",
                    "a template has no 'owner': each branch's plan is owned by the branch, named in the roster"
                )
            )
        }
        for key in ["template", "year", "roster"] where top[key] == nil {
            reader.error(root, Self.m("模板缺少必填的键“\(key)”", "the template is missing required key '\(key)'"))
        }
        let id = top["template"].flatMap { identifier($0.value, what: Self.m("模板 id", "template id")) }
        let year = top["year"].flatMap { self.year($0.value) }
        let title = top["title"].flatMap { pair in
            reader.label(pair.value, what: Self.m("title（标题）", "'title'")).map { (pattern: $0, node: pair.value) }
        }
        if let title { checkPlaceholders(title.pattern, title.node) }
        let rosterReference = top["roster"].flatMap { pair -> (text: String, node: YAMLNode)? in
            guard let text = reader.singleLine(pair.value, what: Self.m("roster（名册文件）", "'roster'")) else { return nil }
            guard text.hasSuffix(".yaml") || text.hasSuffix(".yml") else {
                reader.error(
                    pair.value,
                    Self.m(
                        "roster 应当是名册文件的路径（相对于本模板所在目录），以 .yaml 或 .yml 结尾，例如 roster.yaml",
                        "'roster' must be the roster file's path (relative to this template's folder), ending in .yaml or .yml, e.g. roster.yaml"
                    )
                )
                return nil
            }
            return (text, pair.value)
        }
        let applyTo = top["apply-to"].flatMap { self.applyTo($0.value) } ?? nil
        let contacts = top["contacts"].map { self.contacts($0.value) } ?? [:]
        let usesBefore = roleUses.count
        let defaults = top["defaults"].map { noticeFields($0.value, contacts: contacts, inDefaults: true) }
        let defaultsRoleUses = Array(roleUses[usesBefore...])

        var items: [ItemDraft] = []
        var itemMaps: [String: [String: YAMLNode.Pair]] = [:]
        var itemsNode = root
        var brokenItems: Set<String> = []
        if let pair = top["items"] {
            itemsNode = pair.key
            if let list = pair.value.isNull
                ? [] : reader.list(pair.value, what: Self.m("items（工作事项）", "'items'"), allowScalar: false)
            {
                if list.isEmpty {
                    reader.warning(pair.key, Self.m("模板中没有任何工作事项", "the template has no items"))
                }
                var firstByID: [String: YAMLNode] = [:]
                for node in list {
                    guard let draft = itemDraft(node, year: year, contacts: contacts) else {
                        // Its own error is reported; overrides naming it say nothing more.
                        if let id = Self.pairs(node)["id"]?.value.scalar { brokenItems.insert(id) }
                        continue
                    }
                    if let first = firstByID[draft.id] {
                        reader.error(
                            draft.idNode,
                            Self.m(
                                "事项 id“\(draft.id)”重复（第一次出现在第 \(first.line) 行第 \(first.column) 列）",
                                "duplicate item id '\(draft.id)' (first used at line \(first.line), column \(first.column))"
                            )
                        )
                        continue
                    }
                    firstByID[draft.id] = draft.idNode
                    items.append(draft)
                    itemMaps[draft.id] = Self.pairs(node)
                }
            }
        } else {
            reader.warning(root, Self.m("模板中没有 items（工作事项）", "the template has no 'items'"))
        }

        var overrides: [PlanTemplate.BranchOverride] = []
        if let pair = top["branches"], !pair.value.isNull {
            if case .mapping(let entries) = pair.value.kind {
                for entry in entries {
                    if let o = branchOverride(
                        entry,
                        items: items,
                        brokenItems: brokenItems,
                        itemMaps: itemMaps,
                        year: year,
                        contacts: contacts
                    ) {
                        overrides.append(o)
                    }
                }
            } else {
                reader.error(
                    pair.value,
                    Self.m(
                        "branches 应当是“支部 id: 调整”的映射，例如 surgery-2: {exempt: [dues]}",
                        "'branches' must map branch ids to their changes, e.g. surgery-2: {exempt: [dues]}"
                    )
                )
            }
        }
        // Returned even with errors, so that the roster-dependent checks
        // still run and one pass reports every problem; the catalog loads
        // no plan from a template with an error.
        guard let id, let year, let rosterReference else { return nil }
        return PlanTemplate(
            id: id,
            idNode: top["template"]!.value,
            title: title,
            year: year,
            rosterReference: rosterReference,
            applyTo: applyTo,
            contacts: contacts,
            defaults: defaults,
            defaultsRoleUses: defaultsRoleUses,
            items: items,
            itemsNode: itemsNode,
            overrides: overrides,
            root: root
        )
    }

    /// `all`, or the tags a branch needs one of. Nil (as the outer value) on error.
    private mutating func applyTo(_ node: YAMLNode) -> [(tag: String, node: YAMLNode)]?? {
        if node.scalar == "all" { return .some(nil) }
        guard let list = reader.list(node, what: Self.m("apply-to（适用范围）", "'apply-to'")) else { return nil }
        if list.isEmpty {
            reader.error(
                node,
                Self.m(
                    "apply-to 为空；写 all（全部支部）或标签列表，如 [临床, 机关]",
                    "'apply-to' is empty; write all (every branch) or a list of tags, e.g. [临床, 机关]"
                )
            )
            return nil
        }
        var tags: [(tag: String, node: YAMLNode)] = []
        for n in list {
            if let t = reader.singleLine(n, what: Self.m("标签", "a tag")) { tags.append((t, n)) }
        }
        return .some(tags)
    }

    private mutating func checkPlaceholders(_ pattern: String, _ node: YAMLNode) {
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else { return }
            let name = String(after[..<close])
            if !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic }),
                !Self.titlePlaceholders.contains(name)
            {
                reader.error(
                    node,
                    Self.m(
                        "标题中的占位符“{\(name)}”无法识别\(suggest(name, Self.titlePlaceholders))；可用 {branch}（支部名称）、{unit}（上级单位）、{year}（年度）",
                        "unknown placeholder '{\(name)}' in the title\(suggestEN(name, Self.titlePlaceholders)); use {branch}, {unit} or {year}"
                    )
                )
            }
            rest = after[after.index(after: close)...]
        }
    }

    /// The keys of a mapping node, as an item's reader wants them.
    static func pairs(_ node: YAMLNode) -> [String: YAMLNode.Pair] {
        guard case .mapping(let pairs) = node.kind else { return [:] }
        var map: [String: YAMLNode.Pair] = [:]
        for pair in pairs { if let k = pair.key.scalar { map[k] = pair } }
        return map
    }

    /// `change`'s keys laid over the template item's: a different schedule
    /// kind replaces the old one with all its companions (`date:` drops
    /// `every` and `due`); the same kind or a companion alone (`every:
    /// quarter`, `due: 20`) replaces just the keys it writes.
    static func overlay(_ base: [String: YAMLNode.Pair], _ change: [String: YAMLNode.Pair]) -> [String: YAMLNode.Pair] {
        let family = Set(PlanParser.scheduleKeys + PlanParser.companion.values)
        let baseKinds = Set(base.keys.filter { PlanParser.scheduleKeys.contains($0) })
        let newKinds = Set(change.keys.filter { PlanParser.scheduleKeys.contains($0) })
        let newKind = !newKinds.isEmpty && newKinds != baseKinds
        var merged = base.filter { key, _ in !(newKind && family.contains(key)) }
        for (key, pair) in change { merged[key] = pair }
        return merged
    }

    private mutating func knownItem(
        _ id: String,
        _ node: YAMLNode,
        _ itemIDs: [String],
        _ known: Set<String>,
        _ broken: Set<String>
    ) -> Bool {
        if known.contains(id) { return true }
        if broken.contains(id) { return false }
        // The list helps with a typo among a plan's dozen items; a hostile file's thousands stay out of every message.
        let listed = itemIDs.prefix(30) + (itemIDs.count > 30 ? ["…"] : [])
        let guess = Self.closest(id, itemIDs)
        reader.error(
            node,
            Self.m(
                "模板中没有事项“\(id)”\(guess.map { "（您是否想写“\($0)”？）" } ?? "")；模板的事项：\(listed.joined(separator: "、"))",
                "the template has no item '\(id)'\(guess.map { " (did you mean '\($0)'?)" } ?? ""); its items: \(listed.joined(separator: ", "))"
            )
        )
        return false
    }

    private mutating func branchOverride(
        _ entry: YAMLNode.Pair,
        items: [ItemDraft],
        brokenItems: Set<String>,
        itemMaps: [String: [String: YAMLNode.Pair]],
        year: Int?,
        contacts: [String: [Address]]
    ) -> PlanTemplate.BranchOverride? {
        guard let branch = identifier(entry.key, what: Self.m("支部 id", "branch id")) else { return nil }
        guard
            let map = reader.mapping(
                entry.value,
                what: Self.m("支部“\(branch)”的调整", "the changes for branch '\(branch)'"),
                known: Self.overrideKeys
            )
        else { return nil }
        let itemIDs = items.map(\.id)
        let known = Set(itemIDs)
        let byID = Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var result = PlanTemplate.BranchOverride(branch: branch, key: entry.key, exempt: [], changed: [:], added: [])

        if let pair = map["exempt"], !pair.value.isNull,
            let list = reader.list(pair.value, what: Self.m("exempt（免做事项）", "'exempt'"))
        {
            for n in list {
                guard let id = reader.string(n, what: Self.m("事项 id", "an item id")),
                    knownItem(id, n, itemIDs, known, brokenItems)
                else { continue }
                result.exempt.insert(id)
            }
        }
        if let pair = map["change"], !pair.value.isNull {
            if case .mapping(let entries) = pair.value.kind {
                for change in entries {
                    guard let id = reader.string(change.key, what: Self.m("事项 id", "an item id")),
                        knownItem(id, change.key, itemIDs, known, brokenItems)
                    else { continue }
                    if result.exempt.contains(id) {
                        reader.error(
                            change.key,
                            Self.m(
                                "事项“\(id)”已在 exempt 中免做，不能同时修改",
                                "item '\(id)' is exempt for this branch; it cannot also be changed"
                            )
                        )
                        continue
                    }
                    let allowed = PlanParser.itemKeys.filter { $0 != "id" }
                    guard
                        let changeMap = reader.mapping(
                            change.value,
                            what: Self.m("对事项“\(id)”的修改", "the change to item '\(id)'"),
                            known: allowed + ["id"]
                        )
                    else { continue }
                    if let idPair = changeMap["id"] {
                        reader.error(
                            idPair.key,
                            Self.m(
                                "不能修改事项 id；要换成别的事项，请用 exempt 加 add",
                                "an item's id cannot be changed; use exempt and add to replace it"
                            )
                        )
                        continue
                    }
                    guard let base = itemMaps[id], let draft = byID[id] else { continue }
                    if let changed = itemDraft(
                        draft.node,
                        Self.overlay(base, changeMap),
                        year: year,
                        contacts: contacts
                    ) {
                        result.changed[id] = changed
                    }
                }
            } else {
                reader.error(
                    pair.value,
                    Self.m(
                        "change 应当是“事项 id: {要改的键}”的映射，例如 committee: {due: 20}",
                        "'change' must map item ids to the keys to change, e.g. committee: {due: 20}"
                    )
                )
            }
        }
        if let pair = map["add"], !pair.value.isNull,
            let list = reader.list(pair.value, what: Self.m("add（增加的事项）", "'add'"), allowScalar: false)
        {
            for node in list {
                guard let draft = itemDraft(node, year: year, contacts: contacts) else { continue }
                if let clash = byID[draft.id] ?? result.added.first(where: { $0.id == draft.id }) {
                    reader.error(
                        draft.idNode,
                        Self.m(
                            "事项 id“\(draft.id)”已在第 \(clash.idNode.line) 行第 \(clash.idNode.column) 列使用；要改模板中的事项请用 change",
                            "item id '\(draft.id)' is already used at line \(clash.idNode.line), column \(clash.idNode.column); to alter a template item use 'change'"
                        )
                    )
                    continue
                }
                result.added.append(draft)
            }
        }
        return result
    }
}
