import Vocabulary
import WorkCalendar

/// What the daemon's services say to people (the journal, `systemctl
/// status`), in both languages, in one place. (Lines an operator greps for in
/// English in every language, such as `tick failed`, stay in the code.)
enum Texts {
    // MARK: DaemonService

    static let previousVersionStays = Message(
        zh: "（继续使用上一版计划）",
        en: " (the previous version stays in force)"
    )

    static func reloaded(plans: Int, filesParsed: Int, changes: Int) -> Message {
        Message(
            zh: "计划已重新加载：\(plans) 个计划（重读 \(filesParsed) 个文件）；未来 12 个月变动 \(changes) 处",
            en: "plans reloaded: \(plans) plans (\(filesParsed) \(filesParsed == 1 ? "file" : "files") parsed); "
                + "\(changes) changes in the next 12 months"
        )
    }

    static let noNextNotice = Message(zh: "无", en: "none")

    static func retrying(inSeconds seconds: Int) -> Message {
        Message(zh: "上次运行失败，\(seconds) 秒后重试", en: "the last run failed, retrying in \(seconds) s")
    }

    static func status(plans: Int, next: String) -> Message {
        Message(zh: "\(plans) 个计划；下次提醒 \(next)", en: "\(plans) plans; next notice \(next)")
    }

    static func holidayListMissing(year: Int, folder: String) -> Message {
        Message(
            zh: "缺少 \(year) 年的官方节假日安排；国务院公布后请放到 \(folder)/cn-\(year).yaml（格式见 README）",
            en: "no official \(year) holiday list yet; when the State Council publishes it, "
                + "put it in \(folder)/cn-\(year).yaml (see README)"
        )
    }

    // MARK: TickRunner

    static let inOverdueDigest = Message(zh: "（并入督办日报）", en: " (in the overdue digest)")

    static func retentionPruned(_ count: Int, days: Int, before cutoff: String) -> Message {
        Message(
            zh: "按保留期限（\(days) 天）清理了 \(cutoff) 之前的 \(count) 条发送记录",
            en: "retention (\(days) days): pruned \(count) sent-notice rows before \(cutoff)"
        )
    }

    static func retentionFailed(_ reason: Message) -> Message {
        Message(
            zh: "按保留期限清理发送记录失败，下次再试：\(reason.zh)",
            en: "retention: could not prune sent-notice rows, will retry: \(reason.en)"
        )
    }

    // MARK: DeliveryService

    static func cannotWatchSpool(_ folder: String) -> Message {
        Message(
            zh: "无法监视 \(folder)；新邮件最迟一分钟内投递",
            en: "cannot watch \(folder); new mail goes out within a minute"
        )
    }

    static let noNewPrivileges = Message(
        zh: "本进程以 NoNewPrivileges 运行：postfix 的 sendmail 需要 setgid 的 postdrop，无法在此投递；"
            + "请在配置中使用 mail.transport: smtp（本机 127.0.0.1:25），见 docs/mail.md",
        en: "running with NoNewPrivileges: postfix's sendmail needs its setgid postdrop and cannot queue mail here; "
            + "use mail.transport: smtp (127.0.0.1:25), see docs/mail.md"
    )

    static func deliveryStarted(_ transport: String) -> Message {
        Message(zh: "邮件投递已启动：\(transport)", en: "mail delivery started: \(transport)")
    }

    static let stillBusyAtStop = Message(
        zh: "停止时邮件投递仍未返回（邮件系统无响应）；不再等待，已取出的邮件在下次启动时恢复",
        en: "delivery still busy at stop (the mail system does not answer); not waiting, "
            + "the claimed message is recovered at the next start"
    )

    static func deliveryFailed(_ error: any Error) -> Message {
        Message(zh: "邮件投递出错：\(error)", en: "mail delivery failed: \(error)")
    }

    // MARK: ChannelDeliveryService

    /// Between channel names in a journal line.
    static let listSeparator = Message(zh: "、", en: ", ")

    static func channelDeliveryStarted(_ count: Int, names: String) -> Message {
        Message(zh: "渠道投递已启动：\(count) 个渠道（\(names)）", en: "channel delivery started: \(count) channels (\(names))")
    }

    static func channelDeliveryFailed(_ error: any Error) -> Message {
        Message(zh: "渠道投递出错：\(error)", en: "channel delivery failed: \(error)")
    }

    // MARK: Tick

    static func mailHeld(_ count: Int, now: LocalTime, until: LocalTime) -> Message {
        let weekday = now.date.weekday
        return Message(
            zh:
                "\(count) 条通知暂缓发送（\(now.date) \(weekday.chineseName) \(now.description.suffix(5)) 不在发信时段内），将于 \(until) 发出",
            en:
                "\(count) \(count == 1 ? "notice is" : "notices are") held (\(weekday.englishName) \(now) is outside the send window) until \(until)"
        )
    }

    static func plansRetired(_ count: Int, horizonDays: Int, shown: String) -> Message {
        Message(
            zh: "\(count) 个计划的年度已结束超过 overdue-horizon（\(horizonDays) 天），不再提醒：\(shown)",
            en:
                "\(count) \(count == 1 ? "plan is" : "plans are") more than overdue-horizon (\(horizonDays) days) past \(count == 1 ? "its" : "their") year and no longer send notices: \(shown)"
        )
    }

    static func channelMessagesQueued(_ channel: String, _ count: Int) -> Message {
        Message(zh: "\(channel)：\(count) 条消息待发送", en: "\(channel): \(count) messages queued")
    }
}
