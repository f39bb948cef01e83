#if canImport(Glibc)
import Glibc
#endif
import InboundMail
import WorkCalendar

/// One input is one received message, as postfix's pipe hands it to
/// `plankeeper mail-in`: whatever the bytes, reading it must not trap, hang
/// or grow without bound. Runs what mail-in runs before it touches the
/// ledger: the MIME parse (charsets through iconv, HTML to text), automatic
/// mail detection, the reply's own text, and the command in it (as a reply
/// to a notice and to a digest).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneMessage(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let message = InboundMessage.parse(bytes)
    _ = AutomaticMail.detect(message)
    _ = message.recipientAddresses
    let reply = ReplyText(message.text)
    let today = CivilDate(year: 2026, month: 11, day: 20)!
    for numbered in [false, true] {
        if case .done(_, let lines, let note) = ReplyCommand.parse(reply, today: today, numbered: numbered) {
            // Invariants the answer relies on.
            if lines.count > ReplyCommand.maximumLines || (note?.count ?? 0) > ReplyCommand.noteLimit { abort() }
        }
    }
    for file in message.attachments where file.name.isEmpty || file.name.contains("/") || file.name.count > 220 {
        abort()
    }
    return 0
}
