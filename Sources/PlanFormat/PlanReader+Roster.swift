import Diagnostics
import Vocabulary
import YAMLSource

/// Reads a roster file: the organisation's `name`, the `contacts` every branch
/// below shares, and either `branches` directly or nested `units` (hospitals
/// under a commission, 总支 under a committee) that hold branches. A branch
/// whose entry is wrong is left out with an error; the others stay usable.
extension PlanReader {
    static let rosterKeys = ["name", "contacts", "units", "branches"]
    static let branchKeys = ["id", "name", "tags", "contacts"]
    /// Commission → hospital → 总支 → branch is three levels; eight is far
    /// beyond any real organisation and keeps a hostile file from recursing.
    static let maximumUnitDepth = 8

    private static func m(_ zh: String, _ en: String) -> Message { Message(zh: zh, en: en) }

    /// What the walk over the unit tree gathers.
    struct RosterWalk {
        var branches: [RosterBranch] = []
        var seen: [String: YAMLNode] = [:]
        var broken: Set<String> = []
    }

    mutating func roster(_ root: YAMLNode) -> Roster? {
        guard let top = reader.mapping(root, what: Self.m("名册文件", "a roster file"), known: Self.rosterKeys) else {
            return nil
        }
        var walk = RosterWalk()
        guard let name = unit(root, top, path: [], inherited: [:], poisoned: false, depth: 0, walk: &walk) else {
            return nil
        }
        // Only when nothing else is wrong: beside an error (units nested too
        // deep) "no branches" would point at the wrong problem.
        if walk.branches.isEmpty && walk.broken.isEmpty && !reader.diagnostics.hasErrors {
            reader.warning(root, Self.m("名册中没有任何支部", "the roster lists no branches"))
        }
        let anchor = top["branches"]?.key ?? top["units"]?.key ?? root
        return Roster(
            file: reader.file,
            name: name,
            branches: walk.branches,
            location: reader.location(anchor),
            brokenBranchIDs: walk.broken
        )
    }

    /// One unit (the roster itself at depth 0): its name, shared contacts,
    /// sub-units and branches. Returns the unit's name when it is valid.
    private mutating func unit(
        _ node: YAMLNode,
        _ map: [String: YAMLNode.Pair],
        path: [String],
        inherited: [String: [Address]],
        poisoned: Bool,
        depth: Int,
        walk: inout RosterWalk
    ) -> String? {
        let before = reader.diagnostics.count
        var name: String?
        if let pair = map["name"] {
            name = reader.label(pair.value, what: Self.m("name（单位名称）", "'name'"))
        } else {
            reader.error(
                node,
                depth == 0
                    ? Self.m(
                        "名册缺少 name（本名册所属单位，如 某市第一人民医院党委）",
                        "the roster needs 'name' (the organisation it lists, e.g. 某市第一人民医院党委)"
                    )
                    : Self.m("单位缺少 name（单位名称，如 某市第一人民医院党委）", "the unit needs 'name' (e.g. 某市第一人民医院党委)")
            )
        }
        let own = map["contacts"].map { contacts($0.value) } ?? [:]
        let shared = inherited.merging(own) { _, mine in mine }
        // Branches under a unit whose own lines are wrong would get a wrong
        // path or wrong people: they are reported and left out with it.
        let broken = poisoned || Array(reader.diagnostics[before...]).hasErrors
        let here = path + [name ?? ""]

        if let pair = map["units"] {
            // The roster is depth 0; its `units` are level 1, and level
            // `maximumUnitDepth` is the deepest allowed.
            if depth + 1 > Self.maximumUnitDepth {
                reader.error(
                    pair.key,
                    Self.m(
                        "units 嵌套过深：名册之下最多 \(Self.maximumUnitDepth) 层下级单位",
                        "units nest too deep: at most \(Self.maximumUnitDepth) levels of units below the roster"
                    )
                )
            } else if let list = pair.value.isNull
                ? [] : reader.list(pair.value, what: Self.m("units（下级单位）", "'units'"), allowScalar: false)
            {
                for sub in list {
                    guard let subMap = reader.mapping(sub, what: Self.m("下级单位", "a unit"), known: Self.rosterKeys)
                    else { continue }
                    _ = unit(
                        sub,
                        subMap,
                        path: here,
                        inherited: shared,
                        poisoned: broken,
                        depth: depth + 1,
                        walk: &walk
                    )
                }
            }
        }
        if let pair = map["branches"] {
            if let list = pair.value.isNull
                ? [] : reader.list(pair.value, what: Self.m("branches（支部）", "'branches'"), allowScalar: false)
            {
                for entry in list {
                    branch(entry, units: here, inherited: shared, poisoned: broken, walk: &walk)
                }
            }
        }
        if map["units"] == nil && map["branches"] == nil && depth > 0 {
            reader.error(
                node,
                Self.m(
                    "单位“\(name ?? "")”下既没有 branches（支部）也没有 units（下级单位）",
                    "unit '\(name ?? "")' has neither 'branches' nor 'units'"
                )
            )
        }
        return broken ? nil : name
    }

    private mutating func branch(
        _ node: YAMLNode,
        units: [String],
        inherited: [String: [Address]],
        poisoned: Bool,
        walk: inout RosterWalk
    ) {
        guard let map = reader.mapping(node, what: Self.m("支部", "a branch"), known: Self.branchKeys) else { return }
        let before = reader.diagnostics.count
        var id: String?
        if let pair = map["id"] {
            id = identifier(pair.value, what: Self.m("支部 id", "branch id"))
            if let id {
                if let first = walk.seen[id] {
                    reader.error(
                        pair.value,
                        Self.m(
                            "支部 id“\(id)”重复（第一次出现在第 \(first.line) 行第 \(first.column) 列）",
                            "duplicate branch id '\(id)' (first used at line \(first.line), column \(first.column))"
                        )
                    )
                } else {
                    walk.seen[id] = pair.value
                }
            }
        } else {
            reader.error(node, Self.m("支部缺少必填的键“id”", "the branch is missing required key 'id'"))
        }
        var name: String?
        if let pair = map["name"] {
            name = reader.label(pair.value, what: Self.m("name（支部名称）", "'name'"))
        } else {
            reader.error(
                node,
                Self.m("支部缺少必填的键“name”（支部名称，如 外科第二党支部）", "the branch is missing required key 'name' (e.g. 外科第二党支部)")
            )
        }
        var tags: [String] = []
        if let pair = map["tags"], !pair.value.isNull,
            let list = reader.list(pair.value, what: Self.m("tags（标签）", "'tags'"))
        {
            for t in list {
                if let tag = reader.singleLine(t, what: Self.m("标签", "a tag")), !tags.contains(tag) { tags.append(tag) }
            }
        }
        let own = map["contacts"].map { contacts($0.value) } ?? [:]
        let failed = poisoned || Array(reader.diagnostics[before...]).hasErrors
        guard !failed, let id, let name else {
            if let id { walk.broken.insert(id) }
            return
        }
        walk.branches.append(
            RosterBranch(
                id: id,
                name: name,
                tags: tags,
                units: units,
                contacts: inherited.merging(own) { _, mine in mine },
                ownRoles: Set(own.keys),
                location: reader.location(map["id"]?.value ?? node),
                contactsLocation: reader.location(map["contacts"]?.key ?? node)
            )
        )
    }
}
