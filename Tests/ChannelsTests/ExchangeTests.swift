import Channels
import Testing

/// A service in a closure: answers in order, requests kept.
final class FakeService: @unchecked Sendable {
    var answers: [HTTPResult]
    var seen: [HTTPRequest] = []

    init(_ answers: [HTTPResult]) { self.answers = answers }

    func perform(_ request: HTTPRequest) -> HTTPResult {
        seen.append(request)
        return answers.isEmpty ? .failure(HTTPFailure(.connect, "no more answers")) : answers.removeFirst()
    }
}

@Suite struct ExchangeTests {
    let app = try! WeComAppChannel(
        settings: settings(
            "app",
            kind: "wecom-app",
            url: "http://s/cgi-bin",
            options: ["corp-id": "ww01", "agent-id": "1000002"]
        )
    )
    let person = ChannelRecipient.person(id: "wangwu", name: "王五", handle: "wangwu")
    let credentials = ChannelCredentials(secret: "s3cret")

    @Test func fetchesATokenOnceAndReusesIt() {
        let service = FakeService([
            response(#"{"errcode":0,"errmsg":"ok","access_token":"T1","expires_in":7200}"#),
            response(#"{"errcode":0,"errmsg":"ok"}"#), response(#"{"errcode":0,"errmsg":"ok"}"#),
        ])
        let message = app.render(reminder(), to: person)
        let first = ChannelExchange.run(
            message,
            through: app,
            credentials: credentials,
            token: nil,
            now: 100,
            perform: service.perform
        )
        #expect(first.outcome == .delivered(answer: "errcode 0 (ok)", warning: nil))
        #expect(first.token == AccessToken(value: "T1", expiresAt: 100 + 7140))
        #expect(first.messageRequests == 1)
        #expect(
            first.requests == [
                "GET http://s/cgi-bin/gettoken?corpid=ww01&corpsecret=***",
                "POST http://s/cgi-bin/message/send?access_token=***",
            ]
        )
        let second = ChannelExchange.run(
            message,
            through: app,
            credentials: credentials,
            token: first.token,
            now: 7000,
            perform: service.perform
        )
        #expect(second.outcome == .delivered(answer: "errcode 0 (ok)", warning: nil))
        #expect(service.seen.count == 3)
        #expect(service.seen[2].url.hasSuffix("access_token=T1"))
    }

    @Test func renewsOnceOn42001AndSendsAgain() {
        let service = FakeService([
            response(#"{"errcode":42001,"errmsg":"access_token expired"}"#),
            response(#"{"errcode":0,"errmsg":"ok","access_token":"T2","expires_in":7200}"#),
            response(#"{"errcode":0,"errmsg":"ok"}"#),
        ])
        let r = ChannelExchange.run(
            app.render(reminder(), to: person),
            through: app,
            credentials: credentials,
            token: AccessToken(value: "T1", expiresAt: 9999),
            now: 100,
            perform: service.perform
        )
        #expect(r.outcome == .delivered(answer: "errcode 0 (ok)", warning: nil))
        #expect(r.token?.value == "T2")
        #expect(r.messageRequests == 2)
        #expect(service.seen.map(\.method) == [.post, .get, .post])
    }

    @Test func aFreshTokenRefusedAgainIsABackOffNotALoop() {
        let service = FakeService([
            response(#"{"errcode":40014,"errmsg":"invalid"}"#),
            response(#"{"errcode":0,"errmsg":"ok","access_token":"T2","expires_in":7200}"#),
            response(#"{"errcode":40014,"errmsg":"invalid"}"#),
            response(#"{"errcode":0,"errmsg":"ok"}"#),
        ])
        let r = ChannelExchange.run(
            app.render(reminder(), to: person),
            through: app,
            credentials: credentials,
            token: AccessToken(value: "T1", expiresAt: 9999),
            now: 100,
            perform: service.perform
        )
        guard case .backOff(_, true) = r.outcome else {
            Issue.record("\(r.outcome)")
            return
        }
        #expect(r.token == nil)
        #expect(service.seen.count == 3)
    }

    @Test func aTokenRefusalStopsBeforeTheMessage() {
        let service = FakeService([response(#"{"errcode":40001,"errmsg":"invalid credential"}"#)])
        let r = ChannelExchange.run(
            app.render(reminder(), to: person),
            through: app,
            credentials: credentials,
            token: nil,
            now: 0,
            perform: service.perform
        )
        guard case .giveUp = r.outcome else {
            Issue.record("\(r.outcome)")
            return
        }
        #expect(r.messageRequests == 0)
    }

    @Test func noSecretNoRequest() {
        let service = FakeService([])
        let r = ChannelExchange.run(
            app.render(reminder(), to: person),
            through: app,
            credentials: ChannelCredentials(),
            token: nil,
            now: 0,
            perform: service.perform
        )
        guard case .backOff(_, true) = r.outcome else {
            Issue.record("\(r.outcome)")
            return
        }
        #expect(service.seen.isEmpty)
    }

    @Test func robotsNeedNoToken() {
        let robot = try! DingTalkRobotChannel(
            settings: settings("g", kind: "dingtalk-robot", url: "http://s/robot/send")
        )
        let service = FakeService([response(#"{"errcode":0,"errmsg":"ok"}"#)])
        let r = ChannelExchange.run(
            robot.render(reminder(), to: .group(name: "g", mentions: [])),
            through: robot,
            credentials: ChannelCredentials(token: "t", secret: "SECabc"),
            token: nil,
            now: 1_795_480_208,
            perform: service.perform
        )
        #expect(r.outcome == .delivered(answer: "errcode 0 (ok)", warning: nil))
        #expect(r.token == nil)
        #expect(service.seen.first?.url.contains("timestamp=1795480208000&sign=") == true)
    }
}
