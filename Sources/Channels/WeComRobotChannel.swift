import Diagnostics
import Vocabulary

/// 企业微信群机器人 (WeCom group robot): a webhook that posts into one group.
///
/// Contract (developer.work.weixin.qq.com/document/path/91770, 群机器人配置说明):
/// `POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY`, JSON;
/// `markdown.content` at most 4,096 bytes, `text.content` at most 2,048
/// (above: errcode 40058); 20 messages a minute per robot (45009); an
/// unknown key is 93000. @-mentions are unreliable inside markdown, so a
/// message that must ping people is sent as text with `mentioned_mobile_list`.
public struct WeComRobotChannel: Channel {
    public static let kind = "wecom-robot"
    public static let title = Message(zh: "企业微信群机器人", en: "WeCom group robot")
    public static let audience = ChannelAudience.group
    public static let optionKeys: [ChannelOptionKey] = []
    public static let secrets = [
        ChannelSecret(
            .token,
            required: true,
            help: Message(
                zh: "机器人 webhook 地址中 key= 后面的部分",
                en: "the part after key= in the robot's webhook address"
            )
        )
    ]
    public static let defaultURL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"
    public static let defaultLimits = [RateWindow(20, per: 60)]

    public static let markdownLimit = 4096
    public static let textLimit = 2048

    public let settings: ChannelSettings

    public init(settings: ChannelSettings) throws(ChannelSetupError) {
        self.settings = settings
    }

    public func render(_ message: ChannelMessage, to recipient: ChannelRecipient) -> RenderedMessage {
        let mentions: [String]
        if case .group(_, let m) = recipient { mentions = m } else { mentions = [] }
        let body: JSONValue
        if mentions.isEmpty {
            let layout = MessageLayout(style: .wecomMarkdown, groupItemLimit: settings.itemLimit)
            let content = layout.text(message, to: recipient) { $0.utf8.count <= Self.markdownLimit }
            body = .object([("msgtype", .string("markdown")), ("markdown", .object([("content", .string(content))]))])
        } else {
            let layout = MessageLayout(style: .plain, groupItemLimit: settings.itemLimit)
            let content = layout.text(message, to: recipient) { $0.utf8.count <= Self.textLimit }
            body = .object([
                ("msgtype", .string("text")),
                (
                    "text",
                    .object([
                        ("content", .string(content)),
                        ("mentioned_mobile_list", .array(mentions.map(JSONValue.string))),
                    ])
                ),
            ])
        }
        return RenderedMessage(destination: settings.name, body: body.bytes, summary: message.title)
    }

    public func nextRequest(
        for message: RenderedMessage,
        credentials: ChannelCredentials,
        token: AccessToken?,
        now: Int64
    ) -> ChannelStep {
        guard let key = credentials.token, !key.isEmpty else {
            return .cannot(
                .backOff(
                    reason: Message(
                        zh: "\(reference.zh)：没有机器人的 key（token-file 或 token-credential）",
                        en: "\(reference.en): the robot's key is missing (token-file or token-credential)"
                    ),
                    serviceDown: true
                )
            )
        }
        let url = URLWithQuery(self.url).appending("key", key, secret: true)
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

    public func interpret(_ result: HTTPResult, of request: ChannelRequest, now: Int64) -> ChannelOutcome {
        let answer: ServiceAnswer
        switch ServiceAnswer.read(result, for: self, url: request.http.redactedURL) {
        case .failure(let e): return e.outcome
        case .success(let a): answer = a
        }
        let ref = reference
        switch answer.errcode {
        case 0:
            return .delivered(answer: answer.quoted, warning: nil)
        case 45009:
            return .wait(
                seconds: 61,
                reason: Message(
                    zh: "\(ref.zh)：超过每分钟 20 条的限制（\(answer.quoted)），稍后再发",
                    en: "\(ref.en): over 20 messages a minute (\(answer.quoted)); sending later"
                )
            )
        case 93000:
            return .giveUp(
                reason: Message(
                    zh: "\(ref.zh)：webhook 地址或 key 无效（\(answer.quoted)）；请检查 token-file 与 url",
                    en: "\(ref.en): invalid webhook address or key (\(answer.quoted)); check token-file and url"
                )
            )
        case 40058:
            return .giveUp(
                reason: Message(
                    zh: "\(ref.zh)：消息过长（\(answer.quoted)）",
                    en: "\(ref.en): message too long (\(answer.quoted))"
                )
            )
        default:
            return answer.otherwise(for: self)
        }
    }
}
