import Config
import Diagnostics
import Foundation
import HTTPTypes
import Hummingbird
import Journal
import Ledger
import Logging
import Vocabulary
import WorkCalendar

/// Headers that make every response safe to receive, errors included:
/// nothing from elsewhere may load, run, frame the page or be sniffed.
struct SecurityHeaders: RouterMiddleware {
    typealias Context = DeskContext

    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'"

    static let fixed: [(HTTPField.Name, String)] = [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "DENY"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("Permissions-Policy", "geolocation=(), microphone=(), camera=(), payment=(), usb=()"),
    ].compactMap { name, value in HTTPField.Name(name).map { ($0, value) } }

    func handle(
        _ request: Request,
        context: DeskContext,
        next: (Request, DeskContext) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        for (name, value) in Self.fixed { response.headers[name] = value }
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

/// Turns every error into a page in the reader's language with the right
/// status: a `DeskError`, Hummingbird's own (an unknown route, a body too
/// large), or anything else (logged, answered 500 without details).
struct ErrorPages: RouterMiddleware {
    typealias Context = DeskContext
    let desk: Desk

    func handle(
        _ request: Request,
        context: DeskContext,
        next: (Request, DeskContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as DeskError {
            if case .signInRequired(let target) = error {
                return Response.redirect(to: "/signin?next=" + PercentDecoding.encode(target), type: .normal)
            }
            return desk.errorPage(error.status, error.message(context.language), request: request, context: context)
        } catch let error as HTTPError {
            let message: String =
                switch error.status {
                case .notFound: Words.text("notFound", context.language)
                case .contentTooLarge: Words.text("tooLarge", context.language)
                case .methodNotAllowed: Texts.methodNotAllowed.text(in: context.language)
                default: Words.text("serverError", context.language)
                }
            return desk.errorPage(error.status, message, request: request, context: context)
        } catch {
            desk.logger.error(
                "web desk: \(request.method) \(request.uri.path): \(String(describing: error))",
                metadata: [JournalField.priority: "3"]
            )
            return desk.errorPage(
                .internalServerError,
                Words.text("serverError", context.language),
                request: request,
                context: context
            )
        }
    }
}

/// Finds who is asking: the client's address (through a trusted proxy),
/// the session named by the cookie, the person's rights from the current
/// plans, their language, and the token their forms must carry. An anonymous
/// visitor gets a random form cookie, so even the sign-in form has a token.
struct SessionLoader: RouterMiddleware {
    typealias Context = DeskContext
    let desk: Desk

    func handle(
        _ request: Request,
        context: DeskContext,
        next: (Request, DeskContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.client = desk.client(peer: context.peer, forwardedFor: request.headers[Desk.forwardedFor])
        context.language = desk.language(request)
        if let value = request.cookies[desk.sessionCookie]?.value, Desk.isToken(value) {
            let hash = Desk.sha256Hex(value)
            let found: WebSession?
            do {
                found = try desk.session(idHash: hash)
            } catch let error as DeskError {
                return desk.errorPage(error.status, error.message(context.language), request: request, context: context)
            }
            if let session = found {
                context.session = session
                context.viewer = desk.plans.snapshot.access.viewer(session.address)
                context.formToken = session.csrf
            }
        }
        var newFormCookie: String?
        if context.session == nil {
            if let value = request.cookies[desk.formCookie]?.value, Desk.isToken(value) {
                context.formToken = value
            } else {
                let token = Desk.randomHex(bytes: 32)
                context.formToken = token
                newFormCookie = token
            }
        }
        var response = try await next(request, context)
        if let newFormCookie {
            response.headers.append(
                HTTPField(name: .setCookie, value: desk.cookie(desk.formCookie, newFormCookie, maxAge: nil))
            )
        }
        return response
    }
}

extension Desk {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For") ?? .via

    /// Session ids and form tokens are 64 lower-case hex digits; anything
    /// else in a cookie is ignored without a database look-up.
    static func isToken(_ value: String) -> Bool {
        value.utf8.count == 64 && value.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }

    /// The client: the peer, or — when the peer is a configured proxy — the
    /// last address in `X-Forwarded-For` (the one the proxy itself added).
    func client(peer: String?, forwardedFor: String?) -> String {
        guard let peer else { return "unknown" }
        if settings.web.proxies.contains(peer), let forwardedFor,
            let last = forwardedFor.split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
            !last.isEmpty, last.utf8.count <= 64, last.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 })
        {
            return last
        }
        return peer
    }

    func chrome(_ request: Request, _ context: DeskContext, current: String = "") -> [String: Any] {
        Chrome(
            language: context.language,
            viewer: context.viewer,
            formToken: context.formToken,
            path: Desk.safeNext(request.uri.path),
            today: today.description,
            current: current
        ).model
    }

    /// A rendered page.
    /// - Parameter clean: leave out empty text at every depth (see
    ///   `withoutEmptyText`); a hot page whose model has none skips the walk.
    func page(
        _ name: String,
        _ request: Request,
        _ context: DeskContext,
        current: String = "",
        status: HTTPResponse.Status = .ok,
        clean: Bool = true,
        _ model: [String: Any]
    ) -> Response {
        htmlResponse(render(name, request, context, current: current, clean: clean, model), status: status)
    }

    /// A page's HTML (see `page`).
    func render(
        _ name: String,
        _ request: Request,
        _ context: DeskContext,
        current: String = "",
        clean: Bool = true,
        _ model: [String: Any]
    ) -> String {
        var full = chrome(request, context, current: current)
        full.merge(model) { _, new in new }
        return pages.render(name, clean ? Self.withoutEmptyText(full) : full)
    }

    func htmlResponse(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }

    /// Mustache treats an empty string as true (`{{#note}}…{{/note}}` would
    /// show an empty box): empty text is left out of the model instead.
    static func withoutEmptyText(_ model: [String: Any]) -> [String: Any] {
        var out: [String: Any] = [:]
        out.reserveCapacity(model.count)
        for (key, value) in model {
            switch value {
            case let text as String where text.isEmpty: continue
            case let nested as [String: Any]: out[key] = withoutEmptyText(nested)
            case let list as [[String: Any]]: out[key] = list.map(withoutEmptyText)
            default: out[key] = value
            }
        }
        return out
    }

    func errorPage(_ status: HTTPResponse.Status, _ message: String, request: Request, context: DeskContext) -> Response
    {
        let l = context.language
        var response = page(
            "error",
            request,
            context,
            status: status,
            [
                "heading": Words.text(status == .serviceUnavailable ? "busy" : "errorTitle", l) == Words.text("busy", l)
                    ? Texts.tryAgainLater.text(in: l) : Words.text("errorTitle", l),
                "message": message,
                "tone": status.code >= 500 ? "bad" : "warn",
                "backHref": context.viewer == nil ? "/signin" : "/",
                "backLabel": Words.text("home", l),
            ]
        )
        if status == .serviceUnavailable { response.headers[.retryAfter] = "5" }
        return response
    }
}
