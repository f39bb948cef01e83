/// The kinds of message plankeeper sends. The raw values are stable: they
/// appear in mail headers (`X-Plankeeper-Kind`), journal fields
/// (`PLANKEEPER_KIND`), spool file names and the ledger, and the kind decides
/// a subject's tag and the tone of a notice's opening sentence.
public enum NoticeKind: String, Sendable, CaseIterable, Hashable {
    case reminder, due, overdue, escalation, backlog, report, digest
}

/// How the ledger's audit trail (`handled_notice.disposition`) says a notice
/// was dealt with. The raw values are what the ledger stores.
///
/// A tick writes one row per message it spooled (`sent`: a notice or an
/// overdue digest). Notices a tick folds into a backlog digest or replaces
/// with a later one of the same stream are not written one by one: the
/// stream's mark (`notice_mark`) stands for them. `backlog` and `superseded`
/// name those outcomes for the policy's own bookkeeping and for rows written
/// by hand or by tools; the ledger accepts all three.
public enum NoticeDisposition: String, Sendable, CaseIterable, Hashable, Codable {
    /// Written to the mail spool.
    case sent
    /// Listed in a backlog digest instead of being sent on its own.
    case backlog
    /// Replaced by a later notice of the same stream (a second reminder).
    case superseded
    /// An escalation told in the recipient's overdue digest instead of a
    /// mail of its own (`escalation-mail: digest`, issue 15).
    case digest
}
