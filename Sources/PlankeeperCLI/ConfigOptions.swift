import ArgumentParser
import Config
import Diagnostics
import Foundation
import Journal
import Ledger
import Logging
import PlanFiles
import Vocabulary

/// `--config FILE`, else `$PLANKEEPER_CONFIG`, else /etc/plankeeper/plankeeper.yaml.
struct ConfigOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "配置文件 (configuration file; default $PLANKEEPER_CONFIG or /etc/plankeeper/plankeeper.yaml).",
            valueName: "FILE"
        ),
        completion: .file(extensions: ["yaml", "yml"])
    )
    var config: String?

    @Option(
        name: .long,
        help: "输出语言 zh 或 en (output language; default: the config's language).",
        completion: .list(["zh", "en"])
    )
    var lang: String?

    /// Loads and validates the configuration; its diagnostics use the same
    /// FILE:LINE:COLUMN form as plans.
    func load() throws -> DaemonConfig {
        let env = ProcessInfo.processInfo.environment["PLANKEEPER_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let path = config ?? env ?? DaemonConfig.defaultPath
        guard FileManager.default.fileExists(atPath: path) else {
            if config == nil && env == nil {
                throw UsageError(
                    description:
                        "no configuration at \(path); pass --config FILE (the sample: config/local.yaml)（找不到配置文件）"
                )
            }
            throw UsageError(description: "\(path): no such configuration file（配置文件不存在）")
        }
        let bytes: [UInt8]
        switch PlanLoader.read(path) {
        case .success(let b): bytes = b
        case .failure(let d):
            Terminal.print([d], language: .zh)
            throw ExitCode(1)
        }
        let (parsed, diagnostics) = DaemonConfig.parse(bytes, path: path)
        var result = parsed
        if let lang, let l = Language(identifier: lang) {
            result?.language = l
        } else if let lang {
            throw ValidationError("--lang must be zh or en, not '\(lang)'")
        } else if let env = ProcessInfo.processInfo.environment["PLANKEEPER_LANG"], let l = Language(identifier: env) {
            result?.language = l
        }
        Terminal.print(diagnostics, language: result?.language ?? .zh)
        guard let config = result else { throw ExitCode(1) }
        return config
    }
}

enum Logs {
    /// The journal when there is one (or under systemd), else readable stderr lines.
    static func bootstrap() {
        LoggingSystem.bootstrap { label in JournalDetection.makeHandler(label: label) }
    }
}

extension Ledger {
    static func openForCLI(_ config: DaemonConfig) throws -> Ledger {
        do {
            return try Ledger.open(folder: config.state)
        } catch {
            Terminal.error("plankeeper: error: \(error)")
            throw ExitCode(1)
        }
    }
}
