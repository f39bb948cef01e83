import Diagnostics
import Vocabulary

/// The `{"errcode":…,"errmsg":…}` answer both services give, read from an
/// HTTP result; and the classification of what is not such an answer
/// (no connection, a proxy's error page, 5xx), the same for every kind.
public struct ServiceAnswer: Sendable, Equatable {
    public var errcode: Int64
    public var errmsg: String
    public var json: JSONValue

    /// `errcode 310000 (sign not match)`: how answers are quoted in logs.
    public var quoted: String { "errcode \(errcode) (\(errmsg))" }

    /// The answer, or the outcome when there is none to read.
    public static func read(
        _ result: HTTPResult,
        for channel: some Channel,
        url: String
    ) -> Result<ServiceAnswer, OutcomeError> {
        let ref = channel.reference
        switch result {
        case .failure(let failure):
            let what: Message
            switch failure.kind {
            case .connect: what = Message(zh: "无法连接", en: "cannot connect to")
            case .timeout: what = Message(zh: "等待应答超时：", en: "timed out waiting for")
            case .tls: what = Message(zh: "TLS 校验失败：", en: "TLS verification failed for")
            case .tooLarge: what = Message(zh: "应答过大：", en: "answer too large from")
            case .other: what = Message(zh: "请求失败：", en: "request failed:")
            }
            return .failure(
                OutcomeError(
                    .backOff(
                        reason: Message(
                            zh: "\(ref.zh)：\(what.zh) \(url)（\(failure.detail)）",
                            en: "\(ref.en): \(what.en) \(url) (\(failure.detail))"
                        ),
                        serviceDown: true
                    )
                )
            )
        case .response(let status, let body):
            if status >= 500 || status == 408 {
                return .failure(
                    OutcomeError(
                        .backOff(
                            reason: Message(
                                zh: "\(ref.zh)：服务暂时不可用（HTTP \(status)）",
                                en: "\(ref.en): service unavailable (HTTP \(status))"
                            ),
                            serviceDown: true
                        )
                    )
                )
            }
            if status == 429 {
                return .failure(
                    OutcomeError(
                        .wait(
                            seconds: 60,
                            reason: Message(
                                zh: "\(ref.zh)：服务要求放慢（HTTP 429）",
                                en: "\(ref.en): the service asked to slow down (HTTP 429)"
                            )
                        )
                    )
                )
            }
            if status == 401 || status == 403 || status == 407 {
                // A proxy or firewall in the way: the admin fixes it, the message waits.
                return .failure(
                    OutcomeError(
                        .backOff(
                            reason: Message(
                                zh: "\(ref.zh)：请求被拒绝（HTTP \(status)），请检查代理（https_proxy）或防火墙",
                                en:
                                    "\(ref.en): request refused (HTTP \(status)); check the proxy (https_proxy) or firewall"
                            ),
                            serviceDown: true
                        )
                    )
                )
            }
            if status != 200 {
                return .failure(
                    OutcomeError(
                        .giveUp(
                            reason: Message(
                                zh: "\(ref.zh)：地址 \(url) 应答 HTTP \(status)，不是该服务的接口；请检查 url",
                                en: "\(ref.en): \(url) answered HTTP \(status), not the service's API; check url"
                            )
                        )
                    )
                )
            }
            guard let json = JSONReader.parse(body), let code = json["errcode"]?.integer else {
                return .failure(
                    OutcomeError(
                        .backOff(
                            reason: Message(
                                zh: "\(ref.zh)：应答不是该服务的 JSON（可能是代理的页面）",
                                en: "\(ref.en): the answer is not the service's JSON (a proxy's page?)"
                            ),
                            serviceDown: true
                        )
                    )
                )
            }
            let message = json["errmsg"]?.string ?? ""
            return .success(ServiceAnswer(errcode: code, errmsg: String(message.prefix(300)), json: json))
        }
    }

    /// Codes both services share: `-1` (system busy) is a back-off; a code
    /// nobody mapped is given up, quoting the service's words, because
    /// repeating a request the service refused does not change its answer.
    public func otherwise(for channel: some Channel) -> ChannelOutcome {
        let ref = channel.reference
        if errcode == -1 {
            return .backOff(
                reason: Message(zh: "\(ref.zh)：服务繁忙（\(quoted)）", en: "\(ref.en): service busy (\(quoted))"),
                serviceDown: true
            )
        }
        return .giveUp(
            reason: Message(zh: "\(ref.zh)：服务拒收（\(quoted)）", en: "\(ref.en): refused by the service (\(quoted))")
        )
    }
}

/// A `ChannelOutcome` as the failure of a `Result`.
public struct OutcomeError: Error, Sendable, Equatable {
    public var outcome: ChannelOutcome

    public init(_ outcome: ChannelOutcome) { self.outcome = outcome }
}
