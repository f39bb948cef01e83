import Records
import Vocabulary

/// A piece of work reported done, before the ledger gives it an id.
public struct NewRecord: Sendable, Hashable {
    public var plan: String
    public var item: String
    public var period: String
    /// The civil date the work was done, `YYYY-MM-DD` (may differ from the day it was recorded).
    public var doneOn: String
    /// Who reports it, when known.
    public var by: String?
    public var note: String?
    /// When it was recorded, in Unix seconds: the clock belongs to the caller.
    public var recordedAt: Int64
    /// The front door it came through (ledger v4; older records read as `cli`).
    public var source: RecordSource
    /// The address it was recorded from (mail, web), so the person can take it back.
    public var byAddress: String?
    /// Files kept with it (already in the evidence store).
    public var evidence: [RecordEvidence]

    public init(
        plan: String,
        item: String,
        period: String,
        doneOn: String,
        by: String? = nil,
        note: String? = nil,
        recordedAt: Int64,
        source: RecordSource = .cli,
        byAddress: String? = nil,
        evidence: [RecordEvidence] = []
    ) {
        self.plan = plan
        self.item = item
        self.period = period
        self.doneOn = doneOn
        self.by = by
        self.note = note
        self.recordedAt = recordedAt
        self.source = source
        self.byAddress = byAddress
        self.evidence = evidence
    }

    public var key: OccurrenceKey { OccurrenceKey(plan: plan, item: item, period: period) }
}

/// A piece of work done, as stored. Several records may share a key: an item
/// to be done 2–3 times a year gets one record per time.
public struct Record: Sendable, Hashable, Codable {
    /// Assigned by the ledger; never reused, even after `undo`.
    public var id: Int64
    public var plan: String
    public var item: String
    public var period: String
    /// `YYYY-MM-DD`.
    public var doneOn: String
    public var by: String?
    public var note: String?
    /// Unix seconds.
    public var recordedAt: Int64
    /// `cli`, `mail` or `web`.
    public var source: RecordSource
    public var byAddress: String?
    public var evidence: [RecordEvidence]

    public init(
        id: Int64,
        plan: String,
        item: String,
        period: String,
        doneOn: String,
        by: String? = nil,
        note: String? = nil,
        recordedAt: Int64,
        source: RecordSource = .cli,
        byAddress: String? = nil,
        evidence: [RecordEvidence] = []
    ) {
        self.id = id
        self.plan = plan
        self.item = item
        self.period = period
        self.doneOn = doneOn
        self.by = by
        self.note = note
        self.recordedAt = recordedAt
        self.source = source
        self.byAddress = byAddress
        self.evidence = evidence
    }

    public var key: OccurrenceKey { OccurrenceKey(plan: plan, item: item, period: period) }
}
