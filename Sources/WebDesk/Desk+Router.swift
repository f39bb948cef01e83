import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension Desk {
    /// Every route of the desk behind its middleware: security headers on
    /// every answer, then who is asking, then errors as pages (which need to
    /// know who is asking: their language, their form token).
    public func router() -> Router<DeskContext> {
        let router = Router(context: DeskContext.self)
        router.add(middleware: SecurityHeaders())
        router.add(middleware: SessionLoader(desk: self))
        router.add(middleware: ErrorPages(desk: self))
        addAssetRoutes(router)
        addSignInRoutes(router)
        addTodoRoutes(router)
        addRecordRoutes(router)
        addLedgerRoutes(router)
        addBoardRoutes(router)
        addCalendarRoutes(router)
        addLinkRoutes(router)
        return router
    }

    /// The stylesheet and the few lines of script, from the binary; their
    /// URLs carry a version, so they may be cached for a year.
    func addAssetRoutes(_ router: Router<DeskContext>) {
        router.get("/assets/desk.css") { _, _ in
            Self.asset(Pages.css, type: "text/css; charset=utf-8")
        }
        router.get("/assets/report.css") { _, _ in
            Self.asset(Pages.reportCSS, type: "text/css; charset=utf-8")
        }
        router.get("/assets/desk.js") { _, _ in
            Self.asset(Pages.script, type: "text/javascript; charset=utf-8")
        }
        router.get("/healthz") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "ok\n"))
            )
        }
    }

    static func asset(_ bytes: [UInt8], type: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: type, .cacheControl: "public, max-age=31536000, immutable"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }
}
