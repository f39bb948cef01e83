import InboundMail
import Records
import Scheduling
import Tokens
import Vocabulary
import WorkCalendar

/// What became of one received message. Decides the answer (if any), the
/// journal entries and the `outcome` the ledger keeps.
public enum MailInOutcome: Sendable, Hashable {
    /// Automatic mail: never answered, never recorded.
    case ignored(AutomaticMail)
    /// No usable `From`: nobody to answer.
    case noSender
    /// Larger than `mail-in-limit`.
    case tooLarge(size: Int, limit: Int)
    /// Sent to the reply address without a token (not a reply to a notice).
    case noToken
    /// A token that is not ours, not whole, too old, or for another door.
    case badToken(TokenProblem)
    /// The token is genuine but what it answers is gone: the plan or item was
    /// removed or edited, or the ledger does not know the digest.
    case unknownSubject(digest: Bool)
    /// The sender is neither the token's recipient nor a contact of the plan.
    case notAuthorised
    /// No command understood.
    case help(ReplyCommand.HelpReason, digest: Bool)
    /// A command applied to one or more occurrences.
    case lines([LineResult], digest: Bool)

    /// Why a token did not count.
    public enum TokenProblem: String, Sendable, Hashable {
        case badSignature = "bad-signature"
        case malformed
        case expired
        case keyRetired = "key-retired"
        case unknownVersion = "unknown-version"
        case wrongPurpose = "wrong-purpose"
    }

    /// A stable name for the ledger and the journal's `PLANKEEPER_REASON`.
    public var code: String {
        switch self {
        case .ignored: "ignored"
        case .noSender: "no-sender"
        case .tooLarge: "too-large"
        case .noToken: "no-token"
        case .badToken(let problem): problem.rawValue
        case .unknownSubject: "unknown-subject"
        case .notAuthorised: "not-authorised"
        case .help: "help"
        case .lines(let results, _):
            results.allSatisfy(\.isChange)
                ? (results.contains { if case .undone = $0 { true } else { false } } ? "undone" : "recorded")
                : (results.contains(where: \.isChange) ? "partly-recorded" : "refused")
        }
    }

    /// Whether the sender gets an answer (never for automatic mail, nor without a sender).
    public var isAnswered: Bool {
        switch self {
        case .ignored, .noSender: false
        default: true
        }
    }
}

/// One occurrence as an answer shows it.
public struct AnsweredOccurrence: Sendable, Hashable {
    public var plan: String
    public var item: String
    public var period: String
    public var owner: String
    public var title: String
    public var due: CivilDate

    public init(_ o: Occurrence) {
        plan = o.planID
        item = o.itemID
        period = o.period
        owner = o.owner
        title = o.title
        due = o.due
    }
}

/// What happened to one occurrence named by a reply (one line of a digest).
public enum LineResult: Sendable, Hashable {
    case recorded(AnsweredOccurrence, line: Int?, doneOn: CivilDate, timing: RecordTiming, recordID: Int64)
    case undone(AnsweredOccurrence, line: Int?, doneOn: String, recordID: Int64)
    case refused(AnsweredOccurrence, line: Int?, RecordRefusal)
    case undoRefused(AnsweredOccurrence, line: Int?, RecordRules.UndoRefusal)
    /// A digest line number the digest does not have.
    case noSuchLine(Int)
    /// A digest line whose plan or item is no longer in the plans.
    case lineGone(Int, plan: String, item: String, period: String)
    /// A digest line of a plan the sender is not a contact of (and the digest was not sent to them).
    case lineNotAuthorised(AnsweredOccurrence, line: Int)

    public var isChange: Bool {
        switch self {
        case .recorded, .undone: true
        default: false
        }
    }
}
