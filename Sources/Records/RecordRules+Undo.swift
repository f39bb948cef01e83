extension RecordRules {
    /// Who asks to take a record back.
    public enum Undoer: Sendable, Hashable {
        /// The admin at the server's shell: may take back any record.
        case admin
        /// Someone identified by an address, through mail or the web desk:
        /// may take back only what that address recorded — by mail through
        /// mail, by mail or on the web through the web desk (which shows them).
        case person(address: String, source: RecordSource)
    }

    /// Why nothing can be taken back.
    public enum UndoRefusal: Error, Sendable, Hashable {
        case nothingRecorded
        /// There are records, but none this person made through a door they may undo from.
        case notTheirs(by: String?, source: RecordSource)

        public var zh: String {
            switch self {
            case .nothingRecorded: "该事项本周期没有完成记录，无需撤销"
            case .notTheirs(let by, let source):
                "该记录由\(by ?? "他人")通过\(source.zh)登记，只能由登记人或管理员撤销"
            }
        }

        public var en: String {
            switch self {
            case .nothingRecorded: "there is no record of this item for this period; nothing to undo"
            case .notTheirs(let by, let source):
                "the record was made by \(by ?? "someone else") through the \(source.en); only they or the admin can undo it"
            }
        }
    }

    /// The record `undoer` may take back (the latest of theirs), or why none.
    public static func recordToUndo(
        by undoer: Undoer,
        among existing: [ExistingRecord]
    ) -> Result<
        ExistingRecord, UndoRefusal
    > {
        let newestFirst = existing.sorted { $0.id > $1.id }
        guard let latest = newestFirst.first else { return .failure(.nothingRecorded) }
        switch undoer {
        case .admin:
            return .success(latest)
        case .person(let address, let source):
            let doors: Set<RecordSource> =
                source == .web ? [.mail, .web] : (source == .mail ? [.mail] : [.cli, .mail, .web])
            let wanted = address.lowercased()
            if let own = newestFirst.first(where: { doors.contains($0.source) && $0.byAddress?.lowercased() == wanted })
            {
                return .success(own)
            }
            return .failure(.notTheirs(by: latest.by, source: latest.source))
        }
    }
}
