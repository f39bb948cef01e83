import Records
import TextLayout
import WorkCalendar

/// One record as `plankeeper records` lists it: the ledger's row with the
/// time zone offset its `recorded_at` is shown in.
public struct ListedRecord: Sendable, Hashable {
    public var plan: String
    public var item: String
    public var period: String
    /// `YYYY-MM-DD`.
    public var doneOn: String
    /// Unix seconds.
    public var recordedAt: Int64
    /// The service's time zone offset at that instant, in seconds east of UTC.
    public var utcOffset: Int
    public var by: String?
    public var source: RecordSource
    public var note: String?
    public var evidence: [RecordEvidence]

    public init(
        plan: String,
        item: String,
        period: String,
        doneOn: String,
        recordedAt: Int64,
        utcOffset: Int,
        by: String?,
        source: RecordSource,
        note: String?,
        evidence: [RecordEvidence]
    ) {
        self.plan = plan
        self.item = item
        self.period = period
        self.doneOn = doneOn
        self.recordedAt = recordedAt
        self.utcOffset = utcOffset
        self.by = by
        self.source = source
        self.note = note
        self.evidence = evidence
    }

    /// `2026-11-20T16:00:00+08:00` (RFC 3339).
    public var recordedAtText: String {
        let local = recordedAt + Int64(utcOffset)
        let days = Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
        let seconds = Int(local - Int64(days) * 86_400)
        let date = CivilDate(dayNumber: days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let sign = utcOffset < 0 ? "-" : "+"
        let offset = abs(utcOffset) / 60
        return
            "\(date)T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))\(sign)\(two(offset / 60)):\(two(offset % 60))"
    }
}

/// `plankeeper records --format json|csv`: a documented, stable output.
///
/// JSON is one array of objects with the keys, in this order, `plan`,
/// `item`, `period`, `done_on` (YYYY-MM-DD), `recorded_at` (RFC 3339 in the
/// service's time zone), `by`, `source` (`cli`, `mail`, `web`), `note` and
/// `evidence` (a list of `{name, type, size, sha256}`); `by` and `note` are
/// null when absent. CSV has the same columns (UTF-8 with a byte-order mark,
/// CRLF, fields Excel would run as formulas prefixed with `'`); its `evidence`
/// cell lists one file a line as `name (type, size bytes, sha256)`.
public enum RecordListing {
    public static let columns = [
        "plan", "item", "period", "done_on", "recorded_at", "by", "source", "note", "evidence",
    ]

    public static func json(_ records: [ListedRecord]) -> String {
        guard !records.isEmpty else { return "[]\n" }
        var out = "["
        for (i, r) in records.enumerated() {
            out += i == 0 ? "\n  {" : ",\n  {"
            out +=
                "\"plan\": \(Format.json(r.plan)), \"item\": \(Format.json(r.item)), \"period\": \(Format.json(r.period))"
            out += ", \"done_on\": \(Format.json(r.doneOn)), \"recorded_at\": \(Format.json(r.recordedAtText))"
            out +=
                ", \"by\": \(Format.json(r.by)), \"source\": \(Format.json(r.source.rawValue)), \"note\": \(Format.json(r.note))"
            out +=
                ", \"evidence\": ["
                + r.evidence.map { file in
                    "{\"name\": \(Format.json(file.name)), \"type\": \(Format.json(file.type)), \"size\": \(file.size), \"sha256\": \(Format.json(file.sha256))}"
                }.joined(separator: ", ") + "]}"
        }
        return out + "\n]\n"
    }

    public static func csv(_ records: [ListedRecord]) -> String {
        var out = CSV.byteOrderMark + CSV.row(columns)
        for r in records {
            let evidence = r.evidence.map { "\($0.name) (\($0.type), \($0.size) bytes, \($0.sha256))" }.joined(
                separator: "\n"
            )
            out += CSV.row([
                r.plan, r.item, r.period, r.doneOn, r.recordedAtText, r.by ?? "", r.source.rawValue, r.note ?? "",
                evidence,
            ])
        }
        return out
    }
}
