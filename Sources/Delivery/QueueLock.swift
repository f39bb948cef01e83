import FileOps
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lock a delivery pass holds on the queue from start to end, so that two
/// runners (the daemon and a `plankeeper deliver` by hand, or two passes in
/// one process) never work on the queue at once.
///
/// A POSIX record lock (`fcntl(F_SETLK)`) on the spool's `.delivery.lock` between
/// processes, and a table of the queues this process has locked between its
/// threads. Not `flock(2)` on the folder, which the queue used before: an
/// `flock` belongs to the open file description, and every child forked by
/// *any* thread of the process (a sendmail, a test's subprocess) shares the
/// descriptions open at that moment until it reaches `exec`, close-on-exec
/// or not. Such a child held the lock for a moment after the pass had
/// closed its descriptor, and the next pass found the queue "busy" with no
/// other runner anywhere: under load, a test's two hundred passes came back
/// busy one after another (DeliveryAgentTests.givesUpAfterTheConfiguredAge).
/// A record lock belongs to the process: a forked child never has it, and
/// it still dies with the process, as the queue's crash handling expects.
///
/// A record lock is dropped when the process closes *any* descriptor of the
/// file, so nothing else may open `.delivery.lock`: the table keeps a second
/// pass of this process from even opening it while the first holds it.
final class QueueLock {
    /// The spools (device, inode of the folder) whose queue a pass of this process holds.
    private static let held = Mutex<Set<FolderID>>([])

    struct FolderID: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    private var fd: Int32
    private let folder: FolderID

    /// Takes the queue lock of the spool in `spoolFolder`, or returns nil
    /// when another runner holds it (in this process or another).
    static func acquire(spool spoolFolder: String, owner: Files.Owner?) throws(DeliveryError) -> QueueLock? {
        var info = stat()
        guard stat(spoolFolder, &info) == 0 else {
            throw DeliveryError(.openFolder, path: spoolFolder, errorNumber: errno)
        }
        let folder = FolderID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        guard held.withLock({ $0.insert(folder).inserted }) else { return nil }

        // Hidden, beside the folders: no folder listing of the spool or the queue sees it.
        let path = spoolFolder + "/.delivery.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            let e = errno
            _ = held.withLock { $0.remove(folder) }
            throw DeliveryError(.lock, path: path, errorNumber: e)
        }
        if let owner { _ = fchown(fd, owner.uid, owner.gid) }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        while fcntl(fd, F_SETLK, &lock) != 0 {
            let e = errno
            if e == EINTR { continue }
            _ = close(fd)
            _ = held.withLock { $0.remove(folder) }
            if e == EAGAIN || e == EACCES { return nil }
            throw DeliveryError(.lock, path: path, errorNumber: e)
        }
        return QueueLock(fd: fd, folder: folder)
    }

    private init(fd: Int32, folder: FolderID) {
        self.fd = fd
        self.folder = folder
    }

    /// Closing the descriptor drops the record lock; then other passes of
    /// this process may take it. Once; `deinit` releases a lock not released.
    func release() {
        guard fd >= 0 else { return }
        _ = close(fd)
        fd = -1
        _ = Self.held.withLock { $0.remove(folder) }
    }

    deinit { release() }
}
