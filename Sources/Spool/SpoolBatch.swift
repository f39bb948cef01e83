import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Many messages spooled in one go — a tick's notices and digests — for the
/// cost of the messages themselves: `Spool.spool(name:bytes:)` looks through
/// every folder of the spool and flushes `new/` for each message, which is
/// right for one message (a mail-in answer) and slow for hundreds (a city's
/// 08:30 tick: three folder scans and two `fsync`s a message, each scan
/// growing with `cur/`).
///
/// What stays exactly as in `Spool.spool`: each message is written to
/// `tmp/`, its *file* is flushed with `fsync`, and only then published into
/// `new/` with one rename that refuses to replace. So whatever the delivery
/// agent can see in `new/` is complete on disk, and a name found anywhere
/// in the spool is never written again.
///
/// What is shared: the flush of `new/` itself. A rename is durable once the
/// folder's entry is; `commit()` flushes `new/` once for every message the
/// batch published, and the caller commits before it marks those messages
/// handled in the ledger (`TickRunner` does so right before
/// `Ledger.recordTick`). Why that is enough:
///
/// - a crash (even a power cut) before `commit()`: some renames may be
///   lost with the folder entry, but the ledger does not mark those
///   notices handled either, so the next tick decides them again and
///   spools the same names with the same bytes. Nothing is lost; a lost
///   message was at most also handed to the MTA by a delivery agent that
///   claimed it meanwhile, which is the same window as a crash between the
///   MTA's answer and the agent's own record (the one documented way a
///   message can go out twice);
/// - after `commit()` returns, every message of the batch is durable in
///   `new/` (or already claimed further), so the ledger's "handled" can
///   never point at a message the disk forgot.
///
/// And the writing: `spool(_:)` writes and flushes the files of several
/// messages at once, from a few threads, then publishes them one by one in
/// their order. A flush waits for the file system's journal, and flushes
/// that wait together are written in one journal commit: a city's 280
/// messages take a tenth of a second instead of most of one. Each file is
/// still flushed before its own rename.
///
/// And the look-up: instead of listing `cur/`, `failed/` and the claim
/// folders for every message, the batch lists them once when it starts and
/// then asks for the exact names a message can have (`new/NAME`,
/// `queue/NAME` and every claim folder, `cur/NAME`, `cur/NAME:2,S`,
/// `failed/NAME`), in delivery order, for each message. Names under other
/// Maildir flags (`cur/NAME:2,RS`, set by a mail reader long after
/// delivery) come from the listing, which holds only those.
public struct SpoolBatch {
    public let spool: Spool
    /// Claim folders found at the start (besides `queue/`, always checked).
    let claims: [String]
    /// Names in `cur/`, `failed/` or a claim folder under a suffix other
    /// than none or `:2,S` (what exact look-ups cannot find), at the start.
    let otherFlags: Set<String>
    /// Published since the last `commit()`: `new/` needs a flush.
    public private(set) var uncommitted = 0

    /// Lists the spool's folders once.
    public init(_ spool: Spool) throws {
        self.spool = spool
        let directory = spool.directory
        let known = Set(["tmp"] + SpoolFolder.allCases.map(\.rawValue))
        var claims: [String] = []
        for entry in try Spool.entries(directory).sorted()
        where !known.contains(entry) && !entry.hasPrefix(".") && Spool.isDirectory(directory + "/" + entry) {
            claims.append(entry)
        }
        if !claims.contains("queue") { claims.insert("queue", at: 0) }
        self.claims = claims
        var otherFlags: Set<String> = []
        for folder in claims + [SpoolFolder.cur.rawValue, SpoolFolder.failed.rawValue] {
            // A folder that cannot be listed holds nothing found this way;
            // the exact look-ups below still see the names that matter.
            for entry in (try? Spool.entries(directory + "/" + folder)) ?? [] {
                guard let colon = entry.firstIndex(of: ":"), entry[colon...] != ":2,S" else { continue }
                otherFlags.insert(String(entry[..<colon]))
            }
        }
        self.otherFlags = otherFlags
    }

    /// Whether a message of that name is anywhere in the spool (except
    /// `tmp/`): the same answer as `Spool.contains`, without listing folders.
    public func contains(name: String) -> Bool {
        guard Spool.isValid(name) else { return false }
        let directory = spool.directory
        if Spool.exists(spool.path(.new, name)) { return true }
        for folder in claims where Spool.exists(directory + "/" + folder + "/" + name) { return true }
        let cur = directory + "/" + SpoolFolder.cur.rawValue + "/" + name
        if Spool.exists(cur) || Spool.exists(cur + ":2,S") { return true }
        if Spool.exists(spool.path(.failed, name)) { return true }
        return otherFlags.contains(name)
    }

    /// Writes `bytes` as `new/NAME` unless the name is in the spool, like
    /// `Spool.spool(name:bytes:)` (the file flushed before it is published),
    /// except that `new/` is flushed by `commit()`.
    public mutating func spool(name: String, bytes: [UInt8]) throws -> SpoolResult {
        guard Spool.isValid(name) else { throw SpoolError(.invalidName, path: name, errorNumber: nil) }
        if contains(name: name) { return .alreadySpooled }
        let result = try spool.publish(name: name, bytes: bytes)
        if result == .written { uncommitted += 1 }
        return result
    }

    /// Flushes `new/`, making every message published so far durable. Call
    /// it before recording them as handled anywhere.
    public mutating func commit() throws {
        guard uncommitted > 0 else { return }
        let folder = spool.directory + "/" + SpoolFolder.new.rawValue
        if let e = Spool.syncDirectory(folder) { throw SpoolError(.sync, path: folder, errorNumber: e) }
        uncommitted = 0
    }

    /// A message to spool.
    public struct Message: Sendable {
        public var name: String
        public var bytes: [UInt8]

        public init(name: String, bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }
    }

    /// What `spool(_:)` did: one result per message, in order, up to the
    /// first failure, which is `error` (the messages after it were not
    /// written).
    public struct Outcome {
        public var results: [SpoolResult] = []
        public var error: (any Error)?
    }

    /// Spools `messages` as `spool(name:bytes:)` would one after the other
    /// (a name already in the spool, or earlier in the list, is not
    /// written), but writes and flushes their files `writers` at a time
    /// before publishing them in order.
    public mutating func spool(_ messages: [Message], writers: Int = 8) -> Outcome {
        var outcome = Outcome()
        // Which to write: names not in the spool, each once.
        var toWrite: [Int] = []
        var names: Set<String> = []
        var stop = messages.count
        var firstError: (any Error)?
        for (i, message) in messages.enumerated() {
            guard Spool.isValid(message.name) else {
                stop = i
                firstError = SpoolError(.invalidName, path: message.name, errorNumber: nil)
                break
            }
            if !names.insert(message.name).inserted || contains(name: message.name) { continue }
            toWrite.append(i)
        }
        let temporaries = write(messages, at: toWrite, writers: writers)
        var next = 0  // index into toWrite
        for i in 0..<stop {
            guard next < toWrite.count, toWrite[next] == i else {
                outcome.results.append(.alreadySpooled)
                continue
            }
            defer { next += 1 }
            switch temporaries[next] {
            case .failure(let error):
                firstError = error
            case .success(let temporary):
                do {
                    let result = try spool.publish(temporary: temporary, as: messages[i].name)
                    if result == .written { uncommitted += 1 }
                    outcome.results.append(result)
                    continue
                } catch {
                    firstError = error
                }
            }
            // Nothing after a failure is published: its temporaries go.
            for case .success(let temporary) in temporaries[(next + 1)...] { _ = unlink(temporary) }
            break
        }
        outcome.error = firstError
        return outcome
    }

    /// Writes and flushes the messages at `indices` into `tmp/`, from up to
    /// `writers` threads (one serial dispatch queue each, so each has a
    /// thread of its own even while the others wait for the disk).
    func write(_ messages: [Message], at indices: [Int], writers: Int) -> [Result<String, any Error>] {
        guard !indices.isEmpty else { return [] }
        let results = Mutex([Result<String, any Error>?](repeating: nil, count: indices.count))
        let group = DispatchGroup()
        let lanes = max(1, min(writers, indices.count))
        let spool = self.spool
        for lane in 0..<lanes {
            let queue = DispatchQueue(label: "plankeeper.spool.writer.\(lane)")
            queue.async(group: group) {
                for k in stride(from: lane, to: indices.count, by: lanes) {
                    let message = messages[indices[k]]
                    let result = Result { try spool.writeTemporary(name: message.name, bytes: message.bytes) }
                    results.withLock { $0[k] = result }
                }
            }
        }
        group.wait()
        return results.withLock { $0.map { $0 ?? .failure(SpoolError(.write, path: "", errorNumber: EIO)) } }
    }
}
