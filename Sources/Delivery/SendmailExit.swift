import Vocabulary

/// What a sendmail exit status means for the message: the `sysexits.h`
/// convention every sendmail-compatible program (postfix, exim, nullmailer,
/// msmtp) follows.
///
/// Three groups:
/// - **the message or its address is wrong** (EX_DATAERR 65, EX_NOINPUT 66,
///   EX_NOUSER 67, EX_NOHOST 68, EX_UNAVAILABLE 69, EX_PROTOCOL 76):
///   permanent, sending it again gives the same answer;
/// - **the mail system cannot take it now** (EX_TEMPFAIL 75, EX_OSERR 71,
///   EX_CANTCREAT 73, EX_IOERR 74): temporary;
/// - **the mail system is misconfigured** (EX_USAGE 64, EX_SOFTWARE 70,
///   EX_OSFILE 72, EX_NOPERM 77, EX_CONFIG 78), and any status outside the
///   convention: also temporary. Nothing is wrong with the message, so it
///   is kept for when the administrator has fixed the MTA, and the journal
///   says so at each attempt; `give-up-after` still bounds it.
public enum SendmailExit {
    public enum Meaning: Sendable, Equatable {
        case accepted, temporary, permanent
    }

    public static func meaning(ofStatus status: Int32) -> Meaning {
        switch status {
        case 0: .accepted
        case 65, 66, 67, 68, 69, 76: .permanent
        default: .temporary
        }
    }

    /// `EX_TEMPFAIL`, or nil outside sysexits.h.
    public static func name(ofStatus status: Int32) -> String? {
        names[status]
    }

    /// A short explanation for the log line.
    static func explanation(ofStatus status: Int32) -> Message {
        switch status {
        case 64: Message(zh: "命令用法错误，请检查 mail.sendmail", en: "command line usage error; check mail.sendmail")
        case 65: Message(zh: "邮件数据有误", en: "data format error")
        case 66: Message(zh: "无法读取输入", en: "cannot open input")
        case 67: Message(zh: "收件人不存在", en: "addressee unknown")
        case 68: Message(zh: "收件域名不存在", en: "host name unknown")
        case 69: Message(zh: "服务不可用", en: "service unavailable")
        case 70: Message(zh: "邮件程序内部错误", en: "internal software error")
        case 71: Message(zh: "系统错误", en: "system error")
        case 72: Message(zh: "系统文件缺失或有误", en: "critical OS file missing")
        case 73: Message(zh: "无法创建输出文件", en: "cannot create output file")
        case 74: Message(zh: "输入输出错误", en: "input/output error")
        case 75: Message(zh: "暂时失败，稍后重试", en: "temporary failure, retry later")
        case 76: Message(zh: "远程协议错误", en: "remote error in protocol")
        case 77:
            Message(
                zh: "权限不足（在 NoNewPrivileges= 服务中，postfix 的 sendmail 无法使用 setgid 的 postdrop；请改用 transport: smtp）",
                en:
                    "permission denied (under NoNewPrivileges= postfix's sendmail cannot use its setgid postdrop; use transport: smtp)"
            )
        case 78: Message(zh: "邮件系统配置错误", en: "configuration error")
        default: Message(zh: "未知的退出码", en: "unknown exit status")
        }
    }

    static let names: [Int32: String] = [
        64: "EX_USAGE", 65: "EX_DATAERR", 66: "EX_NOINPUT", 67: "EX_NOUSER", 68: "EX_NOHOST",
        69: "EX_UNAVAILABLE", 70: "EX_SOFTWARE", 71: "EX_OSERR", 72: "EX_OSFILE", 73: "EX_CANTCREAT",
        74: "EX_IOERR", 75: "EX_TEMPFAIL", 76: "EX_PROTOCOL", 77: "EX_NOPERM", 78: "EX_CONFIG",
    ]
}
