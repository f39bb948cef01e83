import Crypto
import Foundation
import MultipartKit
import NIOCore

/// Reads a `multipart/form-data` body as it streams in (MultipartKit's
/// parser), writing each file to a private temporary file while hashing it,
/// so a 20 MB photo never sits in memory and a 100 MB one is cut off at the
/// limit without being read to the end.
///
/// By construction:
/// - the form token (`_csrf`) must come before any file (forms put it first;
///   browsers send fields in order), so nothing is written for a forged form;
/// - limits on each file, the number of files, each text field, the number
///   of fields and a part's headers are checked as bytes arrive;
/// - a file's kind is sniffed from its bytes (`FileKind`), its name kept
///   only as a cleaned label, never as a path;
/// - on any failure `discard()` removes what was written.
final class UploadReceiver {
    struct Limits {
        var fileBytes: Int
        var files: Int
        var fieldBytes = 64 * 1024
        var fields = 50
        var headerBytes = 16 * 1024
    }

    struct File {
        var path: String
        var name: String
        var kind: FileKind
        var size: Int
        var sha256: String
    }

    private(set) var fields: [String: String] = [:]
    private(set) var files: [File] = []
    private let parser: MultipartParser
    private let limits: Limits
    private let folder: String
    private let expectedToken: String
    private var tokenChecked = false
    private var failure: DeskError?

    // The part being read.
    private var headers: [String: String] = [:]
    private var partName: String?
    private var fileName: String?
    private var text: [UInt8] = []
    private var output: FileHandle?
    private var outputPath: String?
    private var hasher = SHA256()
    private var size = 0
    private var head: [UInt8] = []
    private var tail: [UInt8] = []
    private var fieldCount = 0
    private var bytesSinceProgress = 0

    static let tailLength = 64 * 1024

    /// Nil when the content type names no usable boundary.
    init?(contentType: String, limits: Limits, folder: String, expectedToken: String) {
        guard let boundary = Self.boundary(contentType) else { return nil }
        parser = MultipartParser(boundary: boundary)
        self.limits = limits
        self.folder = folder
        self.expectedToken = expectedToken
        parser.onHeader = { [unowned self] name, value in
            self.bytesSinceProgress = 0
            self.headers[name.lowercased()] = value
        }
        parser.onBody = { [unowned self] buffer in
            self.bytesSinceProgress = 0
            self.body(&buffer)
        }
        parser.onPartComplete = { [unowned self] in
            self.bytesSinceProgress = 0
            self.partComplete()
        }
    }

    /// The boundary parameter of a multipart content type: 1–70 characters
    /// (RFC 2046), never empty (MultipartKit traps on an empty one).
    static func boundary(_ contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() {
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, kv[0].lowercased() == "boundary" else { continue }
            var value = kv[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            guard (1...70).contains(value.utf8.count), value.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 32 })
            else { return nil }
            return value
        }
        return nil
    }

    /// Feeds the next piece of the body.
    func feed(_ buffer: ByteBuffer) throws(DeskError) {
        if let failure { throw failure }
        bytesSinceProgress += buffer.readableBytes
        do {
            try parser.execute(buffer)
        } catch {
            fail(.badRequest)
        }
        // Headers (or a preamble) that never end are refused, whatever the body limit.
        if bytesSinceProgress > limits.headerBytes + 4096 && output == nil && partName == nil { fail(.badRequest) }
        if let failure { throw failure }
    }

    /// After the whole body: the token must have been seen.
    func finish() throws(DeskError) {
        if let failure { throw failure }
        guard tokenChecked else { throw .formExpired }
    }

    /// Removes every file written (on any failure, or after keeping them elsewhere).
    func discard() {
        try? output?.close()
        output = nil
        if let outputPath { unlink(outputPath) }
        outputPath = nil
        for file in files { unlink(file.path) }
        files = []
    }

    private func fail(_ error: DeskError) {
        if failure == nil { failure = error }
    }

    private func body(_ buffer: inout ByteBuffer) {
        guard failure == nil else { return }
        if partName == nil { startPart() }
        guard failure == nil, let bytes = buffer.readBytes(length: buffer.readableBytes) else { return }
        if fileName != nil {
            write(bytes)
        } else {
            text += bytes
            if text.count > limits.fieldBytes { fail(.tooLarge) }
        }
    }

    private func startPart() {
        let disposition = FormDisposition(headers["content-disposition"] ?? "")
        guard let name = disposition.name else { return fail(.badRequest) }
        partName = name
        fileName = disposition.fileName
        if let fileName, !fileName.isEmpty || headers["content-type"] != nil {
            guard tokenChecked else { return fail(.formExpired) }
            guard files.count < limits.files else { return fail(.tooManyFiles(limits.files)) }
            openOutput()
        } else {
            fieldCount += 1
            if fieldCount > limits.fields { fail(.badRequest) }
        }
    }

    private func openOutput() {
        var random = SystemRandomNumberGenerator()
        let path = folder + "/upload-" + (0..<16).map { _ in String(random.next() & 0xF, radix: 16) }.joined()
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return fail(.storage) }
        output = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        outputPath = path
        hasher = SHA256()
        size = 0
        head = []
        tail = []
    }

    private func write(_ bytes: [UInt8]) {
        guard let output else { return }
        size += bytes.count
        if size > limits.fileBytes { return fail(.tooLarge) }
        hasher.update(data: bytes)
        if head.count < FileKind.headLength { head += bytes.prefix(FileKind.headLength - head.count) }
        tail += bytes
        if tail.count > Self.tailLength { tail.removeFirst(tail.count - Self.tailLength) }
        do { try output.write(contentsOf: bytes) } catch { fail(.storage) }
    }

    private func partComplete() {
        defer {
            headers = [:]
            partName = nil
            fileName = nil
            text = []
        }
        if partName == nil { startPart() }  // an empty part: no body callback came
        guard failure == nil, let name = partName else { return }
        if fileName != nil {
            finishFile()
            return
        }
        guard let value = String(validating: text, as: UTF8.self) else { return fail(.badRequest) }
        if name == "_csrf" {
            guard !expectedToken.isEmpty, ConstantTimeText.equals(value, expectedToken) else {
                return fail(.formExpired)
            }
            tokenChecked = true
        } else {
            fields[name] = value
        }
    }

    private func finishFile() {
        guard let output, let path = outputPath else {
            return  // the browser's empty part for "no file chosen"
        }
        try? output.close()
        self.output = nil
        outputPath = nil
        if size == 0 {
            unlink(path)
            return
        }
        guard let kind = FileKind.sniff(head: head, zipNames: tail) else {
            unlink(path)
            return fail(.unsupportedFile(FileNames.clean(fileName ?? "")))
        }
        let digest = hasher.finalize().map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        files.append(
            File(path: path, name: FileNames.clean(fileName ?? "", kind: kind), kind: kind, size: size, sha256: digest)
        )
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// Equality of two strings in time independent of where they differ (form
/// tokens are secrets; their length is not).
enum ConstantTimeText {
    static func equals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for (p, q) in zip(x, y) { difference |= p ^ q }
        return difference == 0
    }
}
