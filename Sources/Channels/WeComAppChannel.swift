import Diagnostics
import Vocabulary

/// 企业微信自建应用 (WeCom application): a text message to one person, by
/// their 企业微信 user id (the people directory's `wecom:`).
///
/// Contract (developer.work.weixin.qq.com/document/path/91039 获取access_token,
/// /90236 发送应用消息, /90454 访问频率限制):
/// `GET …/cgi-bin/gettoken?corpid=ID&corpsecret=SECRET` gives a token for
/// `expires_in` (7,200) seconds, cached here and renewed on 42001 (expired),
/// 40014 (invalid) or 41001 (missing); `POST …/cgi-bin/message/send?access_token=T`
/// with `touser`, `agentid`, `text.content` (at most 2,048 bytes); ids the
/// app cannot reach come back in `invaliduser`, none valid is 81013; 30
/// messages a minute and 1,000 an hour to one person (the service drops
/// the rest silently, so the limits are kept here, not discovered);
/// 60020 until the server's IP is trusted in the app's settings.
///
/// Every message asks for the service's duplicate check (same JSON within
/// 1,800 s is not shown twice): should a crash fall between the service's
/// answer and the outbox's record, the resent message is not seen twice.
public struct WeComAppChannel: Channel {
    public static let kind = "wecom-app"
    public static let title = Message(zh: "企业微信应用", en: "WeCom application")
    public static let audience = ChannelAudience.person(directoryField: "wecom")
    public static let optionKeys = [
        ChannelOptionKey(
            "corp-id",
            required: true,
            help: Message(
                zh: "企业 ID（管理后台“我的企业”页底部），例如 ww0123456789abcdef",
                en: "the corp ID (admin console, My Company), e.g. ww0123456789abcdef"
            )
        ),
        ChannelOptionKey(
            "agent-id",
            required: true,
            help: Message(
                zh: "应用的 AgentId，例如 1000002",
                en: "the application's AgentId, e.g. 1000002"
            )
        ),
    ]
    public static let secrets = [
        ChannelSecret(
            .secret,
            required: true,
            help: Message(zh: "应用的 Secret（corpsecret）", en: "the application's Secret (corpsecret)")
        )
    ]
    /// The API's base: `/gettoken` and `/message/send` follow it.
    public static let defaultURL = "https://qyapi.weixin.qq.com/cgi-bin"
    public static let defaultLimits = [RateWindow(30, per: 60), RateWindow(1000, per: 3600)]

    public static let textLimit = 2048
    public static let duplicateCheckInterval: Int64 = 1800
    /// A cached token is dropped this long before the service says it expires.
    public static let tokenMargin: Int64 = 60

    public let settings: ChannelSettings
    public let corpID: String
    public let agentID: Int64

    public init(settings: ChannelSettings) throws(ChannelSetupError) {
        var problems: [Diagnostic] = []
        let corp = settings.options["corp-id"]
        let agent = settings.options["agent-id"]
        if let corp, corp.text.isEmpty || !corp.text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            problems.append(
                .error(
                    corp.location,
                    Message(
                        zh: "corp-id 应当是企业 ID（字母和数字），例如 ww0123456789abcdef，这里是“\(corp.text)”",
                        en:
                            "corp-id must be the corp ID (letters and digits), e.g. ww0123456789abcdef, not '\(corp.text)'"
                    )
                )
            )
        }
        var agentNumber: Int64 = 0
        if let agent {
            if let n = Int64(agent.text), n > 0 {
                agentNumber = n
            } else {
                problems.append(
                    .error(
                        agent.location,
                        Message(
                            zh: "agent-id 应当是应用的 AgentId（正整数），这里是“\(agent.text)”",
                            en:
                                "agent-id must be the application's AgentId (a positive whole number), not '\(agent.text)'"
                        )
                    )
                )
            }
        }
        if !problems.isEmpty { throw ChannelSetupError(problems) }
        self.settings = settings
        self.corpID = corp?.text ?? ""
        self.agentID = agentNumber
    }

    public func render(_ message: ChannelMessage, to recipient: ChannelRecipient) -> RenderedMessage {
        // The app reaches persons; a group given here addresses nobody and the service refuses it (81013).
        let handle: String
        if case .person(_, _, let h) = recipient { handle = h } else { handle = "" }
        let layout = MessageLayout(style: .plain, groupItemLimit: settings.itemLimit)
        let content = layout.text(message, to: recipient) { $0.utf8.count <= Self.textLimit }
        let body = JSONValue.object([
            ("touser", .string(handle)),
            ("msgtype", .string("text")),
            ("agentid", .number(agentID)),
            ("text", .object([("content", .string(content))])),
            ("enable_duplicate_check", .number(1)),
            ("duplicate_check_interval", .number(Self.duplicateCheckInterval)),
        ])
        // 企业微信 user ids are case-insensitive: one person, one budget.
        return RenderedMessage(destination: handle.lowercased(), body: body.bytes, summary: message.title)
    }

    public func nextRequest(
        for message: RenderedMessage,
        credentials: ChannelCredentials,
        token: AccessToken?,
        now: Int64
    ) -> ChannelStep {
        if let token, token.isValid(at: now) {
            let url = URLWithQuery(self.url + "/message/send").appending("access_token", token.value, secret: true)
            return .request(
                ChannelRequest(
                    .message,
                    HTTPRequest(
                        method: .post,
                        url: url,
                        headers: ["Content-Type: application/json"],
                        body: message.body
                    )
                )
            )
        }
        guard let secret = credentials.secret, !secret.isEmpty else {
            return .cannot(
                .backOff(
                    reason: Message(
                        zh: "\(reference.zh)：没有应用的 Secret（secret-file 或 secret-credential）",
                        en: "\(reference.en): the application's Secret is missing (secret-file or secret-credential)"
                    ),
                    serviceDown: true
                )
            )
        }
        let url = URLWithQuery(self.url + "/gettoken").appending("corpid", corpID).appending(
            "corpsecret",
            secret,
            secret: true
        )
        return .request(ChannelRequest(.token, HTTPRequest(method: .get, url: url)))
    }

    public func interpret(_ result: HTTPResult, of request: ChannelRequest, now: Int64) -> ChannelOutcome {
        let answer: ServiceAnswer
        switch ServiceAnswer.read(result, for: self, url: request.http.redactedURL) {
        case .failure(let e): return e.outcome
        case .success(let a): answer = a
        }
        let ref = reference
        switch (request.purpose, answer.errcode) {
        case (.token, 0):
            guard let value = answer.json["access_token"]?.string, !value.isEmpty,
                let lifetime = answer.json["expires_in"]?.integer, lifetime > 0
            else {
                return .backOff(
                    reason: Message(
                        zh: "\(ref.zh)：gettoken 的应答缺少 access_token 或 expires_in",
                        en: "\(ref.en): gettoken answered without access_token or expires_in"
                    ),
                    serviceDown: true
                )
            }
            return .token(AccessToken(value: value, expiresAt: now + max(1, lifetime - Self.tokenMargin)))
        case (.token, 40013), (.token, 41002):
            return .giveUp(
                reason: Message(
                    zh: "\(ref.zh)：企业 ID 无效（\(answer.quoted)）；请检查 corp-id",
                    en: "\(ref.en): invalid corp ID (\(answer.quoted)); check corp-id"
                )
            )
        case (.token, 40001), (.token, 41004), (.token, 40091):
            return .giveUp(
                reason: Message(
                    zh: "\(ref.zh)：应用 Secret 无效（\(answer.quoted)）；请检查 secret-file",
                    en: "\(ref.en): invalid application Secret (\(answer.quoted)); check secret-file"
                )
            )
        case (.message, 0):
            let invalid = answer.json["invaliduser"]?.string ?? ""
            let warning =
                invalid.isEmpty
                ? nil
                : Message(
                    zh: "\(ref.zh)：该应用找不到这些企业微信账号：\(invalid)；请检查 people.yaml 的 wecom 字段和应用的可见范围",
                    en:
                        "\(ref.en): the application cannot reach these WeCom ids: \(invalid); check wecom in people.yaml and the app's visible range"
                )
            return .delivered(answer: answer.quoted, warning: warning)
        case (.message, 42001), (.message, 40014), (.message, 41001):
            return .renewToken(
                reason: Message(
                    zh: "\(ref.zh)：access_token 已失效（\(answer.quoted)），重新获取",
                    en: "\(ref.en): access token no longer valid (\(answer.quoted)); renewing"
                )
            )
        case (.message, 81013):
            return .giveUp(
                reason: Message(
                    zh: "\(ref.zh)：收件人在该应用中无效（\(answer.quoted)）；请检查 people.yaml 的 wecom 字段和应用的可见范围",
                    en:
                        "\(ref.en): no valid recipient for the application (\(answer.quoted)); check wecom in people.yaml and the app's visible range"
                )
            )
        case (.message, 40056):
            return .giveUp(
                reason: Message(
                    zh: "\(ref.zh)：AgentId 无效（\(answer.quoted)）；请检查 agent-id",
                    en: "\(ref.en): invalid AgentId (\(answer.quoted)); check agent-id"
                )
            )
        case (.message, 40058):
            return .giveUp(
                reason: Message(
                    zh: "\(ref.zh)：消息过长（\(answer.quoted)）",
                    en: "\(ref.en): message too long (\(answer.quoted))"
                )
            )
        case (_, 45009), (_, 45033):
            return .wait(
                seconds: 61,
                reason: Message(
                    zh: "\(ref.zh)：超过频率限制（\(answer.quoted)），稍后再发",
                    en: "\(ref.en): over the rate limit (\(answer.quoted)); sending later"
                )
            )
        case (_, 60020):
            // The admin trusts the server's IP in the app's settings; the messages wait for it.
            return .backOff(
                reason: Message(
                    zh: "\(ref.zh)：本机 IP 不在应用的可信 IP 中（\(answer.quoted)）；请在企业微信管理后台为该应用添加可信 IP",
                    en:
                        "\(ref.en): this server's IP is not trusted by the application (\(answer.quoted)); add it in the app's settings"
                ),
                serviceDown: true
            )
        default:
            return answer.otherwise(for: self)
        }
    }
}
