import Config
import Foundation
import Journal
import Ledger
import Logging
import Outbox
import PlanFiles
import PlanFormat
import Reports
import Scheduling
import Spool
import Vocabulary
import WorkCalendar

/// Spools the configured period reports (`reports:` in the configuration)
/// that `ReportMailComposer` finds due, exactly once, logging each to the
/// journal: the edge around the pure composer (the ledger's records in, the
/// spool and the journal out).
public struct ScheduledReportMailer: Sendable {
    public var config: DaemonConfig
    public var clock: LocalClock
    public var spool: Spool
    public var logger: Logger

    public init(config: DaemonConfig, clock: LocalClock, spool: Spool, logger: Logger = Logger(label: "plankeeper")) {
        self.config = config
        self.clock = clock
        self.spool = spool
        self.logger = logger
    }

    /// One report mail, built or spooled.
    public struct Mail: Sendable {
        public var name: String
        public var subject: String
        public var period: PeriodLabel
        public var recipients: [String]
        public var bytes: [UInt8]
    }

    public struct Outcome: Sendable {
        /// Spooled now (or, in a dry run, that would be).
        public var spooled: [Mail] = []
        /// Due but found in the spool already.
        public var alreadySpooled = 0
        /// When the next report falls due (send-at on its send day).
        public var next: LocalTime?
    }

    /// The reports due at `now` (and within the catch-up window), as mail.
    /// Pure apart from asking the spool which names it already holds.
    public func due(
        plans: [Plan],
        calendar: WorkdayCalendar,
        completions: [Completion],
        now: LocalTime,
        at instant: Date,
        isHistory: (@Sendable (Occurrence) -> Bool)? = nil
    ) -> (mail: [Mail], already: Int, next: LocalTime?) {
        let (due, already, next) = ReportMailComposer(config: config).due(
            plans: plans,
            calendar: calendar,
            completions: completions,
            now: now,
            isSpooled: { spool.contains(name: $0) },
            isHistory: isHistory
        )
        let date = clock.rfc5322(instant)
        let mail = due.map { d in
            Mail(
                name: d.message.name,
                subject: d.message.subject,
                period: d.period,
                recipients: d.message.to.map(\.address),
                bytes: d.message.mail(date: date)
            )
        }
        return (mail, already, next)
    }

    /// Builds and spools the due reports, logging each to the journal.
    public func run(
        plans: [Plan],
        calendar: WorkdayCalendar,
        ledger: Ledger,
        now: LocalTime,
        at instant: Date,
        dryRun: Bool = false,
        isHistory: (@Sendable (Occurrence) -> Bool)? = nil
    ) throws -> Outcome {
        guard !config.reports.isEmpty else { return Outcome() }
        var completions: [Completion] = []
        for r in try ledger.records() {
            if let d = CivilDate(iso: r.doneOn) {
                completions.append(
                    Completion(
                        plan: r.plan,
                        item: r.item,
                        period: r.period,
                        doneOn: d,
                        by: r.by,
                        note: r.note,
                        source: r.source,
                        evidence: r.evidence.count
                    )
                )
            }
        }
        let (mail, already, next) = due(
            plans: plans,
            calendar: calendar,
            completions: completions,
            now: now,
            at: instant,
            isHistory: isHistory
        )
        var outcome = Outcome(alreadySpooled: already, next: next)
        for m in mail {
            if dryRun {
                outcome.spooled.append(m)
                continue
            }
            switch try spool.spool(name: m.name, bytes: m.bytes) {
            case .written: outcome.spooled.append(m)
            case .alreadySpooled: outcome.alreadySpooled += 1
            }
            logger.notice(
                "\(m.subject) → \(m.recipients.joined(separator: ", "))",
                metadata: [
                    JournalField.kind: .string(NoticeKind.report.rawValue),
                    JournalField.period: .string(m.period.label),
                    JournalField.recipient: .string(m.recipients.joined(separator: ",")),
                    JournalField.messageID: .string(MessageID.report), JournalField.priority: "6",
                ]
            )
        }
        return outcome
    }
}
