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
        case .badRequest: l == .zh ? "请求的格式不对。" : "The request is malformed."
        case .tooLarge: Words.text("tooLarge", l)
        case .tooManyFiles(let n): l == .zh ? "附件太多：一次最多 \(n) 个。" : "Too many attachments: at most \(n) at once."
        case .unsupportedFile(let name):
            l == .zh
                ? "“\(name)”不是可接受的文件类型（可接受：照片 JPEG/PNG/HEIC/WebP、PDF、Word/WPS、Excel、纯文本）。"
                : "'\(name)' is not a file type kept here (accepted: JPEG/PNG/HEIC/WebP photos, PDF, Word/WPS, Excel, plain text)."
        case .tooManyRequests: Words.text("tooMany", l)
        case .linkExpired:
            l == .zh ? "这个链接已过期。请登录后在“我的待办”中登记。" : "This link has expired. Sign in and record it from My to-do."
        case .busy: Words.text("busy", l)
        case .storage:
            l == .zh
                ? "无法保存文件（磁盘已满或目录不可写），已记录在系统日志中。"
                : "The file could not be stored (disk full or folder not writable); see the system journal."
        }
    }
}
