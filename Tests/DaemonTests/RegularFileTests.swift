import PlanFiles
import Diagnostics
import Foundation
import PlanFormat
import PlankeeperTestSupport
import Testing
import Vocabulary

/// A FIFO named `*.yaml` in the plans folder used to hang `check`, `tick`
/// and the daemon in `open(2)`. Reading must refuse anything but a regular
/// file (or a symlink to one) with a positioned error, without blocking: if
/// it blocked, these tests would hang until the time limit fails them.
@Suite(.timeLimit(.minutes(1))) struct RegularFileTests {
    @Test func aFIFOInThePlansFolderIsRefusedAndTheOthersLoad() throws {
        let scratch = try Scratch()
        try scratch.write(
            "plans/a.yaml",
            "id: a-2026\nowner: 外科\nyear: 2026\nitems:\n  - {id: x, title: 会, every: month, due: 25}\n"
        )
        #expect(mkfifo(scratch.path + "/plans/b.yaml", 0o600) == 0)
        let loaded = try PlanLoader.load(paths: [scratch.path + "/plans"], holidays: nil)
        #expect(loaded.catalog.plans.map(\.id) == ["a-2026"])
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.location) == [SourceLocation(file: scratch.path + "/plans/b.yaml", line: 1, column: 1)])
        #expect(errors.first?.message.en.contains("named pipe (FIFO)") == true, "\(errors)")
    }

    @Test func aFolderASocketAndASymlinkToAFIFOAreRefused() throws {
        let scratch = try Scratch()
        try FileManager.default.createDirectory(atPath: scratch.path + "/dir.yaml", withIntermediateDirectories: true)
        #expect(mkfifo(scratch.path + "/pipe", 0o600) == 0)
        try FileManager.default.createSymbolicLink(
            atPath: scratch.path + "/link.yaml",
            withDestinationPath: scratch.path + "/pipe"
        )
        for (path, kind) in [("dir.yaml", "a folder"), ("link.yaml", "a named pipe")] {
            guard case .failure(let d) = PlanLoader.read(scratch.path + "/" + path) else {
                Issue.record("\(path) was read")
                continue
            }
            #expect(d.location.line == 1 && d.location.column == 1)
            #expect(d.message.en.contains(kind), "\(d.message.en)")
        }
    }

    @Test func aSymlinkToARegularFileIsRead() throws {
        let scratch = try Scratch()
        try scratch.write("real.yaml", "id: a\n")
        try FileManager.default.createSymbolicLink(
            atPath: scratch.path + "/link.yaml",
            withDestinationPath: scratch.path + "/real.yaml"
        )
        #expect(try PlanLoader.read(scratch.path + "/link.yaml").get() == Array("id: a\n".utf8))
    }

    @Test func readingStopsOneByteAfterTheCap() throws {
        let scratch = try Scratch()
        try scratch.write("big.yaml", String(repeating: "#", count: 300_000))
        let bytes = try RegularFile.read(scratch.path + "/big.yaml", limit: 100_000).get()
        #expect(bytes.count == 100_001)
    }
}
