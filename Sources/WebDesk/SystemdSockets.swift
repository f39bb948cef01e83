/// The listening sockets systemd passed to this process (socket activation,
/// `sd_listen_fds(3)`): descriptors 3, 4, … when `LISTEN_PID` is our pid and
/// `LISTEN_FDS` says how many.
///
/// Pure over the environment and the pid, so tests need no systemd; the
/// caller clears the variables afterwards (so a child process never thinks
/// the sockets are its own) and marks the descriptors close-on-exec.
public enum SystemdSockets {
    /// `SD_LISTEN_FDS_START`.
    public static let firstDescriptor: Int32 = 3

    /// The inherited descriptors, or none when the variables are absent, meant
    /// for another process, or malformed.
    public static func descriptors(environment: [String: String], pid: Int32) -> [Int32] {
        guard let pidText = environment["LISTEN_PID"], let listenPID = Int32(pidText), listenPID == pid,
            let countText = environment["LISTEN_FDS"], let count = Int32(countText), (1...64).contains(count)
        else { return [] }
        return (0..<count).map { firstDescriptor + $0 }
    }
}
