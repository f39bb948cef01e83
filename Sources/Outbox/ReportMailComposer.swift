import Config
import PlanFormat
import Reports
import Scheduling
import Vocabulary
import WorkCalendar

/// The configured period reports (`reports:` in the configuration) that are
/// due, as outgoing messages: on the first working day after each period
/// ends, at `send-at`, within the catch-up window.
///
/// Exactly once without extra state: each message's spool name is derived
/// from the report kind, the period, the format and the recipients, and a
/// name the spool already holds is neither rendered nor sent again. Pure: the
/// caller says which names the spool holds (`isSpooled`), spools, and logs.
///
/// The figures are as of the day the message is built (normally the send
/// day), so records entered on the morning of the send day still count.
public struct ReportMailComposer: Sendable {
    public var config: DaemonConfig

    public init(config: DaemonConfig) { self.config = config }

    /// One report message and the period it covers.
    public struct Due: Sendable {
        public var message: OutboxMessage
        public var period: PeriodLabel
    }

    /// The reports due at `now` (and within the catch-up window) that the
    /// spool does not hold yet, how many it holds already, and when the next
    /// report falls due (send-at on its send day).
    /// - Parameter isHistory: which occurrences are history (shown 未跟踪 in
    ///   the report, issue 15). A period with no occurrence at all (2026
    ///   plans left in the folder in 2028) gets no report: a mail saying
    ///   nothing is still a mail.
    public func due(
        plans: [Plan],
        calendar: WorkdayCalendar,
        completions: [Completion],
        now: LocalTime,
        isSpooled: (String) -> Bool,
        isHistory: (@Sendable (Occurrence) -> Bool)? = nil
    ) -> (due: [Due], already: Int, next: LocalTime?) {
        guard !config.reports.isEmpty else { return ([], 0, nil) }
        // Before send-at, today's reports are not due yet.
        let lastDay = now.minute >= config.sendAt ? now.date : now.date.adding(days: -1)
        let catchUpDays = config.catchUpMinutes / 1440
        let expander = ScheduleExpander(calendar: calendar)
        var occurrences: [Occurrence]?
        var due: [Due] = []
        var already = 0
        var next: LocalTime?
        for entry in config.reports {
            let schedule = ScheduledReports(kinds: [entry.period], calendar: calendar)
            if let n = schedule.next(after: lastDay) {
                let t = LocalTime(date: n.date, minute: config.sendAt)
                next = next.map { min($0, t) } ?? t
            }
            for period in schedule.due(through: lastDay, catchUpDays: catchUpDays) {
                let name = Self.spoolName(entry, period: period)
                if isSpooled(name) {
                    already += 1
                    continue
                }
                if occurrences == nil { occurrences = plans.flatMap { expander.occurrences(of: $0) } }
                var units: [String: [String]] = [:]
                for p in plans where !p.units.isEmpty { units[p.id] = p.units }
                let report = PeriodReport(
                    period: period,
                    occurrences: occurrences ?? [],
                    completions: completions,
                    calendar: calendar,
                    asOf: now.date,
                    units: units,
                    isHistory: isHistory
                )
                if report.owners.isEmpty { continue }
                due.append(Due(message: compose(entry, report: report, name: name), period: period))
            }
        }
        return (due, already, next)
    }

    /// `report_quarter_2026-Q4_html__<hash>`: readable with `ls`, and
    /// distinct per kind, period, format, language and recipient list
    /// (addresses compared without case or order), so two entries never
    /// collide and an edit that only reorders recipients does not mail again.
    /// The language is part of the name only when the entry sets it, so
    /// changing the configuration-wide language does not resend.
    public static func spoolName(_ entry: DaemonConfig.ReportSchedule, period: PeriodLabel) -> String {
        let recipients = entry.to.map { $0.address.lowercased() }.sorted().joined(separator: ",")
        return SpoolName.make(
            plan: "report",
            item: entry.period.rawValue,
            period: period.label,
            kind: entry.format.rawValue,
            offset: entry.language?.rawValue ?? "",
            recipient: recipients
        )
    }

    /// The report as a message: the text report itself, or a summary with
    /// the HTML page or CSV table attached.
    public func compose(_ entry: DaemonConfig.ReportSchedule, report: PeriodReport, name: String) -> OutboxMessage {
        let l = entry.language ?? config.mailLanguage
        let subject = ReportRenderer.subject(report, language: l)
        var attachment: OutboxMessage.Attachment?
        switch entry.format {
        case .html:
            let fileName = ReportRenderer.fileName(report, language: l, extension: "html")
            attachment = OutboxMessage.Attachment(
                fileName: fileName,
                mediaType: "text/html",
                bytes: Array(ReportRenderer.html(report, language: l, organisation: entry.organisation).utf8)
            )
        case .csv:
            let fileName = ReportRenderer.fileName(report, language: l, extension: "csv")
            attachment = OutboxMessage.Attachment(
                fileName: fileName,
                mediaType: "text/csv",
                bytes: Array(ReportRenderer.csv(report, language: l).utf8)
            )
        case .text:
            attachment = nil
        }
        let body =
            entry.format == .text
            ? ReportRenderer.text(report, language: l, colour: false)
            : ReportRenderer.mailSummary(report, language: l, attachment: attachment?.fileName)
        let from = Address(mailbox: config.mail.from, defaultName: "plankeeper")
        return OutboxMessage(
            kind: .report,
            key: name,
            name: name,
            from: from,
            to: entry.to,
            messageID: "\(String(StableHash.of(name), radix: 16)).report.plankeeper@\(from.domain)",
            subject: subject,
            text: body,
            attachment: attachment,
            facts: [("X-Plankeeper-Kind", NoticeKind.report.rawValue), ("X-Plankeeper-Period", report.period.label)],
            language: l
        )
    }
}
