import Channels
import Config
import Diagnostics
import Testing
import Vocabulary

@Suite struct ChannelConfigTests {
    func parse(_ yaml: String, kinds: ChannelKinds = .standard) -> (DaemonConfig?, [String]) {
        let (config, diagnostics) = DaemonConfig.parse(
            Array(yaml.utf8),
            path: "/etc/plankeeper/plankeeper.yaml",
            channelKinds: kinds
        )
        return (config, diagnostics.map { $0.rendered(in: .en) })
    }

    @Test func readsTheIssueExample() throws {
        let (config, errors) = parse(
            """
            people: people.yaml
            channels:
              - name: 外科第二党支部群
                kind: dingtalk-robot
                token-file: /etc/plankeeper/secrets/surgery2.token
                secret-file: secrets/surgery2.secret
                plans: [surgery-2-2026]
                kinds: [due, overdue]
                mention: true
              - name: 企业微信应用
                kind: wecom-app
                corp-id: ww0123456789abcdef
                agent-id: 1000002
                secret-credential: wecom-app-secret
                limits: [30/1m, 1000/1h]
                give-up-after: 1d
            """
        )
        #expect(errors.isEmpty)
        let c = try #require(config)
        #expect(c.people == "/etc/plankeeper/people.yaml")
        #expect(c.channels.count == 2)
        let ding = c.channels[0]
        #expect(ding.name == "外科第二党支部群")
        #expect(type(of: ding.channel).kind == "dingtalk-robot")
        #expect(ding.channel.url == "https://oapi.dingtalk.com/robot/send")
        #expect(ding.token == .file("/etc/plankeeper/secrets/surgery2.token"))
        #expect(ding.secret == .file("/etc/plankeeper/secrets/surgery2.secret"))
        #expect(ding.plans == ["surgery-2-2026"] && ding.owners == nil)
        #expect(ding.kinds == [.due, .overdue] && ding.mention)
        #expect(ding.carries(.due, plan: "surgery-2-2026", owner: "x"))
        #expect(!ding.carries(.reminder, plan: "surgery-2-2026", owner: "x"))
        #expect(!ding.carries(.due, plan: "other", owner: "x"))
        #expect(
            ding.channel.settings.location
                == SourceLocation(file: "/etc/plankeeper/plankeeper.yaml", line: 3, column: 5)
        )
        let app = c.channels[1]
        #expect((app.channel as? WeComAppChannel)?.agentID == 1_000_002)
        #expect(app.channel.url == "https://qyapi.weixin.qq.com/cgi-bin")
        #expect(app.secret == .credential("wecom-app-secret"))
        #expect(app.kinds == [.reminder, .due, .overdue, .escalation])
        #expect(app.channel.limits == [RateWindow(30, per: 60), RateWindow(1000, per: 3600)])
        #expect(app.giveUpAfterMinutes == 1440)
    }

    @Test func aSecretInTheFileIsRefusedWhereItStands() {
        let (config, errors) = parse(
            """
            channels:
              - name: 群
                kind: wecom-robot
                token: 693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa
              - name: 群二
                kind: dingtalk-robot
                url: https://oapi.dingtalk.com/robot/send?access_token=abcdef
                token-file: t
            """
        )
        #expect(config == nil)
        #expect(
            errors.contains {
                $0.hasPrefix(
                    "/etc/plankeeper/plankeeper.yaml:4:5: error: a secret must not be written in the configuration ('token')"
                )
            }
        )
        #expect(
            errors.contains { $0.hasPrefix("/etc/plankeeper/plankeeper.yaml:7:10: error: url must not have a query") }
        )
        #expect(!errors.joined().contains("693a91f6"))
        #expect(!errors.joined().contains("abcdef"))
    }

    @Test func mistakesAtTheirPositions() {
        let (_, errors) = parse(
            """
            channels:
              - name: 群
                kind: dingtalk-robbot
              - name: 群
                kind: wecom-robot
              - name: 应用
                kind: wecom-app
                agent-id: abc
                secret-credential: /etc/secret
                mention: true
              - name: 群三
                kind: wecom-robot
                token-file: t
                secret-file: s
                kinds: [due, later]
                limits: [20/1d]
                plans: [a]
                owners: [b]
                colour: red
            """
        )
        #expect(
            errors.first
                == "/etc/plankeeper/plankeeper.yaml:3:11: error: unknown channel kind 'dingtalk-robbot'; did you mean 'dingtalk-robot'?"
        )
        #expect(
            errors.contains(
                "/etc/plankeeper/plankeeper.yaml:4:11: error: duplicate channel name '群' (first written at line 2, column 11)"
            )
        )
        #expect(
            errors.contains(
                "/etc/plankeeper/plankeeper.yaml:4:5: error: a WeCom group robot needs token-file or token-credential: the part after key= in the robot's webhook address"
            )
        )
        #expect(
            errors.contains(
                "/etc/plankeeper/plankeeper.yaml:6:5: error: a WeCom application needs corp-id: the corp ID (admin console, My Company), e.g. ww0123456789abcdef"
            )
        )
        #expect(
            errors.contains(
                "/etc/plankeeper/plankeeper.yaml:9:24: error: secret-credential is a systemd credential name (as in LoadCredential=), not a path"
            )
        )
        #expect(errors.contains("/etc/plankeeper/plankeeper.yaml:10:14: error: mention applies to group robots only"))
        #expect(errors.contains("/etc/plankeeper/plankeeper.yaml:14:5: error: a WeCom group robot takes no secret"))
        #expect(
            errors.contains(
                "/etc/plankeeper/plankeeper.yaml:15:18: error: unknown notice kind 'later'; expected one of: reminder, due, overdue, escalation, digest, backlog, report"
            )
        )
        #expect(
            errors.contains(
                "/etc/plankeeper/plankeeper.yaml:16:14: error: limit '20/1d' is not valid; write count/duration, e.g. 20/1m or 1000/1h"
            )
        )
        #expect(errors.contains("/etc/plankeeper/plankeeper.yaml:17:5: error: set plans or owners, not both"))
        #expect(
            errors.contains("/etc/plankeeper/plankeeper.yaml:19:5: error: unknown key 'colour'; did you mean 'url'?")
                || errors.contains { $0.hasPrefix("/etc/plankeeper/plankeeper.yaml:19:5: error: unknown key 'colour'") }
        )
    }

    @Test func kindOptionsAreCheckedByTheKind() {
        let (_, errors) = parse(
            """
            channels:
              - name: 应用
                kind: wecom-app
                corp-id: ww01
                agent-id: "0"
                secret-file: s
            """
        )
        #expect(
            errors == [
                "/etc/plankeeper/plankeeper.yaml:5:15: error: agent-id must be the application's AgentId (a positive whole number), not '0'"
            ]
        )
    }

    @Test func noChannelsIsMailAsToday() throws {
        let (config, errors) = parse("send-at: \"08:30\"\n")
        #expect(errors.isEmpty)
        #expect(try #require(config).channels.isEmpty)
        #expect(try #require(parse("channels:\n").0).channels.isEmpty)
    }
}
