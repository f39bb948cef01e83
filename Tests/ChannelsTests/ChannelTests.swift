import Channels
import Diagnostics
import Testing
import Vocabulary

@Suite struct WeComRobotTests {
    let channel = try! WeComRobotChannel(
        settings: settings("外科第二党支部群", kind: "wecom-robot", url: "http://127.0.0.1:9/cgi-bin/webhook/send")
    )
    let group = ChannelRecipient.group(name: "外科第二党支部群", mentions: [])

    @Test func rendersMarkdownAsTheServiceWantsIt() throws {
        let r = channel.render(reminder(), to: group)
        #expect(r.destination == "外科第二党支部群")
        #expect(r.summary == reminder().title)
        let expected =
            #"{"msgtype":"markdown","markdown":{"content":"**【党建提醒】外科第二党支部 · 支部委员会会议（2026）· 还有 5 个工作日**\n您好！\n《外科第二党支部 2026 年党建工作计划》中的以下事项还有 5 个工作日到期，请提前安排。\n> 事项：支部委员会会议\n> 截止日期：2026-11-25（周三）\n> 责任单位：外科第二党支部\n[登记完成情况](https://desk.example/r/abc123)"}}"#
        #expect(text(r.body) == expected)
        // The same message, the same bytes.
        #expect(channel.render(reminder(), to: group) == r)
    }

    @Test func mentionsGoAsTextWithMobiles() throws {
        let r = channel.render(reminder(), to: .group(name: "g", mentions: ["13800001111"]))
        let v = try #require(parsed(r.body))
        #expect(v["msgtype"]?.string == "text")
        #expect(v["text"]?["mentioned_mobile_list"] == .array([.string("13800001111")]))
        #expect(v["text"]?["content"]?.string?.hasPrefix("【党建提醒】") == true)
    }

    @Test func contentStaysWithinLimitsAtTheBoundary() throws {
        for n in [10, 100, 150, 400, 2000] {
            let r = channel.render(digest(items: n), to: .group(name: "g", mentions: []))
            let content = try #require(parsed(r.body)?["markdown"]?["content"]?.string)
            #expect(content.utf8.count <= 4096)
            let t = channel.render(digest(items: n), to: .group(name: "g", mentions: ["13800001111"]))
            let plain = try #require(parsed(t.body)?["text"]?["content"]?.string)
            #expect(plain.utf8.count <= 2048)
        }
        // A group sees 10 items at most, by default; item-limit changes it.
        let wide = try WeComRobotChannel(settings: settings("g", kind: "wecom-robot", itemLimit: 1000))
        let content = try #require(
            parsed(wide.render(digest(items: 2000), to: group).body)?["markdown"]?["content"]?.string
        )
        #expect(content.utf8.count <= 4096 && content.utf8.count > 4000)
    }

    @Test func requestCarriesTheKeyRedactedInLogs() throws {
        let r = channel.render(reminder(), to: group)
        guard
            case .request(let req) = channel.nextRequest(
                for: r,
                credentials: ChannelCredentials(token: "693a91f6-7xxx"),
                token: nil,
                now: 0
            )
        else {
            Issue.record("no request")
            return
        }
        #expect(req.purpose == .message)
        #expect(req.http.method == .post)
        #expect(req.http.url == "http://127.0.0.1:9/cgi-bin/webhook/send?key=693a91f6-7xxx")
        #expect(req.http.redactedURL == "http://127.0.0.1:9/cgi-bin/webhook/send?key=***")
        #expect(req.http.headers == ["Content-Type: application/json"])
        #expect(req.http.body == r.body)
        guard
            case .cannot(.backOff(let reason, true)) = channel.nextRequest(
                for: r,
                credentials: ChannelCredentials(),
                token: nil,
                now: 0
            )
        else {
            Issue.record("a missing key is not a back-off")
            return
        }
        #expect(reason.zh.contains("token-file"))
    }

    @Test func answersMapToOutcomes() {
        let req = ChannelRequest(
            .message,
            HTTPRequest(method: .post, url: URLWithQuery("http://x/send").appending("key", "k", secret: true))
        )
        #expect(
            channel.interpret(response(#"{"errcode":0,"errmsg":"ok"}"#), of: req, now: 0)
                == .delivered(answer: "errcode 0 (ok)", warning: nil)
        )
        guard
            case .wait(61, _) = channel.interpret(
                response(#"{"errcode":45009,"errmsg":"api freq out of limit"}"#),
                of: req,
                now: 0
            )
        else {
            Issue.record("45009")
            return
        }
        guard
            case .giveUp(let bad) = channel.interpret(
                response(#"{"errcode":93000,"errmsg":"invalid webhook url"}"#),
                of: req,
                now: 0
            )
        else {
            Issue.record("93000")
            return
        }
        // Names the channel's config line and the key to check.
        #expect(bad.zh.contains("企业微信群机器人“外科第二党支部群”（plankeeper.yaml:20:5）"))
        #expect(bad.en.contains("check token-file"))
        guard case .giveUp = channel.interpret(response(#"{"errcode":40058,"errmsg":"too long"}"#), of: req, now: 0)
        else {
            Issue.record("40058")
            return
        }
        guard
            case .giveUp(let unknown) = channel.interpret(
                response(#"{"errcode":12345,"errmsg":"new"}"#),
                of: req,
                now: 0
            )
        else {
            Issue.record("unknown")
            return
        }
        #expect(unknown.en.contains("errcode 12345 (new)"))
        guard
            case .backOff(_, true) = channel.interpret(
                response(#"{"errcode":-1,"errmsg":"system busy"}"#),
                of: req,
                now: 0
            )
        else {
            Issue.record("-1")
            return
        }
    }

    @Test func networkAnd5xxBackOffWithoutSecrets() {
        let url = URLWithQuery("http://x/send").appending("key", "SECRETKEY", secret: true)
        let req = ChannelRequest(.message, HTTPRequest(method: .post, url: url))
        for result in [
            HTTPResult.failure(HTTPFailure(.connect, "Connection refused")), .failure(HTTPFailure(.timeout, "30 s")),
            .response(status: 502, body: Array("<html>".utf8)), .response(status: 200, body: Array("<html>".utf8)),
        ] {
            guard case .backOff(let reason, true) = channel.interpret(result, of: req, now: 0) else {
                Issue.record("\(result)")
                continue
            }
            #expect(!reason.zh.contains("SECRETKEY") && !reason.en.contains("SECRETKEY"))
        }
        guard case .backOff(let r, _) = channel.interpret(.failure(HTTPFailure(.connect, "refused")), of: req, now: 0)
        else { return }
        #expect(r.en.contains("http://x/send?key=***"))
        guard case .giveUp = channel.interpret(.response(status: 404, body: []), of: req, now: 0) else {
            Issue.record("404 is a wrong url")
            return
        }
        guard case .wait = channel.interpret(.response(status: 429, body: []), of: req, now: 0) else {
            Issue.record("429")
            return
        }
    }
}

@Suite struct WeComAppTests {
    let channel = try! WeComAppChannel(
        settings: settings(
            "企业微信应用",
            kind: "wecom-app",
            url: "http://127.0.0.1:9/cgi-bin",
            options: ["corp-id": "ww0123456789abcdef", "agent-id": "1000002"]
        )
    )
    let person = ChannelRecipient.person(id: "wangwu", name: "王五", handle: "WangWu")
    let credentials = ChannelCredentials(secret: "app-secret")

    @Test func validatesItsOptionsWithPositions() {
        #expect(throws: ChannelSetupError.self) {
            try WeComAppChannel(
                settings: settings("x", kind: "wecom-app", options: ["corp-id": "ww01", "agent-id": "many"])
            )
        }
        do {
            _ = try WeComAppChannel(
                settings: settings("x", kind: "wecom-app", line: 30, options: ["corp-id": "ww 01/", "agent-id": "-3"])
            )
        } catch {
            #expect(error.diagnostics.count == 2)
            #expect(error.diagnostics.map(\.location.line) == [32, 32])
            #expect(error.diagnostics[1].message.zh.contains("agent-id"))
        }
    }

    @Test func rendersTextToOnePersonWithTheDuplicateCheck() {
        let r = channel.render(reminder(), to: person)
        #expect(r.destination == "wangwu")
        #expect(
            text(r.body).hasPrefix(
                #"{"touser":"WangWu","msgtype":"text","agentid":1000002,"text":{"content":"【党建提醒】外科第二党支部"#
            )
        )
        #expect(
            text(r.body).hasSuffix(
                #"登记完成情况：https://desk.example/r/abc123"},"enable_duplicate_check":1,"duplicate_check_interval":1800}"#
            )
        )
    }

    @Test func textStaysWithin2048Bytes() throws {
        for n in [1, 20, 60, 500] {
            let content = try #require(
                parsed(channel.render(digest(items: n), to: person).body)?["text"]?["content"]?.string
            )
            #expect(content.utf8.count <= 2048)
        }
    }

    @Test func fetchesATokenThenSendsAndRenewsWhenItGoesBad() {
        let r = channel.render(reminder(), to: person)
        guard
            case .request(let tokenRequest) = channel.nextRequest(
                for: r,
                credentials: credentials,
                token: nil,
                now: 1000
            )
        else {
            Issue.record("no token request")
            return
        }
        #expect(tokenRequest.purpose == .token)
        #expect(tokenRequest.http.method == .get)
        #expect(
            tokenRequest.http.url
                == "http://127.0.0.1:9/cgi-bin/gettoken?corpid=ww0123456789abcdef&corpsecret=app-secret"
        )
        #expect(
            tokenRequest.http.redactedURL
                == "http://127.0.0.1:9/cgi-bin/gettoken?corpid=ww0123456789abcdef&corpsecret=***"
        )
        let got = channel.interpret(
            response(#"{"errcode":0,"errmsg":"ok","access_token":"TOKEN1","expires_in":7200}"#),
            of: tokenRequest,
            now: 1000
        )
        #expect(got == .token(AccessToken(value: "TOKEN1", expiresAt: 1000 + 7200 - 60)))
        let token = AccessToken(value: "TOKEN1", expiresAt: 8140)
        guard case .request(let send) = channel.nextRequest(for: r, credentials: credentials, token: token, now: 8139)
        else {
            Issue.record("no send")
            return
        }
        #expect(send.http.url == "http://127.0.0.1:9/cgi-bin/message/send?access_token=TOKEN1")
        #expect(send.http.redactedURL == "http://127.0.0.1:9/cgi-bin/message/send?access_token=***")
        // At its expiry the cached token is not used: a new one first.
        guard case .request(let renew) = channel.nextRequest(for: r, credentials: credentials, token: token, now: 8140)
        else { return }
        #expect(renew.purpose == .token)
        for code in [42001, 40014, 41001] {
            guard
                case .renewToken = channel.interpret(
                    response(#"{"errcode":\#(code),"errmsg":"x"}"#),
                    of: send,
                    now: 2000
                )
            else {
                Issue.record("\(code)")
                continue
            }
        }
    }

    @Test func answersMapToOutcomes() {
        let send = ChannelRequest(.message, HTTPRequest(method: .post, url: URLWithQuery("http://x/message/send")))
        let token = ChannelRequest(.token, HTTPRequest(method: .get, url: URLWithQuery("http://x/gettoken")))
        guard
            case .delivered(_, let warning?) = channel.interpret(
                response(#"{"errcode":0,"errmsg":"ok","invaliduser":"ghost"}"#),
                of: send,
                now: 0
            )
        else {
            Issue.record("invaliduser")
            return
        }
        #expect(warning.zh.contains("ghost") && warning.zh.contains("people.yaml"))
        guard
            case .giveUp(let nobody) = channel.interpret(
                response(#"{"errcode":81013,"errmsg":"user & party & tag all invalid"}"#),
                of: send,
                now: 0
            )
        else {
            Issue.record("81013")
            return
        }
        #expect(nobody.zh.contains("企业微信应用“企业微信应用”（plankeeper.yaml:20:5）"))
        guard case .wait(61, _) = channel.interpret(response(#"{"errcode":45009,"errmsg":"freq"}"#), of: send, now: 0)
        else {
            Issue.record("45009")
            return
        }
        guard
            case .giveUp(let agent) = channel.interpret(
                response(#"{"errcode":40056,"errmsg":"invalid agentid"}"#),
                of: send,
                now: 0
            )
        else {
            Issue.record("40056")
            return
        }
        #expect(agent.en.contains("agent-id"))
        guard
            case .backOff(let ip, true) = channel.interpret(
                response(#"{"errcode":60020,"errmsg":"not allow to access from your ip"}"#),
                of: send,
                now: 0
            )
        else {
            Issue.record("60020")
            return
        }
        #expect(ip.zh.contains("可信 IP"))
        guard
            case .giveUp(let corp) = channel.interpret(
                response(#"{"errcode":40013,"errmsg":"invalid corpid"}"#),
                of: token,
                now: 0
            )
        else {
            Issue.record("40013")
            return
        }
        #expect(corp.en.contains("corp-id"))
        guard
            case .giveUp(let secret) = channel.interpret(
                response(#"{"errcode":40001,"errmsg":"invalid credential"}"#),
                of: token,
                now: 0
            )
        else {
            Issue.record("40001")
            return
        }
        #expect(secret.en.contains("secret-file"))
        guard case .backOff = channel.interpret(response(#"{"errcode":0,"errmsg":"ok"}"#), of: token, now: 0) else {
            Issue.record("a token answer without a token")
            return
        }
    }
}

@Suite struct DingTalkRobotTests {
    let channel = try! DingTalkRobotChannel(
        settings: settings("外科第二党支部群", kind: "dingtalk-robot", url: "http://127.0.0.1:9/robot/send")
    )
    let group = ChannelRecipient.group(name: "外科第二党支部群", mentions: [])

    /// Computed independently with the documented Python recipe (Tests/channels/standins.py sign).
    @Test func signatureMatchesAKnownVector() {
        #expect(
            DingTalkRobotChannel.signature(
                timestamp: 1_795_480_200_000,
                secret: "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"
            )
                == "GWEg6awyKRywLWJS6Q3VTScxvTHieCHYCW6WOBxs1Ac="
        )
        #expect(
            DingTalkRobotChannel.signature(timestamp: 1_700_000_000_000, secret: "this is secret")
                == "sSFWELbV2YwjdDQhWZwTcWlX5BWUx5J6TPpsZmuPii0="
        )
    }

    @Test func signedRequestURLEncodesTheSignature() {
        let r = channel.render(reminder(), to: group)
        let credentials = ChannelCredentials(token: "ding-token", secret: "SECabc")
        guard
            case .request(let req) = channel.nextRequest(
                for: r,
                credentials: credentials,
                token: nil,
                now: 1_795_480_208
            )
        else {
            Issue.record("no request")
            return
        }
        // xx6r+6lUYAn/U3VfxkokP5d/rZ2RZZC4AJcMulA9ZF8= (python3 standins.py sign 1795480208000 SECabc)
        #expect(
            req.http.url == "http://127.0.0.1:9/robot/send?access_token=ding-token&timestamp=1795480208000"
                + "&sign=xx6r%2B6lUYAn%2FU3VfxkokP5d%2FrZ2RZZC4AJcMulA9ZF8%3D"
        )
        #expect(
            req.http.redactedURL == "http://127.0.0.1:9/robot/send?access_token=***&timestamp=1795480208000&sign=***"
        )
        #expect(req.http.headers == ["Content-Type: application/json; charset=utf-8"])
        // Without 加签: no timestamp, no sign.
        guard
            case .request(let plain) = channel.nextRequest(
                for: r,
                credentials: ChannelCredentials(token: "t"),
                token: nil,
                now: 5
            )
        else { return }
        #expect(plain.http.url == "http://127.0.0.1:9/robot/send?access_token=t")
    }

    @Test func rendersMarkdownWithATitleAndUTF8AsIs() throws {
        let r = channel.render(reminder(), to: .group(name: "g", mentions: ["13800001111"]))
        let v = try #require(parsed(r.body))
        #expect(v["msgtype"]?.string == "markdown")
        #expect(v["markdown"]?["title"]?.string == reminder().title)
        #expect(
            v["markdown"]?["text"]?.string?.hasSuffix("[登记完成情况](https://desk.example/r/abc123)\n\n@13800001111") == true
        )
        #expect(v["at"] == .object([("atMobiles", .array([.string("13800001111")])), ("isAtAll", .bool(false))]))
        #expect(!text(r.body).contains("\\u"))
        #expect(text(r.body).contains("支部委员会会议"))
        let noMention = try #require(parsed(channel.render(reminder(), to: group).body))
        #expect(noMention["at"] == nil)
    }

    @Test func bodyStaysUnder20000BytesAtTheBoundary() throws {
        let wide = try DingTalkRobotChannel(settings: settings("g", kind: "dingtalk-robot", itemLimit: 100_000))
        var sizes: [Int] = []
        for n in [100, 300, 330, 340, 400, 1000] {
            let body = wide.render(digest(items: n), to: group).body
            #expect(body.count < 20_000)
            sizes.append(body.count)
        }
        // Full: within a line of the limit, not far below it.
        #expect(sizes.last.map { $0 > 19_800 } == true)
        // Quotes and newlines are escaped: measured as written.
        var m = digest(items: 2000)
        m.items = m.items.map { $0 + " \"引号\" \\ " }
        #expect(wide.render(m, to: group).body.count < 20_000)
    }

    @Test func aLongTitleIsCut() throws {
        let r = channel.render(reminder(title: String(repeating: "题", count: 500)), to: group)
        let title = try #require(parsed(r.body)?["markdown"]?["title"]?.string)
        #expect(title.count == 100 && title.hasSuffix("…"))
    }

    @Test func answersMapToOutcomes() {
        let req = ChannelRequest(.message, HTTPRequest(method: .post, url: URLWithQuery("http://x/robot/send")))
        #expect(
            channel.interpret(response(#"{"errcode":0,"errmsg":"ok"}"#), of: req, now: 0)
                == .delivered(answer: "errcode 0 (ok)", warning: nil)
        )
        guard
            case .wait(600, _) = channel.interpret(
                response(#"{"errcode":130101,"errmsg":"send too fast"}"#),
                of: req,
                now: 0
            )
        else {
            Issue.record("130101")
            return
        }
        guard
            case .giveUp(let sign) = channel.interpret(
                response(#"{"errcode":310000,"errmsg":"sign not match"}"#),
                of: req,
                now: 0
            )
        else {
            Issue.record("310000")
            return
        }
        #expect(sign.zh.contains("钉钉群机器人“外科第二党支部群”（plankeeper.yaml:20:5）"))
        #expect(sign.en.contains("secret-file"))
        guard
            case .giveUp = channel.interpret(
                response(#"{"errcode":300001,"errmsg":"token is not exist"}"#),
                of: req,
                now: 0
            )
        else {
            Issue.record("300001")
            return
        }
        guard
            case .giveUp = channel.interpret(
                response(#"{"errcode":460101,"errmsg":"message too long"}"#),
                of: req,
                now: 0
            )
        else {
            Issue.record("460101")
            return
        }
    }
}

@Suite struct RegistryTests {
    @Test func knowsTheBuiltInKinds() {
        #expect(ChannelKinds.standard.names == ["wecom-robot", "wecom-app", "dingtalk-robot"])
        #expect(ChannelKinds.standard.kind(named: "dingtalk-robot") == DingTalkRobotChannel.self)
        #expect(ChannelKinds.standard.kind(named: "feishu") == nil)
        #expect(WeComAppChannel.audience == .person(directoryField: "wecom"))
        #expect(WeComAppChannel.defaultLimits == [RateWindow(30, per: 60), RateWindow(1000, per: 3600)])
    }
}
