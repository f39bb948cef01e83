import Diagnostics
import Vocabulary
import YAMLSource

/// Someone plankeeper reaches: the unit that receives. Each of their
/// addresses is a way to reach them: mail, 企业微信, 钉钉, a mobile number
/// to @ them in a group.
public struct Person: Sendable, Hashable {
    /// `wangwu`: what plans write as `@wangwu`.
    public var id: String
    public var name: String
    public var email: String?
    /// Their user id in 企业微信 (the app sends to it).
    public var wecom: String?
    /// Their user id in 钉钉.
    public var dingtalk: String?
    /// Their mobile number, to @ them in a group robot's message.
    public var mobile: String?
    /// Where the entry is written.
    public var location: SourceLocation

    public init(
        id: String,
        name: String,
        email: String? = nil,
        wecom: String? = nil,
        dingtalk: String? = nil,
        mobile: String? = nil,
        location: SourceLocation
    ) {
        self.id = id
        self.name = name
        self.email = email
        self.wecom = wecom
        self.dingtalk = dingtalk
        self.mobile = mobile
        self.location = location
    }

    /// The value of a directory field by its key (`wecom`, `dingtalk`,
    /// `mobile`, `email`): how a channel that reaches persons finds its
    /// handle without the directory knowing the channel.
    public func field(_ key: String) -> String? {
        switch key {
        case "email": return email
        case "wecom": return wecom
        case "dingtalk": return dingtalk
        case "mobile": return mobile
        default: return nil
        }
    }
}

/// The people directory (`people: people.yaml` in the configuration): who
/// is who, and how each can be reached. Plans may name a contact `@id`
/// instead of `Name <address>`; an old-style contact whose address is in
/// the directory is that person.
///
///     people:
///       - id: wangwu
///         name: 王五
///         email: wangwu@hospital.example
///         wecom: WangWu
///         dingtalk: "0123456789"
///         mobile: "13800001111"
///
/// Validated like a plan, every problem at its `FILE:LINE:COLUMN`:
/// malformed ids and addresses, an id, e-mail address, 企业微信 or 钉钉 id or
/// mobile number given to two people (the second points at the first).
public struct PeopleDirectory: Sendable {
    public private(set) var people: [Person] = []
    private var byID: [String: Int] = [:]
    private var byEmail: [String: Int] = [:]

    public init(_ people: [Person] = []) {
        for p in people { add(p) }
    }

    private mutating func add(_ p: Person) {
        byID[p.id] = people.count
        if let e = p.email { byEmail[e.lowercased()] = people.count }
        people.append(p)
    }

    public var isEmpty: Bool { people.isEmpty }

    public func person(id: String) -> Person? { byID[id].map { people[$0] } }

    /// The person with this e-mail address (compared without case).
    public func person(email: String) -> Person? { byEmail[email.lowercased()].map { people[$0] } }

    /// `@wangwu` → `wangwu`; nil for anything that is not a reference.
    public static func reference(_ text: String) -> String? {
        guard text.hasPrefix("@") else { return nil }
        return String(text.dropFirst())
    }

    /// The person a plan's `@id` names, or an error at `location` (with the
    /// closest id as a suggestion).
    public func resolve(_ id: String, at location: SourceLocation) -> Result<Person, Diagnostic> {
        if let p = person(id: id) { return .success(p) }
        if let guess = Suggestion.closest(to: id, among: people.map(\.id)) {
            return .failure(
                .error(
                    location,
                    Message(
                        zh: "人员目录中没有“@\(id)”；您是否想写“@\(guess)”？",
                        en: "no '@\(id)' in the people directory; did you mean '@\(guess)'?"
                    )
                )
            )
        }
        return .failure(
            .error(
                location,
                Message(
                    zh: "人员目录中没有“@\(id)”；请先在 people 文件中添加此人",
                    en: "no '@\(id)' in the people directory; add the person to the people file first"
                )
            )
        )
    }

    // MARK: Reading

    static let keys = ["id", "name", "email", "wecom", "dingtalk", "mobile"]

    /// Reads a people file; the directory is nil when it has errors.
    public static func parse(_ bytes: [UInt8], file: String) -> (PeopleDirectory?, [Diagnostic]) {
        let root: YAMLNode
        switch YAMLDocument.parse(bytes, file: file) {
        case .failure(let d): return (nil, [d])
        case .success(nil): return (PeopleDirectory(), [])
        case .success(let node?): root = node
        }
        var r = NodeReader(file: file)
        func m(_ zh: String, _ en: String) -> Message { Message(zh: zh, en: en) }
        guard let top = r.mapping(root, what: m("人员目录", "the people directory"), known: ["people"]) else {
            return (nil, r.diagnostics)
        }
        guard let pair = top["people"] else {
            r.error(root, m("人员目录缺少 people（人员列表）", "the people directory needs 'people' (the list of persons)"))
            return (nil, r.diagnostics)
        }
        let entries =
            pair.value.isNull ? [] : (r.list(pair.value, what: m("people（人员列表）", "'people'"), allowScalar: false) ?? [])

        var directory = PeopleDirectory()
        // Per unique field: value (normalised) → where first written.
        var seen: [String: [String: YAMLNode]] = [:]
        func unique(_ field: String, _ value: String, _ node: YAMLNode, label: Message) -> Bool {
            let key = field == "id" || field == "mobile" ? value : value.lowercased()
            if let first = seen[field]?[key] {
                r.error(
                    node,
                    m(
                        "\(label.zh)“\(value)”重复（第一次出现在第 \(first.line) 行第 \(first.column) 列）",
                        "duplicate \(label.en) '\(value)' (first written at line \(first.line), column \(first.column))"
                    )
                )
                return false
            }
            seen[field, default: [:]][key] = node
            return true
        }

        for entry in entries {
            guard let map = r.mapping(entry, what: m("人员", "a person"), known: keys) else { continue }
            for key in ["id", "name"] where map[key] == nil {
                r.error(entry, m("人员缺少“\(key)”", "a person needs '\(key)'"))
            }
            var ok = true
            var id: String?
            if let p = map["id"], let s = r.string(p.value, what: m("人员 id", "a person's id")) {
                if PlanReader.isIdentifier(s) {
                    id = s
                    ok = unique("id", s, p.value, label: m("人员 id", "person id")) && ok
                } else {
                    r.error(
                        p.value,
                        m(
                            "人员 id“\(s)”不合规：只能用小写字母、数字和连字符（-），以字母或数字开头，最长 64 个字符",
                            "person id '\(s)' is not valid: use lowercase letters, digits and '-', starting with a letter or digit, at most 64 characters"
                        )
                    )
                }
            }
            let name = map["name"].flatMap { r.singleLine($0.value, what: m("姓名", "'name'")) }
            if let n = name, n.allSatisfy({ $0 == " " }) {
                r.error(map["name"]!.value, m("姓名不能为空", "'name' must not be empty"))
                ok = false
            }
            var values: [String: String] = [:]
            for (field, label, valid) in fieldRules {
                guard let p = map[field], let s = r.singleLine(p.value, what: m(label.zh, "'\(field)'")) else {
                    continue
                }
                if !valid(s) {
                    r.error(
                        p.value,
                        m(
                            "\(label.zh)“\(s)”格式不对；\(fieldHelp[field]!.zh)",
                            "\(label.en) '\(s)' is not valid; \(fieldHelp[field]!.en)"
                        )
                    )
                    ok = false
                    continue
                }
                ok = unique(field, s, p.value, label: label) && ok
                values[field] = s
            }
            guard ok, let id, let name else { continue }
            if values.isEmpty {
                r.warning(
                    entry,
                    m(
                        "“\(id)”没有任何联系方式（email、wecom、dingtalk 或 mobile），无法收到提醒",
                        "'\(id)' has no way to be reached (email, wecom, dingtalk or mobile)"
                    )
                )
            }
            directory.add(
                Person(
                    id: id,
                    name: name,
                    email: values["email"],
                    wecom: values["wecom"],
                    dingtalk: values["dingtalk"],
                    mobile: values["mobile"],
                    location: r.location(entry)
                )
            )
        }
        return (r.diagnostics.hasErrors ? nil : directory, r.diagnostics)
    }

    static let fieldRules: [(String, Message, @Sendable (String) -> Bool)] = [
        ("email", Message(zh: "邮箱", en: "email address"), { PlanReader.parseContact("x <\($0)>") != nil }),
        ("wecom", Message(zh: "企业微信账号", en: "WeCom id"), { isServiceID($0) }),
        ("dingtalk", Message(zh: "钉钉账号", en: "DingTalk id"), { isServiceID($0) }),
        ("mobile", Message(zh: "手机号", en: "mobile number"), { isMobile($0) }),
    ]

    static let fieldHelp: [String: Message] = [
        "email": Message(
            zh: "应写作 用户@主机，例如 wangwu@hospital.example",
            en: "write user@host, e.g. wangwu@hospital.example"
        ),
        "wecom": Message(
            zh: "企业微信的账号（UserID）只含字母、数字和 _-@.，以字母或数字开头，最长 64 个字符",
            en: "a WeCom UserID has letters, digits and _-@. only, starts with a letter or digit, at most 64 characters"
        ),
        "dingtalk": Message(
            zh: "钉钉的 userid 只含字母、数字和 _-@.，以字母或数字开头，最长 64 个字符",
            en:
                "a DingTalk userid has letters, digits and _-@. only, starts with a letter or digit, at most 64 characters"
        ),
        "mobile": Message(
            zh: "应为 11 位中国大陆手机号，例如 \"13800001111\"（请加引号）",
            en: "must be an 11-digit mainland China mobile number, e.g. \"13800001111\" (quoted)"
        ),
    ]

    /// 企业微信 UserID / 钉钉 userid: 1–64 ASCII letters, digits and `_-@.`,
    /// starting with a letter or digit (企业微信's published rule).
    static func isServiceID(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard let first = u.first, u.count <= 64 else { return false }
        func alnum(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
        return alnum(first) && u.allSatisfy { alnum($0) || $0 == 95 || $0 == 45 || $0 == 64 || $0 == 46 }
    }

    /// `13800001111`: 11 digits starting with 1.
    static func isMobile(_ s: String) -> Bool {
        let u = Array(s.utf8)
        return u.count == 11 && u[0] == UInt8(ascii: "1") && u.allSatisfy { $0 >= 48 && $0 <= 57 }
    }
}
