/// The front door a record came through: the `done` command at the server's
/// shell, a reply to a notice mail, or the web desk. Stored with every record
/// and shown in reports, so a supervisor can tell the branch's own records
/// from the admin's typing.
public enum RecordSource: String, Sendable, Hashable, CaseIterable, Codable {
    case cli
    case mail
    case web

    public var zh: String {
        switch self {
        case .cli: "命令行"
        case .mail: "邮件回复"
        case .web: "网页"
        }
    }

    public var en: String {
        switch self {
        case .cli: "command line"
        case .mail: "mail reply"
        case .web: "web"
        }
    }
}
