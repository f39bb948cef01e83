import Foundation
import PlankeeperTestSupport
import Testing
@testable import Delivery
import Vocabulary

/// The sendmail child, with real processes standing in for the MTA: what it
/// gets on stdin and argv, what it inherits, and how it ends.
@Suite(.serialized) struct ChildProcessTests {
    /// Writes an executable script with a close-on-exec descriptor: a write
    /// descriptor inherited by a child another thread is spawning would make
    /// exec of the script fail with ETXTBSY (the suite is serialized for
    /// the same reason).
    func script(_ dir: Scratch, _ body: String) throws -> String {
        let path = dir.path + "/fake-sendmail"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        let bytes = Array(("#!/bin/sh\n" + body + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        #expect(written == bytes.count)
        return path
    }

    @Test func messageOnStdinRecipientsAfterDoubleDash() throws {
        let dir = try Scratch()
        let path = try script(
            dir,
            """
            printf '%s\\n' "$@" > "$(dirname "$0")/argv"
            cat > "$(dirname "$0")/stdin"
            echo accepted
            """
        )
        let transport = SendmailTransport(path: path, timeout: 20)
        let result = transport.send(
            OutgoingMail(
                sender: "plankeeper@x.example",
                recipients: ["-oi@x.example", "b@x.example"],
                bytes: Array("To: b@x.example\r\n\r\nline\r\n.\r\n".utf8)
            )
        )
        #expect(result == .accepted(answer: "\(path): exit 0: accepted"))
        #expect(dir.read("argv") == "-oi\n-f\nplankeeper@x.example\n--\n-oi@x.example\nb@x.example\n")
        #expect(dir.read("stdin") == "To: b@x.example\n\nline\n.\n")
    }

    @Test func exitSeventyFiveIsTemporaryWithWhatItSaid() throws {
        let dir = try Scratch()
        let path = try script(dir, "echo 'queue file write error' >&2; exit 75")
        let result = SendmailTransport(path: path, timeout: 20).send(
            OutgoingMail(sender: "a@x", recipients: ["b@x"], bytes: Array(repeating: 65, count: 300_000))
        )
        guard case .temporary(let reason, false) = result else {
            Issue.record("75 is temporary: \(result)")
            return
        }
        #expect(reason.zh.hasSuffix("退出码 75 EX_TEMPFAIL（暂时失败，稍后重试）: queue file write error"))
    }

    @Test func exitSixtySevenIsPermanent() throws {
        let dir = try Scratch()
        let path = try script(dir, "cat >/dev/null; echo 'b@x: User unknown'; exit 67")
        let result = SendmailTransport(path: path).send(OutgoingMail(sender: "a@x", recipients: ["b@x"], bytes: [65]))
        guard case .permanent(let reason) = result else {
            Issue.record("67 is permanent: \(result)")
            return
        }
        #expect(reason.en.hasSuffix("exited with 67 EX_NOUSER (addressee unknown): b@x: User unknown"))
    }

    @Test func theChildInheritsNoDescriptorsAndDefaultSignals() throws {
        let dir = try Scratch()
        // A descriptor of ours that is not close-on-exec must not reach the child either.
        let leaked = open(dir.path + "/leaked-descriptor", O_CREAT | O_WRONLY, 0o600)
        #expect(leaked > 2)
        defer { close(leaked) }
        // Ignored here (as SIGPIPE is in the daemon), default in the child.
        signal(SIGHUP, SIG_IGN)
        defer { signal(SIGHUP, SIG_DFL) }
        let path = try script(
            dir,
            """
            cat >/dev/null
            ls -l /proc/$$/fd/ | grep -c leaked-descriptor
            grep -E '^(SigIgn|SigBlk)' /proc/$$/status | tr '\\t\\n' '  '
            """
        )
        let result = SendmailTransport(path: path).send(OutgoingMail(sender: "a@x", recipients: ["b@x"], bytes: [65]))
        guard case .accepted(let answer) = result else {
            Issue.record("\(result)")
            return
        }
        #expect(answer.contains("exit 0: 0 | Sig"), "the descriptor leaked: \(answer)")
        // Signals 1–31 (glibc reserves 32 and 33 for itself).
        func mask(_ name: String) -> UInt64? {
            guard let range = answer.range(of: name + ": ") else { return nil }
            return UInt64(answer[range.upperBound...].prefix(16), radix: 16)
        }
        #expect(mask("SigIgn").map { $0 & 0x7FFF_FFFF } == 0, "\(answer)")
        #expect(mask("SigBlk").map { $0 & 0x7FFF_FFFF } == 0, "\(answer)")
    }

    @Test func aHangingSendmailIsKilledAtTheDeadline() throws {
        let dir = try Scratch()
        let path = try script(dir, "echo started; sleep 30 & wait")
        let start = Date()
        let result = SendmailTransport(path: path, timeout: 1).send(
            OutgoingMail(sender: "a@x", recipients: ["b@x"], bytes: [65])
        )
        #expect(Date().timeIntervalSince(start) < 10)
        guard case .temporary(let reason, true) = result else {
            Issue.record("a timeout is temporary: \(result)")
            return
        }
        #expect(reason.zh.contains("在 1 秒内没有结束，已终止: started"))
    }

    @Test func aChildThatExitsLeavingAHelperRunningIsNotWaitedFor() throws {
        let dir = try Scratch()
        // Like a sendmail that forks a background delivery holding stdout open.
        let path = try script(dir, "cat >/dev/null; (sleep 20) & exit 0")
        let start = Date()
        let result = SendmailTransport(path: path, timeout: 15).send(
            OutgoingMail(sender: "a@x", recipients: ["b@x"], bytes: [65])
        )
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(result == .accepted(answer: "\(path): exit 0"))
    }

    @Test func noSuchSendmail() {
        let result = SendmailTransport(path: "/nonexistent/sendmail").send(
            OutgoingMail(sender: "a@x", recipients: ["b@x"], bytes: [65])
        )
        guard case .temporary(let reason, true) = result else {
            Issue.record("a missing sendmail keeps the message: \(result)")
            return
        }
        #expect(reason.en.contains("cannot run /nonexistent/sendmail"))
        #expect(reason.en.contains("ENOENT"))
    }
}
