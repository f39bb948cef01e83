import Vocabulary
import Diagnostics

/// libyaml's common problems said in the user's words: its own texts name
/// its internals ("set with yaml_set_max_nest_level()") and speak of
/// tokens and contexts.
enum SyntaxProblem {
    static func message(problem: String) -> Message? {
        for (needle, message) in table where problem.contains(needle) { return message }
        return nil
    }

    /// Deeper than `Composer.maximumDepth` (libyaml builds with such a limit
    /// report it as "Maximum nesting level reached"; the composer checks too).
    static let tooDeep = Message(
        zh: "嵌套层次过深（列表或映射套了上千层）；计划文件只需几层",
        en: "the YAML nests too deep (lists or mappings a thousand levels deep); a plan needs a few"
    )

    static let table: [(String, Message)] = [
        ("Maximum nesting level", tooDeep),
        (
            "did not find expected key",
            Message(
                zh: "这里应当是“键: 值”；请检查这一行的缩进是否与上一级对齐",
                en: "expected 'key: value' here; check that this line is indented like its neighbours"
            )
        ),
        (
            "mapping values are not allowed",
            Message(
                zh: "这里不能出现“键: 值”；文本中含有“: ”时请给整段文本加引号",
                en: "a 'key: value' is not allowed here; quote a text that contains ': '"
            )
        ),
        (
            "cannot start any token",
            Message(
                zh: "这个字符不能作为值的开头（如 @、`、%）；请给文本加引号",
                en: "this character cannot start a value (such as @, ` or %); quote the text"
            )
        ),
        (
            "could not find expected ':'",
            Message(
                zh: "缺少冒号“:”；键和值之间请写“: ”",
                en: "a ':' is missing; write 'key: value'"
            )
        ),
        (
            "did not find expected '-' indicator",
            Message(
                zh: "列表项没有对齐；同一列表的“- ”应缩进相同",
                en: "a list item is out of line; the '- ' of one list must be indented alike"
            )
        ),
        (
            "found unexpected end of stream",
            Message(
                zh: "文件意外结束；是否有未闭合的引号或括号？",
                en: "the file ends too early; is a quote or a bracket left open?"
            )
        ),
        (
            "found unknown escape character",
            Message(
                zh: "双引号文本中有无法识别的转义（反斜杠后的字符）；不需要转义时请改用单引号",
                en:
                    "unknown escape (a backslash and what follows) in a double-quoted text; use single quotes if no escape is meant"
            )
        ),
        (
            "did not find expected ',' or ']'",
            Message(
                zh: "方括号列表未正确结束；请检查逗号和“]”",
                en: "a [list] does not end properly; check the commas and the ']'"
            )
        ),
        (
            "did not find expected ',' or '}'",
            Message(
                zh: "花括号映射未正确结束；请检查逗号和“}”",
                en: "a {mapping} does not end properly; check the commas and the '}'"
            )
        ),
        (
            "did not find expected node content",
            Message(
                zh: "这里缺少内容",
                en: "a value is missing here"
            )
        ),
        (
            "control characters are not allowed",
            Message(
                zh: "文件中含有控制字符；请删除",
                en: "the file contains a control character; remove it"
            )
        ),
    ]
}
