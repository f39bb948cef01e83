#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The message as `mail-in` received it: at most `mail-in-limit` bytes kept,
/// and how many there were in all.
public struct MailInput: Sendable {
    public var bytes: [UInt8]
    /// The whole message's size, kept bytes or not.
    public var totalSize: Int

    public init(bytes: [UInt8], totalSize: Int? = nil) {
        self.bytes = bytes
        self.totalSize = totalSize ?? bytes.count
    }

    public var isTooLarge: Bool { totalSize > bytes.count }

    /// Reads standard input to its end, keeping the first `limit` bytes.
    /// The rest is read and dropped, not left in the pipe: postfix's pipe(8)
    /// would see a broken pipe. Nil when reading fails (EIO).
    public static func readStandardInput(limit: Int) -> MailInput? {
        var kept: [UInt8] = []
        var total = 0
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            if kept.count < limit { kept += chunk[0..<min(n, limit - kept.count)] }
            total += n
        }
        return MailInput(bytes: kept, totalSize: total)
    }
}

/// What `mail-in` exits with: postfix's pipe(8) follows <sysexits.h>.
public enum MailInExit: Int32, Sendable {
    /// Recorded, answered or ignored: the message is delivered.
    case done = 0
    /// EX_TEMPFAIL: the ledger is locked, the disk is full, the state folder is
    /// not writable. The MTA keeps the message and tries again later.
    case tryLater = 75
}
