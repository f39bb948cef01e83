import Foundation
import PackagePlugin

/// Writes the version and commit of this checkout into the `BuildInfo`
/// module at every build, by running `scripts/version --swift` (git
/// describe's job, in a form dpkg can order). A prebuild command, so that
/// a new commit is seen without cleaning; the script leaves the file alone
/// when nothing changed, so an unchanged checkout recompiles nothing.
///
/// Why a plugin: SwiftPM passes no build-time environment or defines with
/// values to Swift code, and a generated file committed to git would be
/// wrong one commit later.
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "generated")
        let script = context.package.directoryURL.appending(path: "scripts/version")
        var environment: [String: String] = [:]
        for key in ["PLANKEEPER_VERSION", "PLANKEEPER_COMMIT"] {
            if let value = ProcessInfo.processInfo.environment[key] { environment[key] = value }
        }
        return [
            .prebuildCommand(
                displayName: "plankeeper version and commit (scripts/version)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [script.path, "--swift", output.appending(path: "BuildInfo+Generated.swift").path],
                environment: environment,
                outputFilesDirectory: output
            )
        ]
    }
}
