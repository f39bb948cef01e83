import Diagnostics
import Foundation
import Hummingbird
import Ledger
import Journal
import Logging
import Notices
import Outbox
import Records
import Scheduling
import Vocabulary
import PlanFormat
import Reports
import Vocabulary
import WorkCalendar

/// 我的待办 and 我的.
extension Desk {
    func addTodoRoutes(_ router: Router<DeskContext>) {
        router.get("/") { request, context in
            guard let viewer = context.viewer else { return Response.redirect(to: "/signin", type: .normal) }
            return Response.redirect(
                to: viewer.records.isEmpty && viewer.isSupervisor ? "/board" : "/todo",
                type: .normal
            )
        }

        router.get("/todo") { request, context in
            let viewer = try self.requireViewer(request, context)
            let snapshot = self.plans.snapshot
            let mine = viewer.records.sorted().compactMap { snapshot.byID[$0] }
            let ids = mine.map(\.id)
            let today = self.today
            let l = context.language
            // The page is a function of these: kept while they hold.
            let version = try self.read { try $0.recordVersion(plans: ids) }
            let history = self.historyRule(snapshot)
            let note = request.uri.queryParameters["acknowledged"].flatMap { Int(String($0)) }
            let key =
                "\(viewer.address)|\(l.rawValue)|\(today)|\(snapshot.generation)|\(version)|\(history?.start.description ?? "-")|\(note ?? -1)"
            if let html = self.todoPages.page(key, formToken: context.formToken) { return self.htmlResponse(html) }

            let records = try self.read { ledger in try ids.flatMap { id in try ledger.records(plan: id) } }
            let list = TodoList(
                plans: mine,
                expander: snapshot.expander,
                completions: OccurrenceView.completions(records),
                today: today,
                horizonDays: self.settings.overdueHorizonDays,
                isHistory: history?.isHistory
            )
            var groups: [[String: Any]] = []
            for (key, tone, statuses) in [
                ("groupOverdue", "bad", list.overdue), ("groupSoon", "soon", list.soon),
                ("groupLater", "later", list.later),
            ]
            where !statuses.isEmpty {
                groups.append([
                    "heading": Words.text(key, l), "tone": tone, "count": String(statuses.count),
                    "items": statuses.map { OccurrenceView.todoRow($0, today: today, l) },
                ])
            }
            // No empty text anywhere (the page skips the walk that removes it).
            var model: [String: Any] = ["groups": groups, "weekday": OccurrenceView.weekday(today, l)]
            if list.doneThisPeriod > 0 {
                model["doneNote"] = Words.text("doneThisPeriod", l).replacingOccurrences(
                    of: "%N%",
                    with: String(list.doneThisPeriod)
                )
            }
            if !list.history.isEmpty, let start = history?.start {
                // History is not listed item by item: one line, and one button.
                model["history"] =
                    [
                        "count": String(list.history.count),
                        "text": Texts.historyNotice(list.history.count, trackingBegan: start.date).text(in: l),
                        "button": Texts.acknowledgeAllButton.text(in: l),
                    ] as [String: Any]
            }
            if let note {
                model["message"] = Texts.historyAcknowledged(note).text(in: l)
            }
            if mine.isEmpty && viewer.isSupervisor {
                model["message"] =
                    Texts.noPlanToRecord.text(in: l)
            }
            var generic = context
            generic.formToken = PageCache.tokenPlaceholder
            let html = self.render("todo", request, generic, current: "Todo", clean: false, model)
            self.todoPages.keep(html, for: key)
            return self.htmlResponse(html.replacingOccurrences(of: PageCache.tokenPlaceholder, with: context.formToken))
        }

        router.post("/history/acknowledge") { request, context in
            let viewer = try self.requireViewer(request, context)
            _ = try await self.form(request, context)
            return try await self.acknowledgeHistory(viewer, context: context)
        }

        router.get("/me") { request, context in
            let viewer = try self.requireViewer(request, context)
            let snapshot = self.plans.snapshot
            let address = viewer.address
            let count = try await self.db({ try $0.sessionCount(address: address) })
            func list(_ ids: Set<String>) -> [[String: Any]] {
                ids.sorted().compactMap { snapshot.byID[$0] }.map { ["owner": $0.owner, "title": $0.title] }
            }
            let l = context.language
            let feeds = self.feeds(viewer, snapshot, l)
            return self.page(
                "me",
                request,
                context,
                current: "Me",
                [
                    "viewerAddress": viewer.address, "seesAll": viewer.seesAll,
                    "hasRecordPlans": !viewer.records.isEmpty, "recordPlans": list(viewer.records),
                    "hasSupervisedPlans": !viewer.supervises.isEmpty && !viewer.seesAll,
                    "supervisedPlans": list(viewer.supervises),
                    "sessionsNote": Words.text("sessionsNote", l).replacingOccurrences(of: "%N%", with: String(count)),
                    "feeds": feeds, "hasFeeds": !feeds.isEmpty,
                ]
            )
        }
    }

    /// The calendar feeds a person may subscribe to: their own (every plan
    /// they record for), then each branch they record for or supervise (at
    /// most 20: an admin of a city subscribes from the branch's ledger).
    func feeds(_ viewer: Viewer, _ snapshot: PlanSnapshot, _ l: Language) -> [[String: Any]] {
        var list: [[String: Any]] = []
        if !viewer.records.isEmpty, let url = feedURL(.person(viewer.address)) {
            list.append(["label": Texts.allMyItemsFeed.text(in: l), "url": url])
        }
        for id in (viewer.records.sorted() + viewer.supervises.subtracting(viewer.records).sorted()).prefix(20) {
            guard let plan = snapshot.byID[id], let url = feedURL(.plan(id)) else { continue }
            list.append(["label": "\(plan.owner) · \(plan.year)", "url": url])
        }
        return list
    }

    /// Records every unrecorded history occurrence of the plans the person
    /// records for as done on its due date (`NoticePolicy.unrecordedHistory`,
    /// what `plankeeper done --history` does), in one transaction.
    func acknowledgeHistory(_ viewer: Viewer, context: DeskContext) async throws -> Response {
        let snapshot = plans.snapshot
        guard let (start, _) = historyRule(snapshot) else { return Response.redirect(to: "/todo", type: .normal) }
        let mine = viewer.records.sorted().compactMap { snapshot.byID[$0] }
        let ids = mine.map(\.id)
        var counts: [OccurrenceKey: Int] = [:]
        for record in try read({ ledger in try ids.flatMap { try ledger.records(plan: $0) } }) {
            counts[record.key, default: 0] += 1
        }
        let policy = NoticePolicy(config: settings.config, calendar: snapshot.calendar, trackingStart: start)
        let entries = mine.map {
            NoticePolicy.PlanOccurrences(plan: $0, occurrences: snapshot.expander.occurrences(of: $0))
        }
        let history = policy.unrecordedHistory(entries, completions: counts)
        let l = context.language
        let note = Texts.acknowledgedInBulkNote(start).text(in: l)
        let now = unixNow
        var new: [NewRecord] = []
        for o in history {
            for _ in counts[o.key, default: 0]..<(o.requiredCount?.lowerBound ?? 1) {
                new.append(
                    NewRecord(
                        plan: o.planID,
                        item: o.itemID,
                        period: o.period,
                        doneOn: o.due.description,
                        by: viewer.displayName,
                        note: note,
                        recordedAt: now,
                        source: .web,
                        byAddress: viewer.address
                    )
                )
            }
        }
        let records = new
        _ = try await db({ ledger in try ledger.addRecords(records) })
        logger.notice(
            "web desk: \(viewer.address) acknowledged \(history.count) history items",
            metadata: [
                JournalField.messageID: .string(MessageID.recordAdded), JournalField.kind: "history",
                JournalField.source: "web",
                JournalField.from: .string(viewer.address), JournalField.client: .string(context.client),
                JournalField.count: .string(String(history.count)),
            ]
        )
        return Response.redirect(to: "/todo?acknowledged=\(history.count)", type: .normal)
    }
}
