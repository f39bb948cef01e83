import WorkCalendar

/// A record already in the ledger, as the rules need to see it (the ledger
/// is an edge; its rows are turned into these by the caller).
public struct ExistingRecord: Sendable, Hashable {
    public var id: Int64
    /// Nil when the ledger holds a date that does not parse (written by hand).
    public var doneOn: CivilDate?
    /// Who, as shown: a name (`王五`) or a login.
    public var by: String?
    /// The address the record was made from (mail and web), for undo.
    public var byAddress: String?
    public var source: RecordSource
    /// Unix seconds.
    public var recordedAt: Int64

    public init(
        id: Int64,
        doneOn: CivilDate?,
        by: String?,
        byAddress: String? = nil,
        source: RecordSource,
        recordedAt: Int64
    ) {
        self.id = id
        self.doneOn = doneOn
        self.by = by
        self.byAddress = byAddress
        self.source = source
        self.recordedAt = recordedAt
    }
}

/// Someone asking to record an occurrence as done.
public struct RecordRequest: Sendable, Hashable {
    public var doneOn: CivilDate
    public var source: RecordSource
    public var by: String?
    public var byAddress: String?

    public init(doneOn: CivilDate, source: RecordSource, by: String? = nil, byAddress: String? = nil) {
        self.doneOn = doneOn
        self.source = source
        self.by = by
        self.byAddress = byAddress
    }
}
