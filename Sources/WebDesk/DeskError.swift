import Diagnostics
import HTTPTypes
import Vocabulary

/// Everything a request can fail with that a person should read about: each
/// becomes a page in their language with the right status code, never a
/// stack of Swift types.
public enum DeskError: Error, Sendable, Equatable {
    case notFound
    case forbidden
    /// Sign in first; then come back to `next`.
    case signInRequired(next: String)
    /// The form token is missing, stale or forged.
    case formExpired
    case badRequest
    case tooLarge
    case tooManyFiles(Int)
    case unsupportedFile(String)
    case tooManyRequests
    /// A personal link whose time is up.
    case linkExpired
    /// The ledger stayed locked longer than `ledger-wait`.
    case busy
    /// The disk or the state folder failed us.
    case storage

    var status: HTTPResponse.Status {
        switch self {
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .signInRequired: .seeOther
        case .formExpired: .forbidden
        case .badRequest, .unsupportedFile, .tooManyFiles: .badRequest
        case .tooLarge: .contentTooLarge
        case .tooManyRequests: .tooManyRequests
        case .linkExpired: .gone
        case .busy: .serviceUnavailable
        case .storage: .internalServerError
        }
    }

    func message(_ l: Language) -> String {
        switch self {
        case .notFound: Words.text("notFound", l)
        case .forbidden: Words.text("forbidden", l)
        case .signInRequired: Words.text("signInLead", l)
        case .formExpired: Words.text("formExpired", l)
        case .badRequest: Texts.malformedRequest.text(in: l)
        case .tooLarge: Words.text("tooLarge", l)
        case .tooManyFiles(let n): Texts.tooManyAttachments(n).text(in: l)
        case .unsupportedFile(let name):
            Texts.unsupportedFile(name).text(in: l)
        case .tooManyRequests: Words.text("tooMany", l)
        case .linkExpired:
            Texts.linkExpired.text(in: l)
        case .busy: Words.text("busy", l)
        case .storage:
            Texts.cannotStoreFile.text(in: l)
        }
    }
}
