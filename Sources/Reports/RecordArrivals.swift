import Records
import Vocabulary

/// How the records of a set of occurrences arrived — by a reply to a notice,
/// on the web desk, or typed by the admin — and how many evidence files they
/// carry. Supervisors see whether branches record their own work; the
/// figures are shown beside the completion figures, never folded into a
/// rate or a rank (the 2024 rules: evidence is not a measure of work).
public struct RecordArrivals: Sendable, Hashable {
    public var mail = 0
    public var web = 0
    public var cli = 0
    /// Evidence files, all records together.
    public var evidence = 0

    public init() {}

    public init(_ completions: some Sequence<Completion>) {
        for c in completions { add(c) }
    }

    public mutating func add(_ c: Completion) {
        switch c.source {
        case .mail: mail += 1
        case .web: web += 1
        case .cli: cli += 1
        }
        evidence += c.evidence
    }

    public static func + (a: Self, b: Self) -> Self {
        var sum = a
        sum.mail += b.mail
        sum.web += b.web
        sum.cli += b.cli
        sum.evidence += b.evidence
        return sum
    }

    public var records: Int { mail + web + cli }

    /// `邮件回复 3 · 网页 1 · 命令行 2 · 附件 4`.
    public func text(_ l: Language) -> String {
        [
            l.pick("邮件回复 \(mail)", "by mail \(mail)"), l.pick("网页 \(web)", "on the web \(web)"),
            l.pick("命令行 \(cli)", "by the admin \(cli)"), l.pick("附件 \(evidence)", "files \(evidence)"),
        ].joined(separator: " · ")
    }

    /// `{"mail": 3, "web": 1, "cli": 2, "evidence": 4}`.
    public var json: String {
        "{\"mail\": \(mail), \"web\": \(web), \"cli\": \(cli), \"evidence\": \(evidence)}"
    }
}

extension OccurrenceStatus {
    /// `邮件·附件1` for the status table: how its records arrived.
    func arrivalText(_ l: Language) -> String {
        guard !completions.isEmpty else { return "" }
        var seen: [RecordSource] = []
        for c in completions where !seen.contains(c.source) { seen.append(c.source) }
        let names = seen.map { source in
            switch source {
            case .mail: l.pick("邮件", "mail")
            case .web: l.pick("网页", "web")
            case .cli: l.pick("命令行", "admin")
            }
        }.joined(separator: "/")
        let files = completions.reduce(0) { $0 + $1.evidence }
        return files > 0 ? names + l.pick("·附件\(files)", " +\(files) file\(files == 1 ? "" : "s")") : names
    }
}

extension PeriodReport.OwnerSummary {
    /// How this owner's counted records arrived.
    public var arrivals: RecordArrivals { RecordArrivals(statuses.flatMap(\.completions)) }
}

extension PeriodReport {
    /// All owners together.
    public var arrivals: RecordArrivals { owners.reduce(RecordArrivals()) { $0 + $1.arrivals } }
}
