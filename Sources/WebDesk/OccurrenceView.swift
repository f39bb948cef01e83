import Diagnostics
import Ledger
import Records
import Reports
import Scheduling
import WorkCalendar
import Vocabulary

/// How an occurrence and its state read on a page (the values templates show).
enum OccurrenceView {
    static func reportLanguage(_ l: Language) -> Language { l }

    /// `2026 年 11 月`, `2026 年第四季度`, … or the raw label when it is none of those.
    static func periodName(_ label: String, _ l: Language) -> String {
        PeriodLabel(label)?.name(in: l) ?? label
    }

    static func weekday(_ d: CivilDate, _ l: Language) -> String {
        l.pick(d.weekday.chineseName, d.weekday.englishName)
    }

    static func stateClass(_ s: OccurrenceStatus) -> String {
        s.notTracked ? "muted" : stateClass(s.state)
    }

    static func stateClass(_ state: OccurrenceState) -> String {
        switch state {
        case .doneOnTime: "ok"
        case .doneLate: "warn"
        case .overdue: "bad"
        case .dueSoon: "soon"
        case .upcoming: "muted"
        }
    }

    static func title(_ o: Occurrence, _ l: Language) -> String {
        guard let r = o.requiredCount else { return o.title }
        let n = r.lowerBound == r.upperBound ? "\(r.lowerBound)" : "\(r.lowerBound)–\(r.upperBound)"
        return o.title + Texts.timesInParentheses(n).text(in: l)
    }

    static func recordHref(_ o: Occurrence) -> String {
        "/record/" + PercentDecoding.encode(o.planID) + "/" + PercentDecoding.encode(o.itemID) + "/"
            + PercentDecoding.encode(o.period)
    }

    static func row(_ s: OccurrenceStatus, today: CivilDate, _ l: Language) -> [String: Any] {
        let o = s.occurrence
        var state = s.text(l, today: today, due: o.due)
        if let p = s.progress, !s.isDone { state += Texts.progressDone(p).text(in: l) }
        return [
            "title": title(o, l), "owner": o.owner, "periodLabel": periodName(o.period, l),
            "due": o.due.description, "dueWeekday": weekday(o.due, l),
            "stateText": state, "stateClass": stateClass(s), "recordHref": recordHref(o),
        ]
    }

    /// A row of 我的待办: few values, so the page renders fast (Mustache's
    /// look-ups are what a page view costs): the second line pre-joined.
    static func todoRow(_ s: OccurrenceStatus, today: CivilDate, _ l: Language) -> [String: Any] {
        let o = s.occurrence
        var state = s.text(l, today: today, due: o.due)
        if let p = s.progress, !s.isDone { state += Texts.progressDone(p).text(in: l) }
        let meta =
            o.owner + " · " + periodName(o.period, l) + " · " + Texts.duePrefix.text(in: l) + o.due.description + " "
            + weekday(o.due, l)
        return [
            "title": title(o, l), "meta": meta, "stateText": state, "stateClass": stateClass(s),
            "recordHref": recordHref(o), "recordLabel": Texts.recordButton.text(in: l),
        ]
    }

    /// How a record arrived: 网页, 邮件回复, 命令行.
    static func sourceText(_ source: RecordSource, _ l: Language) -> String {
        l.pick(source.zh, source.en)
    }

    /// Records (and undone ones gone) as the ledger's completions.
    static func completions(_ records: [Record]) -> [Completion] {
        records.compactMap { r in
            CivilDate(iso: r.doneOn).map {
                Completion(plan: r.plan, item: r.item, period: r.period, doneOn: $0, by: r.by, note: r.note)
            }
        }
    }

    /// `1.2 MB`, `830 KB`.
    static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20 { return String(Double(bytes * 10 / (1 << 20)) / 10) + " MB" }
        return String(max(1, (bytes + 1023) / 1024)) + " KB"
    }
}
