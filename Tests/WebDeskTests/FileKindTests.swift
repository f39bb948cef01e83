import Foundation
import Testing
@testable import WebDesk

@Suite struct FileKindTests {
    @Test(
        arguments: [
            ([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], FileKind.jpeg),
            ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0], .png),
            (Array("\0\0\0\u{18}ftypheic\0\0\0\0".utf8), .heic),
            (Array("\0\0\0\u{18}ftypmif1\0\0\0\0".utf8), .heic),
            (Array("RIFF\u{10}\0\0\0WEBPVP8 ".utf8), .webp),
            (Array("%PDF-1.7\n%".utf8), .pdf),
            ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0], .ole),
            (Array("会议纪要：出席 12 人\n".utf8), .text),
        ] as [([UInt8], FileKind)]
    )
    func sniffsFromTheBytes(head: [UInt8], kind: FileKind) {
        #expect(FileKind.sniff(head: head) == kind)
    }

    @Test func aZipIsWordOnlyWhenItsPartsSaySo() {
        let zipHead: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0]
        #expect(
            FileKind.sniff(head: zipHead + Array("[Content_Types].xml".utf8), zipNames: Array("word/document.xml".utf8))
                == .docx
        )
        #expect(FileKind.sniff(head: zipHead, zipNames: Array("xl/workbook.xml".utf8)) == .xlsx)
        // A plain ZIP (or a JAR) is not evidence.
        #expect(FileKind.sniff(head: zipHead, zipNames: Array("META-INF/MANIFEST.MF".utf8)) == nil)
    }

    @Test func executablesAndBinaryJunkAreRefused() {
        #expect(FileKind.sniff(head: Array("\u{7F}ELF\u{2}\u{1}\u{1}".utf8)) == nil)
        #expect(FileKind.sniff(head: Array("MZ\u{90}\0\u{3}\0".utf8)) == nil)
        #expect(FileKind.sniff(head: [0x00, 0x01, 0x02, 0x03]) == nil)
        #expect(FileKind.sniff(head: []) == nil)
    }

    @Test func textCutInTheMiddleOfACharacterIsStillText() {
        let bytes = Array("会议纪要会议纪要".utf8)
        #expect(FileKind.sniff(head: bytes.dropLast(1)) == .text)
    }
}
