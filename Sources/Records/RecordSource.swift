/// The front door a record came through: the `done` command at the server's
/// shell, a reply to a notice mail, the web desk, or a bulk acknowledgement
/// of history (`done --history`). Stored with every record and shown in
/// reports, so a supervisor can tell the branch's own records from the
/// admin's typing, and both from history acknowledged wholesale.
public enum RecordSource: String, Sendable, Hashable, CaseIterable, Codable {
    case cli
    case mail
    case web
    /// `plankeeper done --history`: occurrences overdue before tracking
    /// began, recorded in bulk on their due dates. Nobody reported these
    /// one by one, so they are told apart from real records.
    case history

    public var zh: String {
        switch self {
        case .cli: "命令行"
        case .mail: "邮件回复"
        case .web: "网页"
        case .history: "历史确认"
        }
    }

    public var en: String {
        switch self {
        case .cli: "command line"
        case .mail: "mail reply"
        case .web: "web"
        case .history: "history acknowledged"
        }
    }
}
