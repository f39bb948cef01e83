import Config
import Diagnostics
import Testing
import Vocabulary

@Suite struct WebConfigTests {
    func parse(_ yaml: String) -> (DaemonConfig?, [Diagnostic]) {
        DaemonConfig.parse(Array(yaml.utf8), path: "/etc/plankeeper/plankeeper.yaml")
    }

    @Test func defaultsWithoutAWebSection() throws {
        let config = try #require(parse("language: zh\n").0)
        #expect(config.web.host == "127.0.0.1" && config.web.port == 8470)
        #expect(config.web.url == nil && !config.web.isHTTPS)
        #expect(config.web.signInLinkSeconds == 900 && config.web.sessionIdleSeconds == 30 * 86_400)
    }

    @Test func everyKey() throws {
        let (config, diagnostics) = parse(
            """
            web:
              listen: "[::1]:9000"
              url: https://dangjian.hospital.example/
              admins: [信息科 <IT@hospital.example>, root@hospital.example]
              proxies: [10.0.0.1]
              session-idle: 7d
              sign-in-link: 10m
              limits:
                upload-size: 5MB
                uploads: 3
                request-size: 16MB
                sign-in-per-address: 2/30m
                sign-in-per-client: 10/1h
                ledger-wait: 1500ms
            """
        )
        #expect(diagnostics.isEmpty)
        let web = try #require(config?.web)
        #expect(web.host == "::1" && web.port == 9000)
        #expect(web.url == "https://dangjian.hospital.example" && web.isHTTPS)
        #expect(web.admins == ["it@hospital.example", "root@hospital.example"])
        #expect(web.proxies == ["10.0.0.1"])
        #expect(web.sessionIdleSeconds == 7 * 86_400 && web.signInLinkSeconds == 600)
        #expect(web.limits.uploadBytes == 5 << 20 && web.limits.uploads == 3 && web.limits.requestBytes == 16 << 20)
        #expect(web.limits.signInPerAddress == .init(count: 2, seconds: 1800))
        #expect(web.limits.signInPerClient == .init(count: 10, seconds: 3600))
        #expect(web.limits.ledgerWaitMilliseconds == 1500)
    }

    @Test func mistakesArePositioned() {
        let (config, diagnostics) = parse(
            """
            web:
              listen: 8470
              url: ftp://x
              limits:
                upload-size: lots
                sign-in-per-address: often
              admin: [x@y.example]
            """
        )
        #expect(config == nil)
        let lines = diagnostics.map { "\($0.location.line):\($0.location.column)" }
        #expect(lines.contains("2:11"))  // listen
        #expect(lines.contains("3:8"))  // url
        #expect(lines.contains("5:18"))  // upload-size
        #expect(lines.contains("6:26"))  // sign-in-per-address
        #expect(lines.contains("7:3"))  // admin → admins
        #expect(diagnostics.contains { $0.message.en.contains("did you mean 'admins'") })
    }
}
