import FileOps

/// Why a delivery pass could not run at all (the queue folder cannot be
/// created or read). Problems with one message are never errors: they are
/// outcomes in the report and lines in the journal.
///
/// A struct around a private code, so new kinds break nobody; it prints as
/// one sentence with the path and the system's reason.
public struct DeliveryError: Error, CustomStringConvertible, Sendable {
    enum Code: Sendable, Equatable { case createFolder, openFolder, readFolder, lock }

    let code: Code
    public let path: String
    public let errorNumber: Int32

    init(_ code: Code, path: String, errorNumber: Int32) {
        self.code = code
        self.path = path
        self.errorNumber = errorNumber
    }

    public var description: String {
        let what: String
        switch code {
        case .createFolder: what = "cannot create the delivery queue folder \(path)"
        case .openFolder: what = "cannot open the delivery queue folder \(path)"
        case .readFolder: what = "cannot read spool folder \(path)"
        case .lock: what = "cannot lock the delivery queue \(path)"
        }
        return "\(what): \(FileBytes.reason(errorNumber))"
    }
}
