import Vocabulary

/// What delivery says in the journal, in both languages, in one place.
/// (The mail system's own words, always English, are quoted inside.)
enum Texts {
    static func recoveredSent(_ name: String) -> Message {
        Message(
            zh: "恢复：\(name) 在上次中断前已交给邮件系统，不再重发",
            en: "recovered: \(name) was handed to the mail system before the interruption; not sent again"
        )
    }

    static func recoveredUnsent(_ name: String) -> Message {
        Message(
            zh: "恢复：\(name) 已被一个中断的投递进程取走但未投递，现在重新投递",
            en: "recovered: \(name) was claimed by a delivery that stopped before sending it; sending it now"
        )
    }

    static func cannotClaim(_ path: String, _ reason: String) -> Message {
        Message(zh: "无法取出待投递邮件 \(path)：\(reason)", en: "cannot claim \(path): \(reason)")
    }

    static func cannotRead(_ path: String, _ reason: String) -> Message {
        Message(zh: "无法读取 \(path)：\(reason)", en: "cannot read \(path): \(reason)")
    }

    static let noRecipient = Message(zh: "邮件没有收件人（To: 中没有地址）", en: "the message has no recipient (no address in To:)")

    static func notTriedSystemDown(_ down: Message) -> Message {
        Message(
            zh: "本轮未尝试，邮件系统不可用：" + down.zh,
            en: "not tried in this pass, the mail system is unavailable: " + down.en
        )
    }

    static func cannotWriteRecord(_ path: String, _ reason: String) -> Message {
        Message(zh: "无法写入投递记录 \(path)：\(reason)", en: "cannot write the delivery record \(path): \(reason)")
    }

    static func delivered(subject: String, to: String, answer: String) -> Message {
        Message(zh: "已投递：\(subject) → \(to)（\(answer)）", en: "delivered: \(subject) → \(to) (\(answer))")
    }

    static func cannotMoveDelivered(_ target: String, _ reason: String) -> Message {
        Message(
            zh: "无法把已投递邮件移入 \(target)：\(reason)；下次投递时再移，不会重发",
            en:
                "cannot move the delivered message to \(target): \(reason); the next pass moves it without sending again"
        )
    }

    static func cannotWriteRetryState(_ path: String, _ reason: String) -> Message {
        Message(zh: "无法写入重试状态 \(path)：\(reason)", en: "cannot write the retry state \(path): \(reason)")
    }

    static func gaveUp(attempts: Int, waited seconds: Int64, reason: Message) -> Message {
        Message(
            zh: "已尝试 \(attempts) 次、历时 \(duration(seconds).zh) 仍未成功，放弃投递。最后一次原因：" + reason.zh,
            en: "gave up after \(attempts) attempts over \(duration(seconds).en); last reason: " + reason.en
        )
    }

    static func deferred(subject: String, to: String, reason: Message, attempts: Int, wait seconds: Int64) -> Message {
        Message(
            zh: "暂缓投递：\(subject) → \(to)：\(reason.zh)；第 \(attempts) 次尝试失败，\(duration(seconds).zh)后重试",
            en: "deferred: \(subject) → \(to): \(reason.en); attempt \(attempts) failed, "
                + "retrying in \(duration(seconds).en)"
        )
    }

    static func cannotMoveToFailed(_ reason: String) -> Message {
        Message(zh: "无法把邮件移入 failed/：\(reason)", en: "cannot move the message to failed/: \(reason)")
    }

    static func failed(subject: String, to: String, reason: Message, folder: String) -> Message {
        Message(
            zh: "投递失败：\(subject) → \(to)：\(reason.zh)；邮件已移入 \(folder)",
            en: "delivery failed: \(subject) → \(to): \(reason.en); the message is in \(folder)"
        )
    }

    /// `30 秒`, `2 分钟`, `1 小时`, `3 天`; `30 s`, `2 min`, `1 h`, `3 d`.
    static func duration(_ seconds: Int64) -> Message {
        let s = max(0, seconds)
        if s < 120 { return Message(zh: "\(s) 秒", en: "\(s) s") }
        if s < 7200 { return Message(zh: "\(s / 60) 分钟", en: "\(s / 60) min") }
        if s < 2 * 86400 { return Message(zh: "\(s / 3600) 小时", en: "\(s / 3600) h") }
        return Message(zh: "\(s / 86400) 天", en: "\(s / 86400) d")
    }

    static func uncertainRequeued(_ channel: String, _ count: Int) -> Message {
        Message(
            zh: "\(channel)：\(count) 条无法确定是否送达的消息重新排队",
            en: "\(channel): \(count) uncertain messages queued again"
        )
    }
}
