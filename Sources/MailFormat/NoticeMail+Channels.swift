import Vocabulary

extension NoticeMail {
    /// What a notice says, for the channels other than mail (企业微信, 钉钉):
    /// the sentence that says what is asked, and the facts (item, branch,
    /// plan, period, due date, status, progress, note, contact). The same
    /// words as the mail, without its greeting, the command line for
    /// recording and the signature, which a chat message does not need.
    public static func channelParts(
        _ c: NoticeContent,
        language: Language
    ) -> (opening: String, facts: [(label: String, value: String)]) {
        (opening(c, language), facts(c, language))
    }

    /// `外科第二党支部 · 主题党日活动（2026-10）· 逾期 3 个工作日`: one line of a digest in a chat message.
    public static func channelDigestLine(
        owner: String,
        itemTitle: String,
        period: String,
        workdaysOverdue: Int,
        escalated: Bool,
        language: Language
    ) -> String {
        let n = workdaysOverdue.magnitude
        let late = Texts.workdaysOverdue(n).text(in: language)
        let flag = escalated ? Texts.escalatedTag.text(in: language) : ""
        let p = period.trimmingSpaces
        let what =
            owner.trimmingSpaces + " · " + itemTitle.trimmingSpaces
            + (p.isEmpty ? "" : Texts.inParentheses(p).text(in: language))
        return what + " · " + late + flag
    }
}
