import GRDB
import Records
import WorkCalendar

/// What `Ledger.addRecord(_:checkedBy:)` did.
public enum RecordAddition: Sendable, Hashable {
    /// Written; `overridden` are the refusals `--force` overrode.
    case added(Record, overridden: [RecordRefusal])
    case refused(RecordRefusal)
}

extension Ledger {
    /// Adds a record only if `rules` accept it given the records its
    /// occurrence has, looked at and written in one transaction: two front
    /// doors (a reply by mail and `done` at the shell) answering the same
    /// occurrence at the same moment cannot both record it.
    ///
    /// Typical use, for any front door:
    ///
    ///     ledger.addRecord(new) { existing in
    ///         RecordRules.check(request, of: occurrence, existing: existing.map(ExistingRecord.init), today: today)
    ///     }
    public func addRecord(
        _ record: NewRecord,
        checkedBy rules: ([Record]) -> RecordRules.Verdict
    ) throws(LedgerError) -> RecordAddition {
        try Self.validate(record)
        return try write { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT * FROM record WHERE plan = ? AND item = ? AND period = ? ORDER BY id",
                arguments: [record.plan, record.item, record.period]
            )
            let existing = try Self.withEvidence(try rows.map(Self.record), db)
            switch rules(existing) {
            case .refuse(let refusal): return .refused(refusal)
            case .accept(let overridden): return .added(try Self.insert(record, db), overridden: overridden)
            }
        }
    }
}

extension ExistingRecord {
    /// A ledger record as the rules see it.
    public init(_ record: Record) {
        self.init(
            id: record.id,
            doneOn: WorkCalendar.CivilDate(iso: record.doneOn),
            by: record.by,
            byAddress: record.byAddress,
            source: record.source,
            recordedAt: record.recordedAt
        )
    }
}
