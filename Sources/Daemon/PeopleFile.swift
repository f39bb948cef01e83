import Config
import Diagnostics
import Foundation
import PlanFormat
import Vocabulary

/// Reads the people directory named by `people:` in the configuration.
public enum PeopleFile {
    /// The directory, and what is wrong with the file. A file with errors
    /// gives an empty directory (mail is unaffected; the channels that
    /// reach persons reach nobody until it is fixed), never a half-read one.
    public static func load(_ config: DaemonConfig) -> (PeopleDirectory, [Diagnostic]) {
        guard let path = config.people else { return (PeopleDirectory(), []) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return (
                PeopleDirectory(),
                [
                    .error(
                        SourceLocation(file: path, line: 1, column: 1),
                        Message(
                            zh: "无法读取人员目录 \(path)（配置中的 people）",
                            en: "cannot read the people directory \(path) (people: in the configuration)"
                        )
                    )
                ]
            )
        }
        let (directory, diagnostics) = PeopleDirectory.parse(Array(data), file: path)
        return (directory ?? PeopleDirectory(), diagnostics)
    }
}
