import Foundation
import PlankeeperTestSupport
import Testing

/// `plankeeper --version` names the Debian package version and the commit
/// it was built from (written at build time by BuildInfoPlugin from
/// scripts/version), so an admin can tell which build runs on a server.
struct VersionTests {
    @Test func versionNamesThePackageVersionAndTheCommit() throws {
        let r = try Binary.run(["--version"])
        #expect(r.status == 0, "\(r.stderr)")
        let line = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let pattern =
            #/^plankeeper (\d+\.\d+\.\d+)\+(?:g\d+\.([0-9a-f]{12})(\.dirty)?|unknown) \(commit ([0-9a-f]{12}(?:\+dirty)?|unknown)\)$/#
        let match = try #require(line.wholeMatch(of: pattern), "unexpected --version: \(line)")
        let base = try String(contentsOf: Binary.root.appendingPathComponent("VERSION"), encoding: .utf8)
        #expect(String(match.1) == base.trimmingCharacters(in: .whitespacesAndNewlines))
        if let hash = match.2 {
            #expect(String(match.4).hasPrefix(String(hash)), "version and commit disagree: \(line)")
            #expect((match.3 != nil) == match.4.hasSuffix("+dirty"), "dirty in one but not the other: \(line)")
        }
    }
}
