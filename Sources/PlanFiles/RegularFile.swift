import Vocabulary
import Diagnostics
import Foundation

/// Reads a file that a user or an attacker put in a folder plankeeper reads
/// (plans, holidays, the configuration), without ever blocking on it.
///
/// A FIFO named `x.yaml` used to hang `check`, `tick` and the daemon in
/// `open(2)`, waiting for a writer that never came (the daemon then ignored
/// SIGTERM): the file is opened with `O_NONBLOCK`, which returns at once for
/// a FIFO, a socket or a device, and `fstat` on the opened descriptor (so a
/// symlink is judged by what it points to, and nothing can be swapped in
/// between) lets through regular files only. The rest is refused with a
/// positioned error that names what the path is.
public enum RegularFile {
    /// At most `limit` + 1 bytes, so that a caller can refuse an oversized
    /// file without the whole of it in memory.
    public static func read(_ path: String, limit: Int) -> Result<[UInt8], Diagnostic> {
        let at = SourceLocation(file: path, line: 1, column: 1)
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            return .failure(.error(at, Message(zh: "无法读取文件（\(reason)）", en: "cannot read the file (\(reason))")))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            return .failure(.error(at, Message(zh: "无法读取文件（\(reason)）", en: "cannot read the file (\(reason))")))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            let kind = kindName(info.st_mode)
            return .failure(
                .error(
                    at,
                    Message(
                        zh: "不是普通文件（这是\(kind.zh)）；只读取普通文件及指向普通文件的符号链接",
                        en: "not a regular file (it is \(kind.en)); only regular files and symlinks to them are read"
                    )
                )
            )
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count <= limit {
            let want = min(buffer.count, limit + 1 - bytes.count)
            let n = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, want) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                return .failure(.error(at, Message(zh: "无法读取文件（\(reason)）", en: "cannot read the file (\(reason))")))
            }
            if n == 0 { break }
            bytes += buffer[0..<n]
        }
        return .success(bytes)
    }

    static func kindName(_ mode: mode_t) -> Message {
        switch mode & S_IFMT {
        case S_IFDIR: Message(zh: "目录", en: "a folder")
        case S_IFIFO: Message(zh: "命名管道（FIFO）", en: "a named pipe (FIFO)")
        case S_IFSOCK: Message(zh: "套接字", en: "a socket")
        case S_IFCHR: Message(zh: "字符设备", en: "a character device")
        case S_IFBLK: Message(zh: "块设备", en: "a block device")
        default: Message(zh: "特殊文件", en: "a special file")
        }
    }
}
