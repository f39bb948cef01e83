import ArgumentParser
import Config
import Daemon
import PlanFiles
import Foundation
import Logging
import WebDesk

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "网页工作台：待办、登记、台账、督导 (the web desk: to-do, records, ledger, supervision).",
        discussion: """
            Serves the web desk on web.listen (default 127.0.0.1:8470), or on the socket systemd
            passes in (plankeeper-web.socket). It reads the same plans as the daemon (and reloads
            them when a file changes, or on SIGHUP) and writes the same ledger. People sign in with
            a one-time link mailed through the spool, so set web.url to the address they open
            (behind nginx with TLS: docs/operations.md). SIGTERM or SIGINT stop it gracefully.

            示例 (example):
              plankeeper serve --config config/local.yaml
            """
    )

    @OptionGroup var options: ConfigOptions

    @Option(
        help: ArgumentHelp(
            "假定启动时刻 (pretend it is this moment at start; time runs on from it; for tests).",
            valueName: "YYYY-MM-DDTHH:MM"
        )
    )
    var now: String?

    func run() async throws {
        let config = try options.load()
        var offset: TimeInterval = 0
        if let now {
            guard let instant = LocalClock(identifier: config.timezone).parseInstant(now) else {
                throw ValidationError("--now takes YYYY-MM-DDTHH:MM, not '\(now)'")
            }
            offset = instant.timeIntervalSinceNow
        }
        Logs.bootstrap()
        let logger = Logger(label: "plankeeper")
        do {
            try await DeskRunner.run(config: config, logger: logger, clockOffset: offset, evidence: DeskEvidence.make)
        } catch let error as DeskRunner.StartError {
            Terminal.error("plankeeper: error: \(error.description)")
            throw ExitCode(1)
        }
    }
}
