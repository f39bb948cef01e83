import Channels
import Diagnostics
import YAMLSource
import Vocabulary

extension DaemonConfig {
    /// One `channels:` entry: a way to reach people besides mail.
    ///
    /// ```yaml
    /// channels:
    ///   - name: 外科第二党支部群
    ///     kind: dingtalk-robot              # wecom-robot | wecom-app | dingtalk-robot
    ///     token-file: secrets/surgery2.token    # or token-credential: surgery2-token
    ///     secret-file: secrets/surgery2.secret  # 加签, optional
    ///     plans: [surgery-2-2026]           # or owners: [外科第二党支部]; default: every plan
    ///     kinds: [due, overdue]             # default: reminder, due, overdue, escalation
    ///     mention: true                     # @ the notice's recipients by their mobile (people.yaml)
    ///   - name: 企业微信应用
    ///     kind: wecom-app                   # to each person's wecom id (people.yaml)
    ///     corp-id: ww0123456789abcdef
    ///     agent-id: 1000002
    ///     secret-credential: wecom-app-secret
    /// ```
    ///
    /// Secrets come from files or systemd credentials only: a key written in
    /// the YAML (`token:`, `secret:`, a webhook URL with its `key=`) is an
    /// error at its position, before it can be copied anywhere else.
    public struct ChannelConfig: Sendable {
        /// The channel, its options checked.
        public var channel: any Channel
        public var token: SecretReference?
        public var secret: SecretReference?
        /// Nil: every plan. Plan ids.
        public var plans: [String]?
        /// Nil: every owner. Owner names (`外科第二党支部`).
        public var owners: [String]?
        public var kinds: [ChannelMessage.Kind]
        /// Group robots: @ the notice's recipients by their mobile number.
        public var mention: Bool
        public var giveUpAfterMinutes: Int

        public var name: String { channel.settings.name }

        /// Whether this channel carries a notice of `kind` from `plan` (owned by `owner`).
        public func carries(_ kind: ChannelMessage.Kind, plan: String, owner: String) -> Bool {
            guard kinds.contains(kind) else { return false }
            if let plans, !plans.contains(plan) { return false }
            if let owners, !owners.contains(owner) { return false }
            return true
        }
    }

    /// A secret's source as written: `*-file` (resolved against the config's
    /// folder) or `*-credential` (a systemd credential name).
    public enum SecretReference: Sendable, Equatable {
        case file(String)
        case credential(String)
    }

    public static let defaultChannelKinds: [ChannelMessage.Kind] = [.reminder, .due, .overdue, .escalation]

    static let commonChannelKeys = [
        "name", "kind", "url", "token-file", "token-credential", "secret-file", "secret-credential", "plans", "owners",
        "kinds", "mention", "limits", "item-limit", "give-up-after",
    ]

    /// Keys that would hold a secret in the file itself.
    static let inlineSecretKeys = [
        "token", "secret", "key", "access-token", "access_token", "corp-secret", "corpsecret", "webhook",
        "password", "sign",
    ]

    /// Parses `channels:`; every mistake is a diagnostic at the offending key
    /// or value, and a broken entry is left out.
    static func parseChannels(
        _ node: YAMLNode,
        reader r: inout NodeReader,
        kinds registry: ChannelKinds,
        resolve: (String) -> String
    ) -> [ChannelConfig] {
        func m(_ zh: String, _ en: String) -> Message { Message(zh: zh, en: en) }
        guard let entries = r.list(node, what: m("channels", "'channels'"), allowScalar: false) else { return [] }
        var result: [ChannelConfig] = []
        var names: [String: YAMLNode] = [:]
        for entry in entries {
            guard case .mapping(let pairs) = entry.kind else {
                r.error(
                    entry,
                    m("channels 的每一项应当是映射（name、kind…）", "each 'channels' entry must be a mapping (name, kind, …)")
                )
                continue
            }
            // The kind decides which keys are known, so read it first.
            let kindNode = pairs.first { $0.key.scalar == "kind" }?.value
            var kind: (any Channel.Type)?
            if let kindNode, let s = r.singleLine(kindNode, what: m("channels.kind", "'channels.kind'")) {
                kind = registry.kind(named: s)
                if kind == nil {
                    let list = registry.names.joined(separator: ", ")
                    if let guess = Suggestion.closest(to: s, among: registry.names) {
                        r.error(
                            kindNode,
                            m("未知的渠道类型“\(s)”；您是否想写“\(guess)”？", "unknown channel kind '\(s)'; did you mean '\(guess)'?")
                        )
                    } else {
                        r.error(
                            kindNode,
                            m("未知的渠道类型“\(s)”；可用：\(list)", "unknown channel kind '\(s)'; expected one of: \(list)")
                        )
                    }
                }
            } else if kindNode == nil {
                r.error(
                    entry,
                    m(
                        "channels 的每一项都要写 kind（\(registry.names.joined(separator: "、"))）",
                        "each 'channels' entry needs a kind (\(registry.names.joined(separator: ", ")))"
                    )
                )
            }
            // A secret written in the file: refused where it stands, never echoed.
            var refused = false
            for pair in pairs {
                guard let key = pair.key.scalar, inlineSecretKeys.contains(key) else { continue }
                refused = true
                r.error(
                    pair.key,
                    m(
                        "不能把密钥直接写在配置文件里（“\(key)”）；请写入单独的文件并用 token-file/secret-file 指向它，或用 systemd 凭据（token-credential/secret-credential）",
                        "a secret must not be written in the configuration ('\(key)'); put it in a file of its own and point token-file/secret-file at it, or use a systemd credential (token-credential/secret-credential)"
                    )
                )
            }
            let optionKeys = kind.map { $0.optionKeys.map(\.name) } ?? []
            let known = commonChannelKeys + optionKeys + (refused ? inlineSecretKeys : [])
            guard let fields = r.mapping(entry, what: m("channels 的每一项", "each 'channels' entry"), known: known) else {
                continue
            }
            var ok = kind != nil && !refused

            var name: String?
            if let p = fields["name"], let s = r.singleLine(p.value, what: m("channels.name", "'channels.name'")) {
                if s.trimmingSpaces.isEmpty {
                    r.error(p.value, m("渠道名称不能为空", "a channel's name must not be empty"))
                    ok = false
                } else if let first = names[s] {
                    r.error(
                        p.value,
                        m(
                            "渠道名称“\(s)”重复（第一次出现在第 \(first.line) 行第 \(first.column) 列）",
                            "duplicate channel name '\(s)' (first written at line \(first.line), column \(first.column))"
                        )
                    )
                    ok = false
                } else {
                    names[s] = p.value
                    name = s
                }
            } else if fields["name"] == nil {
                r.error(
                    entry,
                    m("channels 的每一项都要写 name（在日志中指称这个渠道）", "each 'channels' entry needs a name (how logs refer to it)")
                )
                ok = false
            }

            var url: String?
            if let p = fields["url"], let s = r.singleLine(p.value, what: m("channels.url", "'channels.url'")) {
                let lower = s.lowercased()
                if !(lower.hasPrefix("https://") || lower.hasPrefix("http://")) || s.contains(" ") {
                    r.error(
                        p.value,
                        m(
                            "url 应当以 https:// 开头，例如 \(kind?.defaultURL ?? "https://…")",
                            "url must start with https://, e.g. \(kind?.defaultURL ?? "https://…")"
                        )
                    )
                    ok = false
                } else if s.contains("?") {
                    // A copied webhook address carries the robot's key in its query.
                    r.error(
                        p.value,
                        m(
                            "url 不能带查询参数（? 之后的部分，通常是机器人的 key 或 access_token）；把 key 写入 token-file，url 只写到 ? 之前",
                            "url must not have a query (the part after ?, usually the robot's key or access_token); put the key in token-file and the url up to the ?"
                        )
                    )
                    ok = false
                } else {
                    url = s
                }
            }

            let token = secretReference(fields, "token", reader: &r, resolve: resolve, ok: &ok)
            let secret = secretReference(fields, "secret", reader: &r, resolve: resolve, ok: &ok)
            if let kind {
                for slot in kind.secrets {
                    let given = slot.slot == .token ? token : secret
                    if slot.required && given == nil {
                        r.error(
                            entry,
                            m(
                                "\(kind.title.zh)需要 \(slot.slot.rawValue)-file 或 \(slot.slot.rawValue)-credential：\(slot.help.zh)",
                                "a \(kind.title.en) needs \(slot.slot.rawValue)-file or \(slot.slot.rawValue)-credential: \(slot.help.en)"
                            )
                        )
                        ok = false
                    }
                }
                for (slot, node) in [(ChannelSecret.Slot.token, token), (.secret, secret)] where node != nil {
                    if !kind.secrets.contains(where: { $0.slot == slot }),
                        let key = fields["\(slot.rawValue)-file"] ?? fields["\(slot.rawValue)-credential"]
                    {
                        r.error(
                            key.key,
                            m("\(kind.title.zh)不使用 \(slot.rawValue)", "a \(kind.title.en) takes no \(slot.rawValue)")
                        )
                        ok = false
                    }
                }
            }

            let plans = fields["plans"].flatMap { r.list($0.value, what: m("channels.plans", "'channels.plans'")) }
                .map { $0.compactMap { r.singleLine($0, what: m("计划 id", "a plan id")) } }
            let owners = fields["owners"].flatMap { r.list($0.value, what: m("channels.owners", "'channels.owners'")) }
                .map { $0.compactMap { r.singleLine($0, what: m("责任单位", "an owner")) } }
            if let p = fields["plans"], fields["owners"] != nil {
                r.error(p.key, m("plans 和 owners 只能设置一个", "set plans or owners, not both"))
                ok = false
            }

            var kinds = defaultChannelKinds
            if let p = fields["kinds"], let list = r.list(p.value, what: m("channels.kinds", "'channels.kinds'")) {
                kinds = []
                for item in list {
                    guard let s = r.singleLine(item, what: m("通知类型", "a notice kind")) else { continue }
                    if let k = ChannelMessage.Kind(rawValue: s) {
                        kinds.append(k)
                    } else {
                        let all = ChannelMessage.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                        r.error(
                            item,
                            m("未知的通知类型“\(s)”；可用：\(all)", "unknown notice kind '\(s)'; expected one of: \(all)")
                        )
                        ok = false
                    }
                }
            }

            var mention = false
            if let p = fields["mention"],
                let s = r.singleLine(p.value, what: m("channels.mention", "'channels.mention'"))
            {
                switch s {
                case "true", "yes", "on": mention = true
                case "false", "no", "off": mention = false
                default:
                    r.error(p.value, m("mention 只能是 true 或 false", "mention must be true or false"))
                    ok = false
                }
                if mention, kind?.audience != .group {
                    r.error(p.value, m("mention 只适用于群机器人", "mention applies to group robots only"))
                    ok = false
                }
            }

            var limits: [RateWindow]?
            if let p = fields["limits"], let list = r.list(p.value, what: m("channels.limits", "'channels.limits'")) {
                var windows: [RateWindow] = []
                for item in list {
                    guard let s = r.singleLine(item, what: m("频率限制", "a limit")) else { continue }
                    if let w = RateWindow(text: s) {
                        windows.append(w)
                    } else {
                        r.error(
                            item,
                            m(
                                "频率限制“\(s)”无效；应写作 条数/时长，例如 20/1m、1000/1h",
                                "limit '\(s)' is not valid; write count/duration, e.g. 20/1m or 1000/1h"
                            )
                        )
                        ok = false
                    }
                }
                limits = windows
            }
            var itemLimit = 10
            if let p = fields["item-limit"],
                let n = r.integer(p.value, what: m("channels.item-limit", "'channels.item-limit'"), range: 0...1000)
            {
                itemLimit = n
            }
            var giveUp = 3 * 1440
            if let p = fields["give-up-after"], let minutes = duration(p.value, reader: &r) { giveUp = minutes }

            var options: [String: ChannelSettings.Value] = [:]
            if let kind {
                for key in kind.optionKeys {
                    if let p = fields[key.name] {
                        if let s = r.singleLine(p.value, what: m("channels.\(key.name)", "'channels.\(key.name)'")) {
                            options[key.name] = ChannelSettings.Value(s, at: r.location(p.value))
                        }
                    } else if key.required {
                        r.error(
                            entry,
                            m(
                                "\(kind.title.zh)需要 \(key.name)：\(key.help.zh)",
                                "a \(kind.title.en) needs \(key.name): \(key.help.en)"
                            )
                        )
                        ok = false
                    }
                }
            }
            guard ok, let kind, let name else { continue }
            let settings = ChannelSettings(
                name: name,
                kind: kind.kind,
                location: r.location(entry),
                url: url,
                limits: limits,
                itemLimit: itemLimit,
                options: options
            )
            do {
                let channel = try kind.init(settings: settings)
                result.append(
                    ChannelConfig(
                        channel: channel,
                        token: token,
                        secret: secret,
                        plans: plans,
                        owners: owners,
                        kinds: kinds,
                        mention: mention,
                        giveUpAfterMinutes: giveUp
                    )
                )
            } catch {
                for d in error.diagnostics { r.append(d) }
            }
        }
        return result
    }

    /// `token-file` / `token-credential` (or `secret-…`): one of them, a
    /// credential a name and not a path.
    static func secretReference(
        _ fields: [String: YAMLNode.Pair],
        _ slot: String,
        reader r: inout NodeReader,
        resolve: (String) -> String,
        ok: inout Bool
    ) -> SecretReference? {
        func m(_ zh: String, _ en: String) -> Message { Message(zh: zh, en: en) }
        let file = fields["\(slot)-file"]
        let credential = fields["\(slot)-credential"]
        if let file, credential != nil {
            r.error(
                file.key,
                m("\(slot)-file 和 \(slot)-credential 只能设置一个", "set \(slot)-file or \(slot)-credential, not both")
            )
            ok = false
            return nil
        }
        if let file, let s = r.singleLine(file.value, what: m("\(slot)-file", "'\(slot)-file'")) {
            return .file(resolve(s))
        }
        if let credential, let s = r.singleLine(credential.value, what: m("\(slot)-credential", "'\(slot)-credential'"))
        {
            if s.contains("/") || s.hasPrefix(".") || s.isEmpty {
                r.error(
                    credential.value,
                    m(
                        "\(slot)-credential 是 systemd 凭据名（LoadCredential= 中的名称），不是路径",
                        "\(slot)-credential is a systemd credential name (as in LoadCredential=), not a path"
                    )
                )
                ok = false
                return nil
            }
            return .credential(s)
        }
        return nil
    }
}

extension String {
    /// Without leading and trailing spaces (ASCII and full-width).
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\u{3000}" || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\u{3000}" || l == "\t" { s.removeLast() }
        return String(s)
    }
}
