import Vocabulary

/// What the commands say to people, in both languages, in one place.
/// (Usage errors from ArgumentParser stay English, as its own are.)
enum Texts {
    // MARK: check

    static func items(_ count: Int) -> Message { Message(zh: "\(count) 项", en: "\(count) items") }

    static func occurrences(_ count: Int) -> Message { Message(zh: "\(count) 次", en: "\(count) occurrences") }

    static func templateApplied(_ id: String, file: String, roster: String, branches: Int, plans: Int) -> Message {
        Message(
            zh: "模板 \(id)（\(file)）应用于名册 \(roster)：\(branches) 个支部，\(plans) 个计划可用",
            en: "template \(id) (\(file)) applied to roster \(roster): \(branches) branch\(branches == 1 ? "" : "es"), "
                + "\(plans) plan\(plans == 1 ? "" : "s") usable"
        )
    }

    static func checked(files: Int, plans: Int, errors: Int, warnings: Int) -> Message {
        Message(
            zh: "检查了 \(files) 个文件：\(plans) 个计划可用，\(errors) 个错误，\(warnings) 个警告",
            en: "checked \(files) file\(files == 1 ? "" : "s"): \(plans) plan\(plans == 1 ? "" : "s") usable, "
                + "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
        )
    }

    // MARK: done, undo, records

    static func noPlan(_ id: String, guess: String?) -> Message {
        Message(
            zh: "plankeeper: error: 没有 id 为“\(id)”的计划\(guess.map { "；您是否想写“\($0)”？" } ?? "")",
            en: "plankeeper: error: no plan with id '\(id)'\(guess.map { "; did you mean '\($0)'?" } ?? "")"
        )
    }

    static func noItem(_ id: String, plan: String, guess: String?, items: [String]) -> Message {
        Message(
            zh: "plankeeper: error: 计划 \(plan) 中没有事项“\(id)”\(guess.map { "；您是否想写“\($0)”？" } ?? "")"
                + "；可用：\(items.joined(separator: "、"))",
            en: "plankeeper: error: plan \(plan) has no item '\(id)'\(guess.map { "; did you mean '\($0)'?" } ?? "")"
                + "; items: \(items.joined(separator: ", "))"
        )
    }

    static func noPeriod(_ period: String, of target: String, periods: [String]) -> Message {
        Message(
            zh: "plankeeper: error: \(target) 没有周期“\(period)”；可用：\(periods.joined(separator: "、"))",
            en: "plankeeper: error: \(target) has no period '\(period)'; periods: \(periods.joined(separator: ", "))"
        )
    }

    static func namePeriod(open: [String]) -> Message {
        Message(
            zh: "plankeeper: error: 请指明周期：\(open.isEmpty ? "没有未完成的周期" : "未完成的周期有 " + open.joined(separator: "、"))",
            en: "plankeeper: error: name the period: "
                + (open.isEmpty ? "no open period" : "open periods are " + open.joined(separator: ", "))
        )
    }

    static let recordedDone = Message(zh: "登记完成", en: "recorded done")

    static let recordedDoneForced = Message(zh: "强制登记完成（--force）", en: "recorded done with --force")

    static func refused(owner: String, title: String, period: String, reason: Message, canBeForced: Bool) -> Message {
        Message(
            zh: "plankeeper: error: \(owner) · \(title)（\(period)）：\(reason.zh)"
                + (canBeForced ? "；确需登记请加 --force" : ""),
            en: "plankeeper: error: \(owner) · \(title)（\(period)）：\(reason.en)"
                + (canBeForced ? "; add --force to record it anyway" : "")
        )
    }

    static let trackingNotStarted = Message(
        zh: "plankeeper: 尚未开始跟踪（还没有运行过 tick，也没有设置 track-from），没有历史事项",
        en: "plankeeper: tracking has not started (no tick yet, no track-from): there is no history"
    )

    static func historyNote(start: String) -> Message {
        Message(zh: "历史事项，批量确认（跟踪开始于 \(start)）", en: "history, acknowledged in bulk (tracking began \(start))")
    }

    static func historyRecorded(dryRun: Bool, count: Int, start: String, catchUpDays: Int) -> Message {
        Message(
            zh: "\(dryRun ? "将登记" : "已登记") \(count) 项历史事项（跟踪开始于 \(start)，截止早于开始前 \(catchUpDays) 天）",
            en: "\(dryRun ? "would record" : "recorded") \(count) history \(count == 1 ? "occurrence" : "occurrences") "
                + "(tracking began \(start); due more than \(catchUpDays) days before)"
        )
    }

    static let historyAcknowledged = Message(zh: "批量确认历史事项", en: "history acknowledged")

    static func recorded(
        owner: String,
        title: String,
        period: String,
        doneOn: String,
        late: Bool,
        due: String,
        id: Int64
    ) -> Message {
        Message(
            zh: "已登记：\(owner) · \(title)（\(period)），完成于 \(doneOn)，\(late ? "晚于" : "不晚于")截止日期 \(due)（记录 #\(id)）\n",
            en:
                "recorded: \(owner) · \(title) (\(period)), done \(doneOn), \(late ? "after" : "by") the due date \(due) "
                + "(record #\(id))\n"
        )
    }

    static func noRecord(_ key: String) -> Message {
        Message(zh: "plankeeper: error: \(key) 没有完成记录", en: "plankeeper: error: no record for \(key)")
    }

    static let recordRemoved = Message(zh: "撤销完成登记", en: "record removed")

    static func removed(id: Int64, key: String, doneOn: String) -> Message {
        Message(
            zh: "已撤销记录 #\(id)（\(key)，完成于 \(doneOn)）\n",
            en: "removed record #\(id) (\(key), done \(doneOn))\n"
        )
    }

    static func orphanRecord(id: Int64, key: String) -> Message {
        Message(
            zh: "plankeeper: warning: 记录 #\(id)（\(key)）对应的计划或事项已不存在；记录保留",
            en: "plankeeper: warning: record #\(id) (\(key)) names a plan or item that is not loaded; it is kept"
        )
    }

    static let recordColumns = (
        zh: ["#", "计划", "事项", "周期", "完成日期", "经办人", "来源", "附件", "备注"],
        en: ["#", "Plan", "Item", "Period", "Done", "By", "Source", "Files", "Note"]
    )

    static let noRecords = Message(zh: "（没有记录）\n", en: "(no records)\n")

    static func invalidRecordDate(id: Int64, date: String) -> Message {
        Message(
            zh: "plankeeper: warning: 记录 #\(id) 的完成日期“\(date)”无效，已忽略",
            en: "plankeeper: warning: record #\(id) has an invalid date '\(date)'; ignored"
        )
    }

    // MARK: status, agenda, report, ics

    static let noRecordsRead = Message(
        zh: "plankeeper: note: 未指定 --config，不读取完成记录（台账），所有事项按未完成计",
        en: "plankeeper: note: no --config, so no records are read: nothing counts as done"
    )

    static func noOwner(_ owner: String, guess: String?, owners: [String]) -> Message {
        Message(
            zh: "plankeeper: error: 没有责任单位为“\(owner)”的计划。\(guess.map { "您是否想写“\($0)”？" } ?? "")"
                + "现有：\(owners.joined(separator: "、"))",
            en: "plankeeper: error: no plan has the owner '\(owner)'.\(guess.map { " Did you mean '\($0)'?" } ?? "")"
                + " Owners: \(owners.joined(separator: ", "))"
        )
    }

    // MARK: diff

    static func changes(_ count: Int) -> Message {
        Message(zh: "\(count) 处变动", en: "\(count) change\(count == 1 ? "" : "s")")
    }

    // MARK: tick

    static let noNextNotice = Message(zh: "无", en: "none")

    static func channelsQueued(_ n: Int) -> Message {
        Message(
            zh: "渠道：\(n) 条消息待发送（plankeeper deliver 或服务发送）",
            en: "channels: \(n) messages queued (sent by plankeeper deliver or the service)"
        )
    }

    static func tickSummary(
        now: String,
        dryRun: Bool,
        notices: Int,
        combined: Int,
        backlogs: Int,
        overdueDigests: Int,
        reports: Int,
        already: Int,
        next: String
    ) -> Message {
        Message(
            zh: "\(now)：\(dryRun ? "将发送" : "已写入邮件队列") \(notices) 条提醒"
                + "\(combined > 0 ? "（其中若干条合并为 \(combined) 封）" : "")、\(backlogs) 份待办汇总、"
                + "\(overdueDigests) 份督办日报、\(reports) 份工作报告\(already > 0 ? "（\(already) 条早已在队列中）" : "")；下次提醒 \(next)",
            en: "\(now): \(dryRun ? "would send" : "spooled") \(notices) notices"
                + "\(combined > 0 ? " (some combined into \(combined) mails)" : "") and \(backlogs) backlog digests, "
                + "\(overdueDigests) overdue digests, \(reports) reports"
                + "\(already > 0 ? " (\(already) were already spooled)" : ""); next notice \(next)"
        )
    }

    // MARK: deliver

    static func noTransport(spool: String) -> Message {
        Message(
            zh: "mail.transport 为 none：邮件只写入队列 \(spool)/new，由本机的邮件系统自行取走；plankeeper 不投递。",
            en: "mail.transport is none: mail is only spooled to \(spool)/new for the site's own MTA to pick up; "
                + "plankeeper delivers nothing."
        )
    }

    static let queueBusy = Message(
        zh: "另一个投递进程（服务或另一个 deliver）正在处理队列；本次不做任何事。",
        en: "another delivery (the service or another deliver) holds the queue; nothing done."
    )

    static func deliverSummary(transport: String, delivered: Int, deferred: Int, failed: Int) -> Message {
        Message(
            zh: "经 \(transport)：已投递 \(delivered) 封，暂缓 \(deferred) 封，失败 \(failed) 封",
            en: "via \(transport): \(delivered) delivered, \(deferred) deferred, \(failed) failed"
        )
    }

    static func recovered(_ count: Int) -> Message {
        Message(zh: "；恢复上次中断的 \(count) 封", en: "; \(count) recovered from an interrupted run")
    }

    static func waiting(_ count: Int, first: String) -> Message {
        Message(
            zh: "；队列中 \(count) 封等待重试，最早 \(first)",
            en: "; \(count) waiting to be retried, the first at \(first)"
        )
    }

    static func channelBusy(_ channel: String) -> Message {
        Message(zh: "\(channel)：另一个投递进程正在发送；本次跳过。", en: "\(channel): another delivery is sending; skipped.")
    }

    static func channelUncertain(_ count: Int) -> Message {
        Message(zh: "，\(count) 条无法确定是否送达", en: ", \(count) uncertain")
    }

    static func channelWaiting(_ count: Int, first: String) -> Message {
        Message(zh: "；\(count) 条等待发送，最早 \(first)", en: "; \(count) waiting, the first at \(first)")
    }

    static func channelSummary(_ channel: String, delivered: Int, deferred: Int, failed: Int) -> Message {
        Message(
            zh: "\(channel)：已发送 \(delivered) 条，暂缓 \(deferred) 条，失败 \(failed) 条",
            en: "\(channel): \(delivered) delivered, \(deferred) deferred, \(failed) failed"
        )
    }

    // MARK: delivery status

    static let uncertainExplained = Message(
        zh: "“无法确定”：发送途中进程中断，可能已送达，未自动重发；确认群里没有收到后运行 plankeeper deliver --resend-uncertain。",
        en:
            "uncertain: the process stopped while sending; it may have arrived and was not sent again. After checking, run plankeeper deliver --resend-uncertain."
    )

    static let channelStatusColumns = (
        zh: ["渠道", "类型", "待发送", "已发送", "失败", "无法确定", "发送中", "最早下次", "最近发送"],
        en: ["channel", "kind", "queued", "sent", "failed", "uncertain", "sending", "next", "last sent"]
    )

    /// The kind column of the mail row.
    static let mailKind = Message(zh: "邮件", en: "mail")

    /// After a channel with queued messages that the configuration no longer has.
    static let noLongerConfigured = Message(zh: "（已不在配置中）", en: " (no longer configured)")

    // MARK: backup, prune, mail-in keys, spool

    static let cannotCreateBackupFolder = Message(zh: "无法创建备份文件夹", en: "cannot create the backup folder")

    static let cannotCopyEvidence = Message(zh: "无法复制证据文件", en: "cannot copy the evidence files")

    static func backedUp(
        to target: String,
        records: Int,
        handledNotices: Int,
        evidence: Int,
        megabytes: String
    ) -> Message {
        Message(
            zh: "已备份到 \(target)：\(records) 条完成登记，\(handledNotices) 条发送记录，\(evidence) 个证据文件，台账 \(megabytes) MB\n",
            en:
                "backed up to \(target): \(records) records, \(handledNotices) sent-notice rows, \(evidence) evidence files, "
                + "ledger \(megabytes) MB\n"
        )
    }

    static func evidenceMissing(count: Int, example: String) -> Message {
        Message(
            zh: "plankeeper: warning: 台账中有 \(count) 个证据文件在状态目录里找不到（例如 \(example)），备份中也没有",
            en: "plankeeper: warning: \(count) evidence files named in the ledger are not in the state folder "
                + "(e.g. \(example)), nor in the backup"
        )
    }

    static func wouldPrune(_ count: Int, before day: String) -> Message {
        Message(
            zh: "将清理 \(count) 条 \(day) 之前的发送记录（未删除：--dry-run）\n",
            en: "would prune \(count) sent-notice rows before \(day) (nothing deleted: --dry-run)\n"
        )
    }

    static func pruned(_ count: Int, before day: String) -> Message {
        Message(
            zh: "已清理 \(count) 条 \(day) 之前的发送记录；完成登记和证据文件未动\n",
            en: "pruned \(count) sent-notice rows before \(day); records and evidence untouched\n"
        )
    }

    static func keyRotated(_ id: UInt8) -> Message {
        Message(
            zh: "已更换回复地址的签名密钥（k\(id)）。此前发出的提醒邮件，其回复将收到“链接太旧”的答复，不会登记。\n",
            en: "The key that signs reply addresses was replaced (k\(id)). "
                + "Replies to notices sent before get a \"too old\" answer and record nothing.\n"
        )
    }

    static func removedSpoolLeftovers(_ count: Int) -> Message {
        Message(
            zh: "已删除邮件队列 tmp/ 中 \(count) 个中断写入遗留的文件",
            en: "removed \(count) \(count == 1 ? "file" : "files") left in the spool's tmp/ by an interrupted write"
        )
    }

    // MARK: schedule, calendar

    static let nothingDue = Message(zh: "（没有到期事项）\n", en: "(nothing due)\n")

    static let scheduleColumns = (
        zh: ["日期", "星期", "工作事项", "责任单位", "周期", "提醒"], en: ["Date", "Day", "Item", "Owner", "Period", "Reminders"]
    )

    static let makeUpDay = Message(zh: "（调休）", en: " (make-up workday)")

    static func holidayDay(_ name: String) -> Message { Message(zh: "（\(name)）", en: " (holiday: \(name))") }

    static let offDay = Message(zh: "（休）", en: " (off)")

    static func times(_ times: String) -> Message { Message(zh: "（\(times) 次）", en: " (\(times) times)") }

    static let weekdayHeader = (
        zh: ["一", "二", "三", "四", "五", "六", "日"], en: ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
    )

    static let calendarLegend = Message(
        zh: "\n*  法定节假日（休息）   +  调休上班   周六、周日未标 + 的为休息日\n",
        en: "\n*  public holiday (off)   +  make-up working day   Sat/Sun are off unless marked +\n"
    )

    static let source = Message(zh: "数据来源：", en: "Source: ")

    static func origin(_ origin: String) -> Message { Message(zh: "（\(origin)）", en: " (\(origin))") }

    static func days(_ count: Int) -> Message {
        Message(zh: "\(count) 天", en: "\(count) day\(count == 1 ? "" : "s")")
    }

    static let makeUpWorkdays = Message(zh: "调休上班 ", en: "make-up workdays ")

    static func noOfficialList(_ year: Int) -> Message {
        Message(
            zh: "注意：\(year) 年没有官方节假日安排，以上只按周末和法定节日（元旦、春节、清明、劳动节、端午、中秋、国庆）标出。\n"
                + "国务院公布后，请把 \(year) 年的节假日文件放进 holidays 目录（见 README）。\n",
            en:
                "Note: no official holiday list for \(year); only weekends and the statutory festival days are marked.\n"
                + "When the State Council publishes it, add a \(year) holiday file to the holidays folder (see README).\n"
        )
    }
}

extension Language {
    /// One of a pair of word lists (table headers): `Texts.recordColumns`.
    func pick<T>(_ pair: (zh: T, en: T)) -> T { self == .zh ? pair.zh : pair.en }
}
