import Config
import Foundation
import Journal
import Ledger
import Logging
import MailFormat
import Notices
import PlanFormat
import Reports
import Scheduling
import Spool
import WorkCalendar

/// Spools the configured period reports (`reports:` in the configuration)
/// on the first working day after each period ends, at `send-at`, exactly
/// once.
///
/// Exactly once without extra state: each mail's spool name is derived from
/// the report kind, the period, the format and the recipients, and the spool
/// never writes a name it already holds. Every tick asks which reports fell
/// due within the last `catch-up` days (`ScheduledReports`), so a service
/// that was down on the send day still sends on its return, and one that ran
/// every minute of that day still sends once. A report already in the spool
/// is not even rendered again.
///
/// The figures are as of the day the mail is built (normally the send day),
/// so records entered on the morning of the send day still count.
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
        public var period: ReportPeriod
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

    static func kind(_ p: DaemonConfig.ReportSchedule.Period) -> Period {
        switch p {
        case .month: .month
        case .quarter: .quarter
        case .halfYear: .halfYear
        case .year: .year
        }
    }

    /// The reports due at `now` (and within the catch-up window), as mail.
    /// Pure apart from asking the spool which names it already holds.
    public func due(plans: [Plan], calendar: WorkdayCalendar, completions: [Completion], now: LocalTime, at instant: Date) -> (mail: [Mail], already: Int, next: LocalTime?) {
        guard !config.reports.isEmpty else { return ([], 0, nil) }
        // Before send-at, today's reports are not due yet.
        let lastDay = now.minute >= config.sendAt ? now.date : now.date.adding(days: -1)
        let catchUpDays = config.catchUpMinutes / 1440
        let expander = ScheduleExpander(calendar: calendar)
        var occurrences: [Occurrence]?
        var mail: [Mail] = []
        var already = 0
        var next: LocalTime?
        for entry in config.reports {
            let schedule = ScheduledReports(kinds: [Self.kind(entry.period)], calendar: calendar)
            if let n = schedule.next(after: lastDay) {
                let t = LocalTime(date: n.date, minute: config.sendAt)
                next = next.map { min($0, t) } ?? t
            }
            for period in schedule.due(through: lastDay, catchUpDays: catchUpDays) {
                let name = Self.spoolName(entry, period: period)
                if spool.contains(name: name) {
                    already += 1
                    continue
                }
                if occurrences == nil { occurrences = plans.flatMap { expander.occurrences(of: $0) } }
                var units: [String: [String]] = [:]
                for p in plans where !p.units.isEmpty { units[p.id] = p.units }
                let report = PeriodReport(period: period, occurrences: occurrences ?? [], completions: completions,
                                          calendar: calendar, asOf: now.date, units: units)
                mail.append(compose(entry, report: report, name: name, at: instant))
            }
        }
        return (mail, already, next)
    }

    /// Builds and spools the due reports, logging each to the journal.
    public func run(plans: [Plan], calendar: WorkdayCalendar, ledger: Ledger, now: LocalTime, at instant: Date, dryRun: Bool = false) throws -> Outcome {
        guard !config.reports.isEmpty else { return Outcome() }
        var completions: [Completion] = []
        for r in try ledger.records() {
            if let d = CivilDate(iso: r.doneOn) {
                completions.append(Completion(plan: r.plan, item: r.item, period: r.period, doneOn: d, by: r.by, note: r.note))
            }
        }
        let (mail, already, next) = due(plans: plans, calendar: calendar, completions: completions, now: now, at: instant)
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
            logger.notice("\(m.subject) → \(m.recipients.joined(separator: ", "))", metadata: [
                "plankeeper_kind": "report", "plankeeper_period": .string(m.period.label),
                "plankeeper_recipient": .string(m.recipients.joined(separator: ",")),
                "message_id": .string(MessageID.report), "priority": "6",
            ])
        }
        return outcome
    }

    /// `report_quarter_2026-Q4_html__<hash>`: readable with `ls`, and
    /// distinct per kind, period, format, language and recipient list
    /// (addresses compared without case or order), so two entries never
    /// collide and an edit that only reorders recipients does not mail again.
    /// The language is part of the name only when the entry sets it, so
    /// changing the configuration-wide language does not resend.
    static func spoolName(_ entry: DaemonConfig.ReportSchedule, period: ReportPeriod) -> String {
        let recipients = entry.to.map { $0.address.lowercased() }.sorted().joined(separator: ",")
        return SpoolName.make(plan: "report", item: entry.period.rawValue, period: period.label, kind: entry.format.rawValue,
                              offset: entry.language?.rawValue ?? "", recipient: recipients)
    }

    func compose(_ entry: DaemonConfig.ReportSchedule, report: PeriodReport, name: String, at instant: Date) -> Mail {
        let lang = entry.language ?? config.mailLanguage
        let l: ReportLanguage = lang == .en ? .en : .zh
        let subject = ReportRenderer.subject(report, language: l)
        var attachment: ReportMail.Attachment?
        switch entry.format {
        case .html:
            let fileName = ReportRenderer.fileName(report, language: l, extension: "html")
            attachment = ReportMail.Attachment(fileName: fileName, mediaType: "text/html",
                                               bytes: Array(ReportRenderer.html(report, language: l, organisation: entry.organisation).utf8))
        case .csv:
            let fileName = ReportRenderer.fileName(report, language: l, extension: "csv")
            attachment = ReportMail.Attachment(fileName: fileName, mediaType: "text/csv", bytes: Array(ReportRenderer.csv(report, language: l).utf8))
        case .text:
            attachment = nil
        }
        let body = entry.format == .text
            ? ReportRenderer.text(report, language: l, colour: false)
            : ReportRenderer.mailSummary(report, language: l, attachment: attachment?.fileName)
        let from = Self.mailbox(config.mail.from)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let domain = from.address.split(separator: "@").last.map(String.init) ?? "localhost"
        let envelope = MailEnvelope(from: from, to: entry.to.map { Mailbox(name: $0.name, address: $0.address) },
                                    date: clock.rfc5322(instant), messageID: "\(String(hash, radix: 16)).report.plankeeper@\(domain)")
        let bytes = ReportMail.message(envelope: envelope, subject: subject, text: body, attachment: attachment, key: name, extraHeaders: [
            ("X-Plankeeper-Kind", "report"), ("X-Plankeeper-Period", report.period.label),
        ])
        return Mail(name: name, subject: subject, period: report.period, recipients: entry.to.map(\.address), bytes: bytes)
    }

    static func mailbox(_ text: String) -> Mailbox {
        if let open = text.lastIndex(of: "<"), text.hasSuffix(">") {
            let name = text[..<open].trimmingCharacters(in: .whitespaces)
            return Mailbox(name: name, address: String(text[text.index(after: open)..<text.index(before: text.endIndex)]))
        }
        return Mailbox(name: "plankeeper", address: text)
    }
}
