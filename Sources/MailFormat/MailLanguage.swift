/// The language a notice is written in. Staff read Chinese; `.en` exists for
/// an English-speaking administrator or a foreign-language deployment, and
/// keeps the same facts in the same order so the two can be compared.
public enum MailLanguage: String, Sendable {
    case zh, en
}

/// What a message is about. The kind decides the subject's tag and the tone of
/// the opening sentence; the number of working days left decides the wording
/// of the deadline, so a mislabelled kind can never state a wrong fact.
public enum NoticeKind: String, Sendable, CaseIterable {
    case reminder, due, overdue, escalation, backlog, report, digest
}
