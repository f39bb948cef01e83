import Dispatch
import Foundation
import CPlatform
import CQuietExecutor
#if canImport(Glibc)
import Glibc
#endif

/// Why the daemon woke up. Between these it sleeps: no polling.
public enum WakeEvent: Sendable, Equatable {
    /// The alarm set for the next notice went off.
    case alarm
    /// The wall clock was set (stepped forward or back): recompute.
    case clockChanged
    /// Something in the plans folder changed (debounced).
    case plansChanged
    /// SIGHUP or `systemctl reload`.
    case reload
}

/// An alarm on the wall clock that also fires when the clock is stepped:
/// a Linux timerfd on CLOCK_REALTIME with TFD_TIMER_CANCEL_ON_SET, watched
/// by a dispatch source, so no thread is blocked and nothing polls.
final class WallClockAlarm: @unchecked Sendable {
    private let fd: Int32
    private let source: DispatchSourceRead
    private let queue = DispatchQueue(label: "plankeeper.alarm")

    init(onEvent: @escaping @Sendable (WakeEvent) -> Void) throws {
        fd = timerfd_create(CLOCK_REALTIME, pk_tfd_nonblock | pk_tfd_cloexec)
        guard fd >= 0 else { throw DaemonError("timerfd_create failed: \(String(cString: strerror(errno)))") }
        source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        let fd = self.fd
        source.setEventHandler {
            var expirations: UInt64 = 0
            let n = read(fd, &expirations, 8)
            if n < 0 && errno == ECANCELED {
                onEvent(.clockChanged)
            } else if n == 8 {
                onEvent(.alarm)
            }
        }
        source.resume()
    }

    /// Arms the alarm for an absolute wall-clock instant.
    func set(_ instant: Date) {
        let seconds = instant.timeIntervalSince1970
        var spec = itimerspec()
        spec.it_value.tv_sec = Int(seconds.rounded(.down))
        spec.it_value.tv_nsec = Int((seconds - seconds.rounded(.down)) * 1e9)
        if spec.it_value.tv_sec <= 0 { spec.it_value.tv_sec = 1 }
        // TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET
        _ = timerfd_settime(fd, pk_tfd_timer_abstime | pk_tfd_timer_cancel_on_set, &spec, nil)
    }

    deinit {
        source.cancel()
        close(fd)
    }
}

/// Watches the plans folder with inotify (and its parent, so that a folder
/// removed and restored is watched again), and reports a change once things
/// have been quiet for `debounce`: an editor's save is several events, all
/// within a few milliseconds (write, close, rename), so 30 ms is enough to
/// see one save as one change and short enough not to delay the reload.
final class FolderWatcher: @unchecked Sendable {
    private let fd: Int32
    private let source: DispatchSourceRead
    private let queue = DispatchQueue(label: "plankeeper.watch")
    private let folder: String
    private var folderWatch: Int32 = -1
    private var pending: DispatchWorkItem?
    private let debounce: DispatchTimeInterval
    private let onChange: @Sendable () -> Void

    init(
        folder: String,
        debounce: DispatchTimeInterval = .milliseconds(30),
        onChange: @escaping @Sendable () -> Void
    ) throws {
        self.folder = folder
        self.debounce = debounce
        self.onChange = onChange
        fd = inotify_init1(pk_in_nonblock | pk_in_cloexec)
        guard fd >= 0 else { throw DaemonError("inotify_init1 failed: \(String(cString: strerror(errno)))") }
        source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [weak self] in self?.drain() }
        queue.sync {
            addFolderWatch()
            let parent = (folder as NSString).deletingLastPathComponent
            // IN_ATTRIB too: `cp -a` restores a folder as mode 0700 and
            // opens it up only at the end; the watch can be added then.
            _ = inotify_add_watch(
                fd,
                parent.isEmpty ? "." : parent,
                UInt32(IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM | IN_ATTRIB | IN_ONLYDIR)
            )
        }
        source.resume()
    }

    private func addFolderWatch() {
        let mask = UInt32(
            IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF
                | IN_ATTRIB | IN_ONLYDIR
        )
        folderWatch = inotify_add_watch(fd, folder, mask)
    }

    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
        }
        // The folder may have been removed or restored: (re)watch it.
        addFolderWatch()
        pending?.cancel()
        let work = DispatchWorkItem { [onChange] in onChange() }
        pending = work
        queue.asyncAfter(deadline: .now() + debounce, execute: work)
    }

    deinit {
        source.cancel()
        close(fd)
    }
}

public struct DaemonError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// `Task.sleep` without libdispatch. On Linux, `Task.sleep` arms a dispatch
/// timer whose firing starts libdispatch's once-a-second workqueue monitor
/// for the rest of the process (see Sources/CQuietExecutor): the daemon's
/// long sleeps (the hourly delivery safety net, the watchdog) use the quiet
/// executor's timer thread instead. Returns early, without throwing, when
/// the task is cancelled.
enum QuietSleep {
    static func sleep(for duration: Duration) async {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = max(0, seconds) * 1_000_000_000 + max(0, attoseconds / 1_000_000_000)
        let deadline = pk_quiet_now_ns() &+ UInt64(clamping: nanoseconds)
        let sleeper = Sleeper()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                sleeper.arm(continuation, deadline: deadline)
            }
        } onCancel: {
            sleeper.cancel()
        }
    }

    /// One sleep: resumed once, by the timer or by cancellation, whichever is first.
    final class Sleeper: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<Void, Never>?
        private var timer: UInt64 = 0
        private var cancelled = false

        func arm(_ continuation: CheckedContinuation<Void, Never>, deadline: UInt64) {
            lock.lock()
            if cancelled {
                lock.unlock()
                continuation.resume()
                return
            }
            self.continuation = continuation
            // The timer holds a reference until it fires or is cancelled.
            let context = Unmanaged.passRetained(self).toOpaque()
            timer = pk_quiet_timer_schedule(
                deadline,
                { context in
                    guard let context else { return }
                    Unmanaged<Sleeper>.fromOpaque(context).takeRetainedValue().resume()
                },
                context
            )
            lock.unlock()
        }

        func cancel() {
            lock.lock()
            cancelled = true
            let id = timer
            lock.unlock()
            if id != 0, pk_quiet_timer_cancel(id) == 1 {
                // Removed before it fired: drop the timer's reference ourselves.
                Unmanaged.passUnretained(self).release()
            }
            resume()
        }

        func resume() {
            lock.lock()
            let c = continuation
            continuation = nil
            lock.unlock()
            c?.resume()
        }
    }
}
