import Config
import Foundation
import HTTPTypes
import Hummingbird
import Journal
import Logging
import NIOCore

extension Desk {
    /// The most a form without files may send.
    static let plainFormLimit = 64 * 1024

    /// Reads a URL-encoded form and checks its token: the only way a POST
    /// handler gets its fields, so no handler can forget the check. A body
    /// over the limit is refused from its `Content-Length` before it is read.
    func form(_ request: Request, _ context: DeskContext) async throws -> [String: String] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > Self.plainFormLimit {
            throw DeskError.tooLarge
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Self.plainFormLimit)
        } catch {
            throw DeskError.tooLarge
        }
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded"),
            let fields = URLEncodedForm.parse(Array(buffer.readableBytesView))
        else { throw DeskError.badRequest }
        try checkToken(fields["_csrf"], context)
        return fields
    }

    /// The form token must equal the session's (or, signed out, the form
    /// cookie's): a page on another site can make the browser post, but it
    /// cannot read the token.
    func checkToken(_ sent: String?, _ context: DeskContext) throws {
        guard let sent, !context.formToken.isEmpty, ConstantTimeText.equals(sent, context.formToken) else {
            logger.notice(
                "web desk: a form arrived without a valid token from \(context.client)",
                metadata: [JournalField.priority: "5"]
            )
            throw DeskError.formExpired
        }
    }

    /// Receives a `multipart/form-data` form with files, streaming; the
    /// caller keeps or discards the files.
    func upload(_ request: Request, _ context: DeskContext) async throws -> UploadReceiver {
        let limits = settings.web.limits
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limits.requestBytes {
            throw DeskError.tooLarge
        }
        guard
            let receiver = UploadReceiver(
                contentType: request.headers[.contentType] ?? "",
                limits: .init(fileBytes: limits.uploadBytes, files: limits.uploads),
                folder: evidence.uploadFolder,
                expectedToken: context.formToken
            )
        else { throw DeskError.badRequest }
        var total = 0
        do {
            for try await buffer in request.body {
                total += buffer.readableBytes
                if total > limits.requestBytes { throw DeskError.tooLarge }
                try receiver.feed(buffer)
            }
            try receiver.finish()
        } catch {
            receiver.discard()
            if let error = error as? DeskError { throw error }
            throw DeskError.badRequest
        }
        return receiver
    }
}
