import Config
import Diagnostics
import Foundation
import Journal
import Ledger
import Logging
import Notices
import PlanFiles
import PlanFormat
import Scheduling
import ServiceLifecycle
import Spool
import Vocabulary
import WorkCalendar

/// `plankeeper run`: loads the plans, tells systemd it is ready, then sleeps
/// until the next notice is due, a plan file changes, the wall clock is set,
/// or SIGHUP asks for a reload. SIGTERM/SIGINT end it gracefully (the
/// service group's graceful shutdown), never in the middle of a tick.
public final class DaemonService: Service, @unchecked Sendable {
    let config: DaemonConfig
    let runner: TickRunner
    let logger: Logger
    let notifier: SystemdNotifier
    /// Injected so tests can run the loop on a clock and with wake-ups they
    /// move by hand.
    let clock: any ServiceClock
    let wakeups: any WakeupSource
    private var state = PlanState()
    private var lastHolidayWarning: CivilDate?
    /// Consecutive failed ticks, for the retry's back-off.
    private var failedTicks = 0
    /// The long-past plans last logged as skipped: logged again only when they change.
    private var loggedRetired: [String] = []

    public init(
        config: DaemonConfig,
        ledger: Ledger,
        spool: Spool,
        logger: Logger,
        notifier: SystemdNotifier = SystemdNotifier(),
        clock: any ServiceClock = SystemClock(),
        wakeups: any WakeupSource = SystemWakeups()
    ) {
        self.config = config
        self.runner = TickRunner(config: config, ledger: ledger, spool: spool, logger: logger)
        self.logger = logger
        self.notifier = notifier
        self.clock = clock
        self.wakeups = wakeups
    }

    public func run() async throws {
        let (events, continuation) = AsyncStream.makeStream(of: WakeEvent.self, bufferingPolicy: .bufferingNewest(16))
        let alarm = try wakeups.start(watching: config.plans, logger: logger) { continuation.yield($0) }

        reload(initial: true)
        cycle(alarm: alarm)
        notifier.ready()
        logger.notice(
            "plankeeper started: \(state.plans.count) plans from \(config.plans)",
            metadata: [
                JournalField.messageID: .string(MessageID.daemonStarted),
                JournalField.plans: .string(String(state.plans.count)),
            ]
        )

        try await withThrowingTaskGroup(of: Void.self) { group in
            if let interval = notifier.watchdogInterval() {
                group.addTask { [notifier, clock] in
                    while !Task.isCancelled {
                        notifier.watchdog()
                        await clock.sleep(for: interval)
                    }
                }
            }
            group.addTask { [self] in
                for await event in events.cancelOnGracefulShutdown() {
                    switch event {
                    case .alarm, .clockChanged:
                        if event == .clockChanged {
                            logger.notice(
                                "the wall clock was set; recomputing the next notice",
                                metadata: [JournalField.priority: "5"]
                            )
                        }
                    case .plansChanged, .reload:
                        notifier.reloading()
                        reload(initial: false)
                    }
                    cycle(alarm: alarm)
                    // RELOADING=1 puts the unit in "reloading" until READY=1
                    // comes (systemd 252 too): without it every later
                    // `systemctl reload` waits for the reload timeout.
                    if event == .plansChanged || event == .reload { notifier.ready() }
                }
            }
            // The event loop ends on graceful shutdown; then stop the others.
            _ = try await group.next()
            group.cancelAll()
        }
        continuation.finish()
        alarm.stop()
        notifier.stopping()
        logger.notice("plankeeper stopping", metadata: [JournalField.messageID: .string(MessageID.daemonStopping)])
    }

    private func window() -> ClosedRange<CivilDate> {
        let today = runner.clock.local(clock.now()).date
        return today...today.adding(days: 366)
    }

    func reload(initial: Bool) {
        let report = state.reload(folder: config.plans, holidays: config.holidays, window: window(), diff: !initial)
        for d in report.diagnostics {
            var metadata: Logger.Metadata = [
                JournalField.file: .string(d.location.file), JournalField.line: .string(String(d.location.line)),
                JournalField.column: .string(String(d.location.column)),
                JournalField.messageID: .string(MessageID.planError),
            ]
            let text = d.rendered(in: config.language)
            if d.severity == .error {
                if report.keptOld.contains(d.location.file) {
                    metadata[JournalField.keptOld] = "true"
                }
                let kept =
                    report.keptOld.contains(d.location.file) ? Texts.previousVersionStays.text(in: config.language) : ""
                logger.error("\(text)\(kept)", metadata: metadata)
            } else {
                logger.warning("\(text)", metadata: metadata)
            }
        }
        guard !initial else { return }
        var lines: [String] = []
        for change in report.diff.changes {
            switch change {
            case .added(let o): lines.append("+ \(o.planID)/\(o.itemID) \(o.period) \(o.due) \(o.title)")
            case .removed(let o): lines.append("- \(o.planID)/\(o.itemID) \(o.period) \(o.due) \(o.title)")
            case .moved(let a, let b):
                lines.append("~ \(b.planID)/\(b.itemID) \(b.period) \(a.due) → \(b.due) \(b.title)")
            case .retitled(let a, let b): lines.append("~ \(b.planID)/\(b.itemID) \(b.period) \(a.title) → \(b.title)")
            }
        }
        let summary = Texts.reloaded(
            plans: report.planCount,
            filesParsed: report.filesParsed,
            changes: report.diff.changes.count
        )
        .text(in: config.language)
        logger.notice(
            "\(([summary] + lines.prefix(200)).joined(separator: "\n"))",
            metadata: [
                JournalField.messageID: .string(MessageID.planReloaded),
                JournalField.changes: .string(String(report.diff.changes.count)),
            ]
        )
    }

    /// Runs a tick, then arms the alarm for the next notice.
    func cycle(alarm: any WakeupAlarm) {
        let instant = clock.now()
        var next: LocalTime?
        var retry: Date?
        do {
            let report = try runner.run(plans: state.plans, calendar: state.calendar, at: instant)
            next = report.next
            failedTicks = 0
            if report.retired != loggedRetired {
                loggedRetired = report.retired
                if !report.retired.isEmpty {
                    logger.info(
                        "\(TickRunner.retiredLine(report.retired, horizonDays: config.overdueHorizonDays, language: config.language))",
                        metadata: [JournalField.priority: "6"]
                    )
                }
            }
        } catch {
            // Try again soon, then less often: a locked database passes in
            // seconds, a full disk when the admin frees space (5 s, 10 s,
            // 20 s, 40 s, then every minute).
            let delay = min(60, 5 << min(failedTicks, 4))
            failedTicks += 1
            logger.error("tick failed: \(error); retrying in \(delay) s", metadata: [JournalField.priority: "3"])
            retry = instant.addingTimeInterval(TimeInterval(delay))
        }
        let today = runner.clock.local(instant).date
        warnAboutNextYearsHolidays(today: today)
        // From November on, wake daily for the holiday-list warning.
        if today.month >= 11, !state.calendar.hasOfficialList(for: today.year + 1) {
            let tomorrow = LocalTime(date: today.adding(days: 1), minute: config.sendAt)
            next = next.map { min($0, tomorrow) } ?? tomorrow
        }
        // Nothing scheduled: still arm far ahead, so a clock change is noticed.
        var target = next.map { runner.clock.instant($0) } ?? instant.addingTimeInterval(86400 * 30)
        if let retry { target = min(target, retry) }
        alarm.arm(target)
        var nextText = next.map(\.description) ?? Texts.noNextNotice.text(in: config.language)
        if let retry {
            nextText = Texts.retrying(inSeconds: Int(retry.timeIntervalSince(instant))).text(in: config.language)
        }
        notifier.status(Texts.status(plans: state.plans.count, next: nextText).text(in: config.language))
    }

    func warnAboutNextYearsHolidays(today: CivilDate) {
        guard today.month >= 11, !state.calendar.hasOfficialList(for: today.year + 1), lastHolidayWarning != today
        else { return }
        lastHolidayWarning = today
        let folder = config.holidays ?? "/etc/plankeeper/holidays"
        logger.warning(
            "\(Texts.holidayListMissing(year: today.year + 1, folder: folder).text(in: config.language))",
            metadata: [
                JournalField.messageID: .string(MessageID.holidayListMissing), JournalField.priority: "4",
            ]
        )
    }
}
