import Diagnostics
import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import NIOCore
import PlanFormat
import Records
import Reports
import Scheduling
import WorkCalendar
import Vocabulary

/// 台账: one branch's year, every occurrence with its records and evidence,
/// printable on A4; the evidence downloads one by one or as one ZIP with an
/// index, the way binders are checked on an inspection.
extension Desk {
    func addLedgerRoutes(_ router: Router<DeskContext>) {
        router.get("/ledger") { request, context in
            let viewer = try self.requireViewer(request, context)
            let snapshot = self.plans.snapshot
            let visible = self.visiblePlans(viewer, snapshot)
            let asked = request.uri.queryParameters["plan"].map(String.init)
            guard
                let plan = asked.flatMap({ id in visible.first { $0.id == id } })
                    ?? (asked == nil ? visible.first : nil)
            else {
                if asked == nil && viewer.seesAll { return Response.redirect(to: "/board", type: .normal) }
                throw DeskError.notFound
            }
            return try await self.ledgerPage(request, context, viewer: viewer, plan: plan, choices: visible)
        }

        router.get("/evidence/:record/:sha") { request, context in
            let viewer = try self.requireViewer(request, context)
            guard let id = context.parameters.get("record").flatMap(Int64.init),
                let sha = context.parameters.get("sha"),
                sha.utf8.count == 64, sha.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) })
            else { throw DeskError.notFound }
            // The file must be listed with a record of a plan the person may see.
            guard let record = try await self.db({ try $0.record(id: id) }), viewer.maySee(record.plan),
                let item = record.evidence.first(where: { $0.sha256 == sha })
            else { throw DeskError.notFound }
            let evidence = self.evidence
            guard let bytes = try await NIOThreadPoolRun.run({ try evidence.contents(sha256: sha) }) else {
                throw DeskError.notFound
            }
            return Response(
                status: .ok,
                headers: [
                    .contentType: item.servedType,
                    .contentDisposition: FileNames.attachmentHeader(item.name),
                    .cacheControl: "private, no-store",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes))
            )
        }

        router.get("/ledger/:plan/evidence.zip") { request, context in
            let viewer = try self.requireViewer(request, context)
            guard let id = context.parameters.get("plan"), viewer.maySee(id), let plan = self.plans.snapshot.byID[id]
            else {
                throw DeskError.notFound
            }
            return try await self.evidenceZip(plan: plan, language: context.language)
        }
    }

    /// The plans a person may look at: their own first, then those they
    /// supervise, then (admins) everyone's, each by owner.
    func visiblePlans(_ viewer: Viewer, _ snapshot: PlanSnapshot) -> [Plan] {
        let own = viewer.records.sorted().compactMap { snapshot.byID[$0] }
        let supervised = viewer.supervises.subtracting(viewer.records).sorted().compactMap { snapshot.byID[$0] }
            .sorted { ($0.owner, $0.year) < ($1.owner, $1.year) }
        if viewer.seesAll {
            let shown = Set(own.map(\.id))
            return own
                + snapshot.plans.filter { !shown.contains($0.id) }.sorted {
                    ($0.owner, $0.year, $0.id) < ($1.owner, $1.year, $1.id)
                }
        }
        return own + supervised
    }

    func ledgerPage(
        _ request: Request,
        _ context: DeskContext,
        viewer: Viewer,
        plan: Plan,
        choices: [Plan]
    ) async throws -> Response {
        let l = context.language
        let snapshot = plans.snapshot
        let planID = plan.id
        let records = try await db({ try $0.records(plan: planID) })
        let ids = records.map(\.id)
        let attendees = try await db({ try $0.attendees(recordIDs: ids) })
        let today = self.today
        var evaluator = StatusEvaluator(
            calendar: snapshot.calendar,
            today: today,
            completions: OccurrenceView.completions(records)
        )
        evaluator.isHistory = historyRule(snapshot)?.isHistory
        let statuses = evaluator.statuses(snapshot.expander.occurrences(of: plan))
        var byKey: [OccurrenceKey: [Record]] = [:]
        for r in records { byKey[r.key, default: []].append(r) }
        var done = 0
        var overdue = 0
        var fileCount = 0
        let rows: [[String: Any]] = statuses.map { s in
            if s.isDone { done += 1 }
            if s.isOverdue { overdue += 1 }
            var row = OccurrenceView.row(s, today: today, l)
            let o = s.occurrence
            row["records"] = (byKey[OccurrenceKey(plan: o.planID, item: o.itemID, period: o.period)] ?? []).map {
                r -> [String: Any] in
                let list = r.evidence
                fileCount += list.count
                return [
                    "doneOn": r.doneOn, "by": r.by ?? "—", "source": OccurrenceView.sourceText(r.source, l),
                    "note": r.note ?? "",
                    "attendees": attendees[r.id].map { Texts.attendeesPrefix.text(in: l) + $0 } ?? "",
                    "hasEvidence": !list.isEmpty,
                    "evidence": list.map {
                        [
                            "name": $0.name, "size": OccurrenceView.size($0.size),
                            "href": "/evidence/\(r.id)/\($0.sha256)",
                        ]
                    },
                ]
            }
            return row
        }
        let summary =
            Texts.ledgerSummary(occurrences: statuses.count, done: done, overdue: overdue, files: fileCount).text(in: l)
        return page(
            "ledger",
            request,
            context,
            current: "Ledger",
            [
                "owner": plan.owner, "planTitle": plan.title, "year": String(plan.year),
                "unitPath": plan.units.joined(separator: " · "),
                "summary": summary, "rows": rows,
                "zipHref": fileCount > 0 ? "/ledger/\(PercentDecoding.encode(plan.id))/evidence.zip" : "",
                "choices": choices.count > 1 && choices.count <= 300,
                "plans": choices.prefix(300).map {
                    ["id": $0.id, "label": "\($0.owner) · \($0.year)", "selected": $0.id == plan.id]
                },
            ]
        )
    }
}
