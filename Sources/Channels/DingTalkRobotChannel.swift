import Crypto
import Diagnostics
import Foundation
import Vocabulary

/// 钉钉自定义机器人 (DingTalk custom robot): a webhook that posts into one group.
///
/// Contract (open.dingtalk.com/document/robots/custom-robot-access 自定义机器人接入,
/// …/customize-robot-security-settings 安全设置, …/robot-overview 限流):
/// `POST https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=MS&sign=S`;
/// with 加签 `S` is the URL-encoded base64 of HMAC-SHA256 keyed with the
/// secret over `"<timestamp-ms>\n<secret>"`, and the timestamp must be within
/// an hour of the service's clock (else 310000, as for a missing keyword);
/// markdown needs a `title`; the whole body under 20,000 bytes (460101);
/// 20 messages a minute per robot, above that 130101 and a 10-minute block.
/// UTF-8 goes as is (`JSONValue` never writes `\uXXXX` for non-ASCII, which
/// would double Chinese text in a body counted in bytes).
public struct DingTalkRobotChannel: Channel {
    public static let kind = "dingtalk-robot"
    public static let title = Message(zh: "钉钉群机器人", en: "DingTalk group robot")
    public static let audience = ChannelAudience.group
    public static let optionKeys: [ChannelOptionKey] = []
    public static let secrets = [
        ChannelSecret(
            .token,
            required: true,
            help: Message(
                zh: "机器人 webhook 地址中 access_token= 后面的部分",
                en: "the part after access_token= in the robot's webhook address"
            )
        ),
        ChannelSecret(
            .secret,
            required: false,
            help: Message(
                zh: "加签的密钥（SEC 开头）；机器人用关键词或 IP 安全设置时不需要",
                en: "the signing secret (starts with SEC); not needed for keyword or IP security"
            )
        ),
    ]
    public static let defaultURL = "https://oapi.dingtalk.com/robot/send"
    public static let defaultLimits = [RateWindow(20, per: 60)]

    /// The body must stay under this many bytes.
    public static let bodyLimit = 20_000
    /// The title shows in the notification; longer ones are cut.
    public static let titleLimit = 100
    /// After 130101 the service blocks the robot for ten minutes.
    public static let blockSeconds: Int64 = 600

    public let settings: ChannelSettings

    public init(settings: ChannelSettings) throws(ChannelSetupError) {
        self.settings = settings
    }

    public func render(_ message: ChannelMessage, to recipient: ChannelRecipient) -> RenderedMessage {
        let mentions: [String]
        if case .group(_, let m) = recipient { mentions = m } else { mentions = [] }
        let title =
            message.title.count > Self.titleLimit
            ? String(message.title.prefix(Self.titleLimit - 1)) + "…" : message.title
        func body(_ text: String) -> JSONValue {
            var pairs: [(String, JSONValue)] = [
                ("msgtype", .string("markdown")),
                ("markdown", .object([("title", .string(title)), ("text", .string(text))])),
            ]
            if !mentions.isEmpty {
                pairs.append(
                    ("at", .object([("atMobiles", .array(mentions.map(JSONValue.string))), ("isAtAll", .bool(false))]))
                )
            }
            return .object(pairs)
        }
        // The skeleton's bytes, then each candidate text's written size: no full encoding per try.
        let skeleton = body("").bytes.count - 2
        let layout = MessageLayout(style: .dingtalkMarkdown, groupItemLimit: settings.itemLimit)
        let text = layout.text(message, to: recipient, mentions: mentions) {
            skeleton + JSONValue.writtenSize($0) < Self.bodyLimit
        }
        return RenderedMessage(destination: settings.name, body: body(text).bytes, summary: message.title)
    }

    /// `base64(HMAC-SHA256(key: secret, "\(timestamp)\n\(secret)"))`, not yet URL-encoded.
    public static func signature(timestamp: Int64, secret: String) -> String {
        let key = SymmetricKey(data: Array(secret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(timestamp)\n\(secret)".utf8), using: key)
        return Data(mac).base64EncodedString()
    }

    public func nextRequest(
        for message: RenderedMessage,
        credentials: ChannelCredentials,
        token: AccessToken?,
        now: Int64
    ) -> ChannelStep {
        guard let accessToken = credentials.token, !accessToken.isEmpty else {
            return .cannot(
                .backOff(
                    reason: Message(
                        zh: "\(reference.zh)：没有机器人的 access_token（token-file 或 token-credential）",
                        en: "\(reference.en): the robot's access_token is missing (token-file or token-credential)"
                    ),
                    serviceDown: true
                )
            )
        }
        var url = URLWithQuery(self.url).appending("access_token", accessToken, secret: true)
        if let secret = credentials.secret, !secret.isEmpty {
            let timestamp = now * 1000
            url.append("timestamp", String(timestamp))
            url.append("sign", Self.signature(timestamp: timestamp, secret: secret), secret: true)
        }
        return .request(
            ChannelRequest(
                .message,
                HTTPRequest(
                    method: .post,
                    url: url,
                    headers: ["Content-Type: application/json; charset=utf-8"],
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
        case 130101:
            return .wait(
                seconds: Self.blockSeconds,
                reason: Message(
                    zh: "\(ref.zh)：发送过快，机器人被限流 10 分钟（\(answer.quoted)），稍后再发",
                    en:
                        "\(ref.en): sending too fast, the robot is blocked for 10 minutes (\(answer.quoted)); sending later"
                )
            )
        case 310000:
            return .giveUp(
                reason: Message(
                    zh: "\(ref.zh)：签名不符、时间戳偏差超过 1 小时或缺少关键词（\(answer.quoted)）；请检查 secret-file、本机时钟和机器人的安全设置",
                    en:
                        "\(ref.en): bad signature, a timestamp more than an hour off, or a missing keyword (\(answer.quoted)); check secret-file, this server's clock and the robot's security settings"
                )
            )
        case 300001, 400102, 300005:
            return .giveUp(
                reason: Message(
                    zh: "\(ref.zh)：access_token 无效或机器人已停用（\(answer.quoted)）；请检查 token-file 与 url",
                    en:
                        "\(ref.en): invalid access_token or the robot is disabled (\(answer.quoted)); check token-file and url"
                )
            )
        case 460101:
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
