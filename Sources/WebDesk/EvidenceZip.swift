import Diagnostics
import Foundation
import HTTPTypes
import Hummingbird
import Journal
import Ledger
import Logging
import NIOCore
import PlanFormat
import Records
import Reports
import TextLayout
import ZIPFoundation
import Vocabulary

/// The ZIP of one branch's evidence for a year (ZIPFoundation): every file
/// under a readable name (`03_支部委员会会议_2026-11_签到表.jpg`), and
/// `目录.csv`, the index an inspector reads first: which file proves which
/// occurrence, done when, by whom, with its size and SHA-256.
///
/// Built in a private temporary file (a year of photos does not fit in
/// memory), streamed back as an attachment, and removed.
extension Desk {
    func evidenceZip(plan: Plan, language l: Language) async throws -> Response {
        let planID = plan.id
        let records = try await db({ try $0.records(plan: planID) })
        let evidence = self.evidence
        let titles = Dictionary(plan.items.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
        let path = evidence.uploadFolder + "/zip-" + Desk.randomHex(bytes: 8) + ".zip"
        let size: Int
        do {
            size = try await NIOThreadPoolRun.run {
                try EvidenceZipWriter.write(to: path, records: records, titles: titles, evidence: evidence, language: l)
            }
        } catch {
            unlink(path)
            logger.error(
                "web desk: cannot build the evidence ZIP of \(planID): \(error)",
                metadata: [JournalField.priority: "3"]
            )
            throw DeskError.storage
        }
        let name = Texts.evidenceZipName(owner: plan.owner, year: plan.year).text(in: l)
        let body = ResponseBody(contentLength: size) { writer in
            defer { unlink(path) }
            guard let handle = FileHandle(forReadingAtPath: path) else { throw DeskError.storage }
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 256 * 1024), !chunk.isEmpty {
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/zip", .contentDisposition: FileNames.attachmentHeader(name),
                .cacheControl: "private, no-store",
            ],
            body: body
        )
    }
}

enum EvidenceZipWriter {
    /// Writes the archive and returns its size in bytes.
    static func write(
        to path: String,
        records: [Record],
        titles: [String: String],
        evidence: any EvidenceFiles,
        language l: Language
    ) throws -> Int {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        var index = [
            Texts.evidenceIndexColumns.map { $0.text(in: l) }
        ]
        var number = 0
        var used = Set<String>()
        for record in records {
            for item in record.evidence {
                guard let bytes = try evidence.contents(sha256: item.sha256) else { continue }
                number += 1
                let title = titles[record.item] ?? record.item
                var entry =
                    String(format: "%03d", number) + "_" + zipName(title) + "_" + record.period + "_"
                    + zipName(item.name)
                if let ext = FileKind(mediaType: item.type)?.fileExtension, !item.name.contains(".") {
                    entry += "." + ext
                }
                while used.contains(entry) { entry = "_" + entry }
                used.insert(entry)
                try archive.addEntry(
                    with: entry,
                    type: .file,
                    uncompressedSize: Int64(bytes.count),
                    compressionMethod: .deflate
                ) { position, size in
                    Data(bytes[Int(position)..<min(bytes.count, Int(position) + size)])
                }
                index.append([
                    String(number), title, record.period, record.doneOn, record.by ?? "", entry, item.name,
                    item.type, String(item.size), item.sha256,
                ])
            }
        }
        let csv = Array((CSV.byteOrderMark + index.map(CSV.row).joined()).utf8)
        try archive.addEntry(
            with: Texts.evidenceIndexName.text(in: l),
            type: .file,
            uncompressedSize: Int64(csv.count),
            compressionMethod: .deflate
        ) { position, size in
            Data(csv[Int(position)..<min(csv.count, Int(position) + size)])
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.size] as? NSNumber)?.intValue ?? 0
    }

    /// A name inside the archive: no slashes, no `..`, nothing a file system
    /// or an unzip tool would read as a path (zip-slip).
    static func zipName(_ text: String) -> String {
        var out = FileNames.clean(text).replacingOccurrences(of: "/", with: "_").replacingOccurrences(
            of: "\\",
            with: "_"
        )
        while out.contains("..") { out = out.replacingOccurrences(of: "..", with: ".") }
        return out.isEmpty ? "_" : out
    }
}
