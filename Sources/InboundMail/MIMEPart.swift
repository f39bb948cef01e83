/// One MIME entity of a message: its headers and either a body (a leaf) or
/// the parts of a multipart.
///
/// Leaves keep their raw, still transfer-encoded bytes as a slice of the
/// message (no copy of a 25 MB message per level); `decodedBody` decodes on
/// demand.
public struct MIMEPart: Sendable {
    public var headers: MessageHeaders
    /// `text/plain; charset=us-ascii` when the part says nothing (RFC 2045 §5.2).
    public var contentType: HeaderParameters
    public var disposition: HeaderParameters?
    public var rawBody: ArraySlice<UInt8>
    public var parts: [MIMEPart]

    public var isMultipart: Bool { contentType.type == "multipart" }

    /// `base64`, `quoted-printable`, or nothing to undo.
    public var transferEncoding: String {
        (headers.first("Content-Transfer-Encoding")?.raw ?? "").lowercased().filter { !$0.isWhitespace }
    }

    /// The body with its transfer encoding undone.
    public var decodedBody: [UInt8] {
        switch transferEncoding {
        case "base64": TransferDecoding.base64(rawBody)
        case "quoted-printable": TransferDecoding.quotedPrintable(rawBody)
        default: Array(rawBody)
        }
    }

    /// The file name the sender gave, from the disposition or (older clients) the type's `name`.
    public var fileName: String? {
        let name = disposition?["filename"] ?? contentType["name"]
        return name?.isEmpty == false ? name : nil
    }

    /// Parses an entity in `bytes[start..<end]`, counting parts in `budget`.
    static func parse(
        _ bytes: [UInt8],
        start: Int,
        end: Int,
        depth: Int,
        limits: ParseLimits,
        budget: inout Int,
        notes: inout [ParseNote]
    ) -> MIMEPart {
        budget -= 1
        let (headers, bodyStart, truncated) = MessageHeaders.parse(bytes, from: start, end: end)
        if truncated { notes.append(.headerTruncated) }
        var contentType =
            headers.first("Content-Type").map { HeaderParameters.parse($0.value) }
            ?? HeaderParameters(value: "text/plain")
        if contentType.value.isEmpty || !contentType.value.contains("/") {
            contentType = HeaderParameters(value: "text/plain", parameters: contentType.parameters)
        }
        let disposition = headers.first("Content-Disposition").map { HeaderParameters.parse($0.value) }
        var part = MIMEPart(
            headers: headers,
            contentType: contentType,
            disposition: disposition,
            rawBody: bytes[min(bodyStart, end)..<end],
            parts: []
        )
        guard contentType.type == "multipart" else { return part }
        guard let boundary = contentType["boundary"], !boundary.isEmpty, boundary.utf8.count <= 200 else {
            notes.append(.missingBoundary)
            part.contentType = HeaderParameters(value: "application/octet-stream")
            return part
        }
        guard depth < limits.depth else {
            notes.append(.nestedTooDeep(limit: limits.depth))
            return part
        }
        let (ranges, terminated) = bodyRanges(bytes, start: bodyStart, end: end, boundary: Array(boundary.utf8))
        if !terminated { notes.append(.unterminatedMultipart) }
        for range in ranges {
            guard budget > 0 else {
                if !notes.contains(.tooManyParts(limit: limits.parts)) {
                    notes.append(.tooManyParts(limit: limits.parts))
                }
                break
            }
            part.parts.append(
                parse(
                    bytes,
                    start: range.lowerBound,
                    end: range.upperBound,
                    depth: depth + 1,
                    limits: limits,
                    budget: &budget,
                    notes: &notes
                )
            )
        }
        return part
    }

    /// The byte ranges of a multipart body's parts, between `--boundary`
    /// lines (the line break before a boundary line belongs to it), and
    /// whether the closing `--boundary--` was found.
    static func bodyRanges(_ bytes: [UInt8], start: Int, end: Int, boundary: [UInt8]) -> ([Range<Int>], Bool) {
        let delimiter = [UInt8(ascii: "-"), UInt8(ascii: "-")] + boundary
        var ranges: [Range<Int>] = []
        var partStart: Int?
        var lineStart = start
        while lineStart < end {
            var lineEnd = lineStart
            while lineEnd < end, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            let next = min(lineEnd + 1, end)
            if lineEnd - lineStart >= delimiter.count, bytes[lineStart] == UInt8(ascii: "-"),
                bytes[lineStart..<(lineStart + delimiter.count)].elementsEqual(delimiter)
            {
                var rest = bytes[(lineStart + delimiter.count)..<lineEnd]
                let closing = rest.starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")])
                if closing { rest = rest.dropFirst(2) }
                if rest.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                    if let s = partStart {
                        // Drop the line break that precedes the delimiter.
                        var e = lineStart
                        if e > s, bytes[e - 1] == 0x0A { e -= 1 }
                        if e > s, bytes[e - 1] == 0x0D { e -= 1 }
                        ranges.append(s..<max(s, e))
                    }
                    if closing { return (ranges, true) }
                    partStart = next
                }
            }
            lineStart = next
        }
        if let s = partStart, s < end { ranges.append(s..<end) }
        return (ranges, false)
    }
}
