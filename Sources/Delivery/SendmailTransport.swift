import FileOps
import Vocabulary

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hands messages to the system's sendmail interface
/// (`sendmail -oi -f SENDER -- RECIPIENT...`, the message on stdin), the
/// one every Unix MTA provides: postfix, exim, nullmailer, msmtp.
///
/// - Recipients are explicit arguments after `--`, never `-t`: the envelope
///   is exactly what plankeeper decided, and an address starting with `-`
///   cannot become an option.
/// - `-oi`: a line with a single `.` is text, not the end of the message.
/// - Line ends are LF: the sendmail interface takes local text files, and
///   some MTAs would keep the CR of the spool's CRLF.
/// - The child is started with `posix_spawn`, not Foundation's `Process`:
///   in its own process group (a timeout kills it with its helpers, such as
///   postfix's `postdrop`), with default signal dispositions and an empty
///   signal mask (the daemon's ignored SIGPIPE and trapped SIGHUP must not
///   leak into the MTA), and with every descriptor above stderr closed, so
///   no ledger or journal descriptor reaches the MTA.
/// - What it prints on stdout or stderr is kept (the last 2 KB) as its
///   answer, and quoted in the log when it fails.
/// - The exit status decides, by `SendmailExit`.
public struct SendmailTransport: MailTransport {
    public let path: String
    /// Seconds the child may take before it is killed (a temporary failure).
    public var timeout: Int

    /// 60 s: every sendmail returns in well under a second once it has
    /// queued the message; one that has not after a minute is stuck (postfix's
    /// postdrop under NoNewPrivileges= retries for ever).
    public init(path: String, timeout: Int = 60) {
        self.path = path
        self.timeout = max(1, timeout)
    }

    public var name: String { "sendmail \(path)" }

    public func send(_ mail: OutgoingMail) -> TransportResult {
        var arguments = [path, "-oi"]
        if !mail.sender.isEmpty { arguments += ["-f", mail.sender] }
        arguments += ["--"] + mail.recipients
        let input = SendmailTransport.unixLineEnds(mail.bytes)
        switch Child.run(arguments, input: input, timeout: timeout) {
        case .failure(let failure):
            switch failure {
            case .spawn(let e):
                return .temporary(
                    Message(
                        zh: "无法运行 \(path)：\(FileBytes.reason(e))；请检查 mail.sendmail，或改用 transport: smtp",
                        en: "cannot run \(path): \(FileBytes.reason(e)); check mail.sendmail, or use transport: smtp"
                    ),
                    systemDown: true
                )
            case .timedOut(let output):
                return .temporary(
                    Message(
                        zh: "\(path) 在 \(timeout) 秒内没有结束，已终止\(SendmailTransport.quote(output))",
                        en:
                            "\(path) did not finish within \(timeout) s and was killed\(SendmailTransport.quote(output))"
                    ),
                    systemDown: true
                )
            }
        case .success(let outcome):
            return SendmailTransport.classify(outcome, path: path)
        }
    }

    /// The decision from how the child ended; pure, unit-tested.
    public static func classify(_ outcome: Child.Outcome, path: String) -> TransportResult {
        switch outcome.termination {
        case .signaled(let signal):
            return .temporary(
                Message(
                    zh: "\(path) 被信号 \(signal) 终止\(quote(outcome.output))",
                    en: "\(path) was killed by signal \(signal)\(quote(outcome.output))"
                ),
                systemDown: false
            )
        case .exited(let status):
            switch SendmailExit.meaning(ofStatus: status) {
            case .accepted:
                return .accepted(answer: "\(path): exit 0" + quote(outcome.output))
            case .temporary, .permanent:
                let named = SendmailExit.name(ofStatus: status).map { "\(status) \($0)" } ?? "\(status)"
                let why = SendmailExit.explanation(ofStatus: status)
                let text = Message(
                    zh: "\(path) 退出码 \(named)（\(why.zh)）\(quote(outcome.output))",
                    en: "\(path) exited with \(named) (\(why.en))\(quote(outcome.output))"
                )
                return SendmailExit.meaning(ofStatus: status) == .permanent
                    ? .permanent(text) : .temporary(text, systemDown: false)
            }
        }
    }

    /// `: what it said` on one line, or nothing.
    static func quote(_ output: String) -> String {
        let line = output.split(whereSeparator: \.isNewline).map { $0.trimmingSpaces }
            .filter { !$0.isEmpty }.joined(separator: " | ")
        return line.isEmpty ? "" : ": " + line
    }

    /// CRLF → LF; a lone CR or LF is kept.
    static func unixLineEnds(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == 13, index + 1 < bytes.count, bytes[index + 1] == 10 {
                index += 1
                continue
            }
            out.append(bytes[index])
            index += 1
        }
        return out
    }
}

/// A child process fed on stdin, its stdout and stderr collected, with a
/// deadline. Public so tests can check classification with real outcomes.
public enum Child {
    public enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)
    }

    public struct Outcome: Sendable, Equatable {
        public var termination: Termination
        /// Its stdout and stderr, interleaved, the last 2 KB.
        public var output: String

        public init(termination: Termination, output: String) {
            self.termination = termination
            self.output = output
        }
    }

    public enum Failure: Error, Sendable, Equatable {
        /// posix_spawn failed (ENOENT: no such program; EACCES).
        case spawn(Int32)
        /// Killed at the deadline; what it had said.
        case timedOut(String)
    }

    static let outputLimit = 2048

    /// SIGPIPE would kill the daemon when a child exits without reading its
    /// input; ignored once, process-wide (writes then fail with EPIPE,
    /// which is handled). Children get the default back (POSIX_SPAWN_SETSIGDEF).
    static let ignorePipeSignal: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    public static func run(_ arguments: [String], input: [UInt8], timeout: Int) -> Result<Outcome, Failure> {
        _ = ignorePipeSignal
        var toChild: [Int32] = [-1, -1]
        var fromChild: [Int32] = [-1, -1]
        guard pipe(&toChild) == 0 else { return .failure(.spawn(errno)) }
        guard pipe(&fromChild) == 0 else {
            let e = errno
            close(toChild[0])
            close(toChild[1])
            return .failure(.spawn(e))
        }
        // pipe2(O_CLOEXEC) is hidden behind _GNU_SOURCE; the window before
        // these calls only matters to a fork in another thread, and the
        // closefrom action below covers that too.
        for fd in toChild + fromChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 2)
        if let closeFrom = addCloseFrom {
            _ = closeFrom(&actions, 3)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes,
            Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP)
        )

        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned: Int32 = argv.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, let program = arguments.first else { return EINVAL }
            if program.contains("/") {
                return posix_spawn(&pid, program, &actions, &attributes, base, environ)
            }
            return posix_spawnp(&pid, program, &actions, &attributes, base, environ)
        }
        close(toChild[0])
        close(fromChild[1])
        guard spawned == 0 else {
            close(toChild[1])
            close(fromChild[0])
            return .failure(.spawn(spawned))
        }
        defer { close(fromChild[0]) }

        _ = fcntl(toChild[1], F_SETFL, fcntl(toChild[1], F_GETFL) | O_NONBLOCK)
        _ = fcntl(fromChild[0], F_SETFL, fcntl(fromChild[0], F_GETFL) | O_NONBLOCK)
        var writer: Int32 = toChild[1]
        var written = 0
        if input.isEmpty {
            close(writer)
            writer = -1
        }
        var output: [UInt8] = []
        var outputOpen = true
        var status: Int32 = 0
        var exited = false
        let deadline = monotonicSeconds() + Double(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)

        while !(exited && !outputOpen) {
            let remaining = deadline - monotonicSeconds()
            if remaining <= 0 {
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                if writer >= 0 { close(writer) }
                if !exited { _ = waitFor(pid, &status) }
                return .failure(.timedOut(text(output)))
            }
            var fds: [pollfd] = []
            if writer >= 0 { fds.append(pollfd(fd: writer, events: Int16(POLLOUT), revents: 0)) }
            if outputOpen { fds.append(pollfd(fd: fromChild[0], events: Int16(POLLIN), revents: 0)) }
            // Short steps: a child that exits while a grandchild still holds
            // its output open must not keep us waiting for that grandchild.
            let step = Int32(min(remaining, 0.2) * 1000) + 1
            if !fds.isEmpty {
                _ = poll(&fds, nfds_t(fds.count), step)
            } else {
                usleep(UInt32(step) * 1000)
            }
            if writer >= 0 {
                let n = input.withUnsafeBytes { raw -> Int in
                    guard let base = raw.baseAddress else { return 0 }
                    return write(writer, base + written, raw.count - written)
                }
                if n > 0 { written += n }
                if written >= input.count || (n < 0 && errno != EAGAIN && errno != EINTR) {
                    close(writer)  // EOF tells the MTA the message is complete (EPIPE: it quit early)
                    writer = -1
                }
            }
            if outputOpen {
                while true {
                    let n = buffer.withUnsafeMutableBytes { read(fromChild[0], $0.baseAddress, $0.count) }
                    if n > 0 {
                        output += buffer[0..<n]
                        if output.count > outputLimit { output.removeFirst(output.count - outputLimit) }
                        continue
                    }
                    if n == 0 || (errno != EAGAIN && errno != EINTR) { outputOpen = false }
                    break
                }
            }
            if !exited {
                let r = waitpid(pid, &status, WNOHANG)
                if r == pid || (r < 0 && errno == ECHILD) { exited = true }
            } else if outputOpen {
                // Exited; what it wrote is read above. A helper it left
                // running may hold the pipe: do not wait for it.
                outputOpen = false
            }
        }
        if writer >= 0 { close(writer) }
        let termination: Termination =
            status & 0x7F == 0
            ? .exited((status >> 8) & 0xFF) : .signaled(status & 0x7F)
        return .success(Outcome(termination: termination, output: text(output)))
    }

    static func waitFor(_ pid: pid_t, _ status: inout Int32) -> Bool {
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return false }
        }
        return true
    }

    static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+), looked up
    /// at run time like `renameat2`; without it, every descriptor
    /// plankeeper opens is close-on-exec anyway.
    static let addCloseFrom: AddCloseFrom? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()
}
