import Testing
@testable import WebDesk

@Suite struct FormParsingTests {
    @Test func dispositionNamesAndFileNames() {
        let d = FormDisposition(#"form-data; name="files"; filename="会议 \"纪要\".pdf""#)
        #expect(d.name == "files")
        #expect(d.fileName == #"会议 "纪要".pdf"#)
        let e = FormDisposition("form-data; name=files; filename=\"a.pdf\"; filename*=UTF-8''%E7%AD%BE%E5%88%B0.jpg")
        #expect(e.fileName == "签到.jpg")
        #expect(FormDisposition("form-data; name=\"_csrf\"").fileName == nil)
        #expect(FormDisposition("garbage").name == nil)
    }

    @Test func fileNamesAreLabelsNeverPaths() {
        #expect(FileNames.clean("../../etc/passwd") == "passwd")
        #expect(FileNames.clean(#"C:\Users\王五\签到表.jpg"#) == "签到表.jpg")
        #expect(FileNames.clean("..") == "附件")
        #expect(FileNames.clean(".htaccess") == "htaccess")
        // A right-to-left override would show "gpj.exe" as "exe.jpg".
        #expect(FileNames.clean("photo\u{202E}gpj.exe") == "photogpj.exe")
        #expect(FileNames.clean("a\u{0}b\nc.pdf") == "abc.pdf")
        // "</script>" holds a slash: only the part after it is a name, and no angle bracket survives.
        #expect(FileNames.clean("<script>alert(1)</script>.jpg") == "script_.jpg")
        #expect(!FileNames.clean("<img src=x onerror=alert(1)>.png").contains("<"))
        #expect(FileNames.clean(String(repeating: "长", count: 300) + ".docx").count <= FileNames.maximumLength)
        #expect(FileNames.clean(String(repeating: "长", count: 300) + ".docx").hasSuffix(".docx"))
        #expect(FileNames.clean("", kind: .jpeg) == "附件.jpg")
    }

    @Test func attachmentHeaderHasAnASCIIFallbackAndTheUTF8Name() {
        let h = FileNames.attachmentHeader("签到表 \"1\".jpg")
        #expect(h.hasPrefix("attachment; filename=\""))
        #expect(!h.dropFirst("attachment; filename=\"".count).prefix(while: { $0 != ";" }).dropLast().contains("\""))
        #expect(h.contains("filename*=UTF-8''%E7%AD%BE%E5%88%B0%E8%A1%A8%20%221%22.jpg"))
    }

    @Test func urlEncodedForms() {
        let fields = URLEncodedForm.parse(Array("_csrf=ab&address=wang%2Bwu%40h.example&note=a+b%20c".utf8))
        #expect(fields?["address"] == "wang+wu@h.example")
        #expect(fields?["note"] == "a b c")
        #expect(URLEncodedForm.parse(Array("a=%ZZ".utf8)) == nil)
        #expect(URLEncodedForm.parse([0x61, 0x3D, 0xFF]) == nil)
    }

    @Test func boundaries() {
        #expect(UploadReceiver.boundary("multipart/form-data; boundary=----abc") == "----abc")
        #expect(UploadReceiver.boundary("multipart/form-data; boundary=\"x y\"") == "x y")
        #expect(UploadReceiver.boundary("multipart/form-data; boundary=") == nil)
        #expect(UploadReceiver.boundary("multipart/form-data; boundary=\"\"") == nil)
        #expect(UploadReceiver.boundary("multipart/form-data") == nil)
        #expect(UploadReceiver.boundary("text/plain; boundary=x") == nil)
        #expect(UploadReceiver.boundary("multipart/form-data; boundary=" + String(repeating: "x", count: 71)) == nil)
    }

    @Test func safeNextStaysOnThisSite() {
        #expect(Desk.safeNext("/record/a/b/2026-11") == "/record/a/b/2026-11")
        #expect(Desk.safeNext("//evil.example/x") == "/")
        #expect(Desk.safeNext("https://evil.example") == "/")
        #expect(Desk.safeNext("/\\evil.example") == "/")
        #expect(Desk.safeNext("/a\nSet-Cookie: x") == "/")
        #expect(Desk.safeNext(nil) == "/")
    }
}
