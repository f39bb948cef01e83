import Config
@testable import Daemon
import Foundation
import Ledger
import Logging
import Notices
import Outbox
import PlanFiles
import PlankeeperTestSupport
import Scheduling
import Spool
import Testing
import Vocabulary
import WorkCalendar

@Suite struct MessageComposerTests {
    /// A reminder caught up after the service was down says how many working
    /// days are really left, not how many were left on its own date.
    @Test func aCaughtUpReminderCountsTheDaysLeftFromToday() throws {
        let dir = try Scratch()
        try dir.write(
            "plans/a.yaml",
            """
            id: a-2026
            owner: 外科第二党支部
            year: 2026
            contacts:
              secretary: 王五 <wangwu@hospital.example>
            defaults:
              remind: [5wd]
              notify: [secretary]
            items:
              - id: committee
                title: 支部委员会会议
                every: month
                due: 25

            """
        )
        var config = DaemonConfig()
        config.plans = dir.path + "/plans"
        config.state = dir.path + "/state"
        config.spool = dir.path + "/spool"
        config.mail.transport = .none
        let tick = TickRunner(
            config: config,
            ledger: try Ledger.open(folder: config.state),
            spool: try Spool(directory: config.spool),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        )
        var state = PlanState()
        _ = state.reload(
            folder: config.plans,
            holidays: nil,
            window: CivilDate(iso: "2026-11-01")!...CivilDate(iso: "2027-10-31")!
        )
        // The 5-working-day reminder of Wednesday 11-25 is dated Wednesday 11-18; the
        // service was down until Monday 11-23 09:00 (+08:00): 11-24 and 11-25 are left.
        let monday = try #require(ISO8601DateFormatter().date(from: "2026-11-23T09:00:00+08:00"))
        let report = try tick.run(plans: state.plans, calendar: state.calendar, at: monday, dryRun: true)
        let reminder = try #require(report.sent.first { $0.kind == .reminder && $0.occurrence.period == "2026-11" })
        #expect(reminder.date == CivilDate(iso: "2026-11-18"))
        let composer = MessageComposer(
            config: config,
            policy: tick.policy(state.calendar),
            today: CivilDate(iso: "2026-11-23")!
        )
        let message = composer.notice(reminder, plan: state.plans[0], doneCount: 0)
        #expect(message.subject.hasSuffix("还有 2 个工作日"), "\(message.subject)")
    }
}
