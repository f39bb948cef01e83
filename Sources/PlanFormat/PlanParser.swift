import Diagnostics
import Vocabulary
import WorkCalendar
import YAMLSource

/// Turns a plan file's bytes into a `Plan`, reporting every problem it finds
/// with the position of the offending key or value. Pure: the caller reads
/// the file and says which years have an official holiday list.
public struct PlanParser: Sendable {
    public let officialYears: Set<Int>

    public init(officialYears: Set<Int>) { self.officialYears = officialYears }

    public struct Result: Sendable {
        /// Nil when there is any error: a plan is used whole or not at all.
        public var plan: Plan?
        public var diagnostics: [Diagnostic]
    }

    /// `units` is an extension (docs/templates.md): the organisation path above the owner.
    static let planKeys = ["id", "title", "owner", "year", "units", "contacts", "defaults", "items"]
    static let noticeKeys = ["shift", "remind", "notify", "escalate", "overdue-repeat"]
    static let scheduleKeys = ["every", "before", "date", "times"]
    static let itemKeys =
        ["id", "title", "note", "every", "due", "before", "workdays", "date", "times", "within"] + noticeKeys
    /// Which companion key each schedule needs, and which it forbids.
    static let companion: [String: String] = ["every": "due", "before": "workdays", "times": "within"]

    /// Reads a plain plan. Templates and rosters are read by `PlanCatalog`,
    /// which sees the files they refer to.
    public func parse(_ bytes: [UInt8], file: String) -> Result {
        let root: YAMLNode
        switch YAMLDocument.parse(bytes, file: file) {
        case .failure(let d): return Result(plan: nil, diagnostics: [d])
        case .success(nil):
            return Result(
                plan: nil,
                diagnostics: [
                    .error(
                        SourceLocation(file: file, line: 1, column: 1),
                        Message(
                            zh: "计划文件是空的；至少需要 id、owner、year 和 items",
                            en: "the plan file is empty; it needs at least id, owner, year and items"
                        )
                    )
                ]
            )
        case .success(let node?): root = node
        }
        return parse(root: root, file: file)
    }

    func parse(root: YAMLNode, file: String) -> Result {
        var reader = PlanReader(reader: NodeReader(file: file), officialYears: officialYears)
        let plan = reader.plan(root)
        let diagnostics = reader.reader.diagnostics.sorted { $0.location < $1.location }
        return Result(plan: diagnostics.hasErrors ? nil : plan, diagnostics: diagnostics)
    }
}

extension PlanParser {
    /// What a file in a plans folder turned out to be, recognised by its
    /// top-level keys: `template:` makes a template, `branches:` or `units:`
    /// (without `id` or `items`) a roster, anything else a plan.
    enum ParsedFile: Sendable {
        case plan(Result)
        case roster(Roster?, [Diagnostic])
        case template(PlanTemplate?, [Diagnostic])

        var diagnostics: [Diagnostic] {
            switch self {
            case .plan(let r): r.diagnostics
            case .roster(_, let d), .template(_, let d): d
            }
        }
    }

    enum FileKind { case plan, roster, template }

    static func kind(of root: YAMLNode) -> FileKind {
        guard case .mapping(let pairs) = root.kind else { return .plan }
        let keys = Set(pairs.compactMap(\.key.scalar))
        if keys.contains("template") { return .template }
        if !keys.isDisjoint(with: ["branches", "units"]) && keys.isDisjoint(with: ["id", "items"]) { return .roster }
        return .plan
    }

    func parseFile(_ bytes: [UInt8], file: String) -> ParsedFile {
        let node: YAMLNode
        switch YAMLDocument.parse(bytes, file: file) {
        case .failure(let d): return .plan(Result(plan: nil, diagnostics: [d]))
        case .success(nil): return .plan(parse(bytes, file: file))
        case .success(let root?): node = root
        }
        switch Self.kind(of: node) {
        case .plan:
            return .plan(parse(root: node, file: file))
        case .roster:
            var reader = PlanReader(reader: NodeReader(file: file), officialYears: officialYears)
            let roster = reader.roster(node)
            return .roster(roster, reader.reader.diagnostics.sorted { $0.location < $1.location })
        case .template:
            var reader = PlanReader(reader: NodeReader(file: file), officialYears: officialYears, deferRoles: true)
            let template = reader.template(node)
            let diagnostics = reader.reader.diagnostics.sorted { $0.location < $1.location }.uniqued()
            return .template(template, diagnostics)
        }
    }
}

extension Array where Element == Diagnostic {
    /// Drops repeats: a template item re-read under a branch's `change`
    /// would otherwise warn twice about the same line.
    func uniqued() -> [Diagnostic] {
        var seen: Set<Diagnostic> = []
        return filter { seen.insert($0).inserted }
    }
}

/// A role named in `notify` or `escalate.to`, kept with its node so that a
/// branch lacking it can be told where the template asks for it.
struct RoleUse {
    var role: String
    var node: YAMLNode
}

/// The walk itself; `NodeReader` collects diagnostics as it goes.
struct PlanReader {
    var reader: NodeReader
    let officialYears: Set<Int>
    /// In a template the people behind each role come from the roster, one
    /// branch at a time: roles are then recorded in `roleUses` and checked
    /// per branch instead of against the file's own `contacts`.
    var deferRoles = false
    var roleUses: [RoleUse] = []

    init(reader: NodeReader, officialYears: Set<Int>, deferRoles: Bool = false) {
        self.reader = reader
        self.officialYears = officialYears
        self.deferRoles = deferRoles
    }

    private static func m(_ zh: String, _ en: String) -> Message { Message(zh: zh, en: en) }

    mutating func plan(_ root: YAMLNode) -> Plan? {
        guard let top = reader.mapping(root, what: Self.m("计划文件", "a plan file"), known: PlanParser.planKeys) else {
            return nil
        }
        for key in ["id", "owner", "year"] where top[key] == nil {
            reader.error(root, Self.m("缺少必填的键“\(key)”", "missing required key '\(key)'"))
        }
        let id = top["id"].flatMap { identifier($0.value, what: Self.m("计划 id", "plan id")) }
        let owner = top["owner"].flatMap { reader.label($0.value, what: Self.m("owner（责任单位）", "'owner'")) }
        let year = top["year"].flatMap { self.year($0.value) }
        let title = top["title"].flatMap { reader.label($0.value, what: Self.m("title（标题）", "'title'")) }
        let contacts = top["contacts"].map { self.contacts($0.value) } ?? [:]
        let defaults = top["defaults"].map { noticeFields($0.value, contacts: contacts, inDefaults: true) }

        var items: [Item] = []
        var seenItems: [String: YAMLNode] = [:]
        if let pair = top["items"] {
            if let list = pair.value.isNull
                ? [] : reader.list(pair.value, what: Self.m("items（工作事项）", "'items'"), allowScalar: false)
            {
                if list.isEmpty {
                    reader.warning(pair.key, Self.m("计划中没有任何工作事项", "the plan has no items"))
                }
                for node in list {
                    guard let item = item(node, year: year, contacts: contacts, defaults: defaults) else { continue }
                    if let first = seenItems[item.id.value] {
                        reader.error(
                            item.id.node,
                            Self.m(
                                "事项 id“\(item.id.value)”重复（第一次出现在第 \(first.line) 行第 \(first.column) 列）",
                                "duplicate item id '\(item.id.value)' (first used at line \(first.line), column \(first.column))"
                            )
                        )
                    } else {
                        seenItems[item.id.value] = item.id.node
                    }
                    items.append(item.item)
                }
            }
        } else {
            reader.warning(root, Self.m("计划中没有 items（工作事项）", "the plan has no 'items'"))
        }
        let units = top["units"].map { self.units($0.value) } ?? []
        guard let id, let owner, let year else { return nil }
        return Plan(
            id: id,
            title: title ?? "\(owner) \(year) 年工作计划",
            owner: owner,
            year: year,
            contacts: contacts,
            items: items,
            file: reader.file,
            idLocation: reader.location(top["id"]!.value),
            units: units
        )
    }

    /// The plan's year, with a warning when it has no official holiday list.
    mutating func year(_ node: YAMLNode) -> Int? {
        guard let y = reader.integer(node, what: Self.m("year（年份）", "'year'"), range: 2000...2099) else { return nil }
        if !officialYears.contains(y) {
            reader.warning(
                node,
                Self.m(
                    "\(y) 年还没有官方节假日安排；到期日暂按周末和法定节日计算。国务院公布后，请把 \(y) 年的节假日文件放进 holidays 目录",
                    "no official holiday list for \(y); due dates use weekends and the statutory festival days only until a \(y) holiday file is added to the holidays folder"
                )
            )
        }
        return y
    }

    /// `units: [某市卫生健康委员会, 某市第一人民医院党委]`: who the owner answers to,
    /// top down, as a roster gives it to template plans; so a committee's own
    /// hand-written plan sits in the same hierarchy in supervisors' reports.
    mutating func units(_ node: YAMLNode) -> [String] {
        guard let list = reader.list(node, what: Self.m("units（上级单位）", "'units'")) else { return [] }
        return list.compactMap { reader.singleLine($0, what: Self.m("单位名称", "a unit name")) }
    }

    // MARK: Identifiers and contacts

    mutating func identifier(_ node: YAMLNode, what: Message) -> String? {
        guard let s = reader.string(node, what: what) else { return nil }
        if Self.isIdentifier(s) { return s }
        reader.error(
            node,
            Self.m(
                "\(what.zh)“\(s)”不合规：只能用小写字母、数字和连字符（-），以字母或数字开头，最长 64 个字符",
                "\(what.en) '\(s)' is not valid: use lowercase letters, digits and '-', starting with a letter or digit, at most 64 characters"
            )
        )
        return nil
    }

    static func isIdentifier(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard !u.isEmpty, u.count <= 64 else { return false }
        func ok(_ c: UInt8, first: Bool) -> Bool {
            (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (!first && c == 45)
        }
        return ok(u[0], first: true) && u.dropFirst().allSatisfy { ok($0, first: false) }
    }

    mutating func contacts(_ node: YAMLNode) -> [String: [Address]] {
        guard case .mapping(let pairs) = node.kind else {
            reader.error(
                node,
                Self.m("contacts 应当是“角色: 联系人”的映射", "'contacts' must map roles to people (role: Name <address>)")
            )
            return [:]
        }
        var result: [String: [Address]] = [:]
        for pair in pairs {
            guard let role = reader.singleLine(pair.key, what: Self.m("角色名", "a role name")) else { continue }
            guard let list = reader.list(pair.value, what: Self.m("联系人", "contacts of '\(role)'")) else { continue }
            var people: [Address] = []
            for entry in list {
                if let c = contact(entry) { people.append(c) }
            }
            if list.isEmpty {
                reader.error(pair.value, Self.m("角色“\(role)”没有联系人", "role '\(role)' lists nobody"))
            }
            result[role] = people
        }
        return result
    }

    mutating func contact(_ node: YAMLNode) -> Address? {
        guard let text = reader.singleLine(node, what: Self.m("联系人", "a contact")) else { return nil }
        if let c = Self.parseContact(text) { return c }
        reader.error(
            node,
            Self.m(
                "联系人“\(text)”格式不对；应写作 姓名 <用户@主机>，例如 王五 <wangwu@hospital.example>",
                "contact '\(text)' is not 'Name <user@host>', e.g. 王五 <wangwu@hospital.example>"
            )
        )
        return nil
    }

    /// `Name <user@host>` with a non-empty name and a plain ASCII address
    /// (the one parser, `Address.parse`).
    static func parseContact(_ text: String) -> Address? {
        Address.parse(text, requireName: true)
    }

    // MARK: Notice fields (items and defaults)

    struct NoticeFields {
        var shift: Shift?
        var remind: [Offset]?
        var notify: [String]?
        var escalate: Escalation??
        var overdueRepeat: Offset?
    }

    mutating func noticeFields(_ node: YAMLNode, contacts: [String: [Address]], inDefaults: Bool) -> NoticeFields {
        guard let map = reader.mapping(node, what: Self.m("defaults（默认设置）", "'defaults'"), known: PlanParser.noticeKeys)
        else {
            return NoticeFields()
        }
        return noticeFields(map, contacts: contacts)
    }

    mutating func noticeFields(_ map: [String: YAMLNode.Pair], contacts: [String: [Address]]) -> NoticeFields {
        var f = NoticeFields()
        if let pair = map["shift"], let s = reader.string(pair.value, what: Self.m("shift", "'shift'")) {
            if let shift = Shift(rawValue: s) {
                f.shift = shift
            } else {
                reader.error(
                    pair.value,
                    Self.m(
                        "未知的 shift 取值“\(s)”\(suggest(s, Shift.allCases.map(\.rawValue)))；可用 earlier（提前到前一个工作日）、later（推后到下一个工作日）、none（不调整）",
                        "unknown shift '\(s)'\(suggestEN(s, Shift.allCases.map(\.rawValue))); use earlier, later or none"
                    )
                )
            }
        }
        if let pair = map["remind"] {
            let list = pair.value.isNull ? [] : (reader.list(pair.value, what: Self.m("remind（提醒）", "'remind'")) ?? [])
            var offsets: [Offset] = []
            for node in list {
                if let o = offset(node, what: Self.m("提醒时间", "a reminder offset"), minimum: 1) { offsets.append(o) }
            }
            f.remind = offsets
        }
        if let pair = map["notify"] {
            let list =
                pair.value.isNull ? [] : (reader.list(pair.value, what: Self.m("notify（通知对象）", "'notify'")) ?? [])
            f.notify = roles(list, contacts: contacts)
        }
        if let pair = map["escalate"] {
            if pair.value.isNull {
                f.escalate = .some(nil)
            } else if let e = reader.mapping(
                pair.value,
                what: Self.m("escalate（督办升级）", "'escalate'"),
                known: ["after", "to"]
            ) {
                var after = e["after"].flatMap {
                    offset($0.value, what: Self.m("escalate.after", "'escalate.after'"), minimum: 0)
                }
                // `after: Nwd` is the Nth working day after the due date, N ≥ 1:
                // an escalation on the due date itself would tell the office
                // about work that may still be done that day. `0wd` (`0d`) is
                // taken as the first, and said so.
                if let zero = after, zero.count == 0, let node = e["after"]?.value {
                    after = Offset(1, zero.unit)
                    reader.warning(
                        node,
                        Self.m(
                            "escalate.after: \(zero) 按到期日后的第 1 个工作日计（到期当天不升级）；请写 1\(zero.unit.rawValue)",
                            "escalate.after: \(zero) is taken as the first working day after the due date (never the due date itself); write 1\(zero.unit.rawValue)"
                        )
                    )
                }
                let toList = e["to"].flatMap { reader.list($0.value, what: Self.m("escalate.to", "'escalate.to'")) }
                let to = toList.map { roles($0, contacts: contacts) }
                if e["after"] == nil {
                    reader.error(
                        pair.value,
                        Self.m(
                            "escalate 缺少 after（逾期多久后升级，如 3wd）",
                            "'escalate' needs 'after' (how far overdue, e.g. 3wd)"
                        )
                    )
                }
                if e["to"] == nil {
                    reader.error(
                        pair.value,
                        Self.m("escalate 缺少 to（升级给哪些角色）", "'escalate' needs 'to' (the roles to tell)")
                    )
                }
                if let after, let to { f.escalate = .some(Escalation(after: after, to: to)) }
            }
        }
        if let pair = map["overdue-repeat"],
            let o = offset(pair.value, what: Self.m("overdue-repeat", "'overdue-repeat'"), minimum: 1)
        {
            f.overdueRepeat = o
        }
        return f
    }

    mutating func roles(_ nodes: [YAMLNode], contacts: [String: [Address]]) -> [String] {
        var result: [String] = []
        for node in nodes {
            guard let role = reader.string(node, what: Self.m("角色", "a role")) else { continue }
            if deferRoles {
                roleUses.append(RoleUse(role: role, node: node))
                result.append(role)
                continue
            }
            if contacts[role] == nil {
                // A real plan has a handful of roles: list them (sorted, so the hint is
                // stable). A file with thousands is not helped by the list, and
                // sorting it per mistake would be quadratic.
                let few = contacts.count <= 30
                let known = few ? contacts.keys.sorted() : []
                let guess = few ? Self.closest(role, known) : Self.closest(role, contacts.keys)
                let guessZH = guess.map { "（您是否想写“\($0)”？）" } ?? ""
                let guessEN = guess.map { " (did you mean '\($0)'?)" } ?? ""
                let hintZH =
                    contacts.isEmpty
                    ? "；请先在 contacts 中定义"
                    : few ? "；已定义：" + known.joined(separator: "、") : "（contacts 中共 \(contacts.count) 个角色）"
                let hintEN =
                    contacts.isEmpty
                    ? "; define it under contacts"
                    : few
                        ? "; known roles: " + known.joined(separator: ", ") : " (contacts has \(contacts.count) roles)"
                reader.error(
                    node,
                    Self.m(
                        "contacts 中没有角色“\(role)”\(guessZH)\(hintZH)",
                        "role '\(role)' is not in contacts\(guessEN)\(hintEN)"
                    )
                )
                continue
            }
            result.append(role)
        }
        return result
    }

    mutating func offset(_ node: YAMLNode, what: Message, minimum: Int) -> Offset? {
        guard let s = reader.string(node, what: what) else { return nil }
        if let o = Offset(parsing: s), o.count >= minimum, o.count <= 366 {
            return o
        }
        reader.error(
            node,
            Self.m(
                "\(what.zh)“\(s)”无法识别；应写作天数加 d（自然日，如 7d）或 wd（工作日，如 3wd）\(minimum > 0 ? "，且至少为 1" : "")",
                "\(what.en) '\(s)' is not valid; write a number of days with d (calendar days, e.g. 7d) or wd (working days, e.g. 3wd)\(minimum > 0 ? ", at least 1" : "")"
            )
        )
        return nil
    }

    func suggest(_ word: String, _ candidates: some Collection<String>) -> String {
        Self.closest(word, candidates).map { "（您是否想写“\($0)”？）" } ?? ""
    }

    func suggestEN(_ word: String, _ candidates: some Collection<String>) -> String {
        Self.closest(word, candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }

    /// "Did you mean" among the candidates of plausible length only, and
    /// among a bounded number of them: a file naming thousands of unknown
    /// roles among thousands of known ones must not cost a quadratic number
    /// of edit distances (a 1 MiB file could otherwise take minutes).
    static func closest(_ word: String, _ candidates: some Collection<String>) -> String? {
        let n = word.unicodeScalars.count
        let near = candidates.lazy.filter { abs($0.unicodeScalars.count - n) <= 3 }.prefix(40)
        return Suggestion.closest(to: word, among: Array(near))
    }
}

import Foundation
