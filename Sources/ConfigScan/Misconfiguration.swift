/// One failed check at one place in the Dockerfile.
public struct Misconfiguration: Sendable, Hashable {
    public var rule: Rule
    /// What is wrong here, naming the offending text (secrets masked).
    public var message: String
    /// Lines of the cause (1-based, inclusive); nil when the finding concerns the whole file.
    public var startLine: Int?
    public var endLine: Int?
    /// Index of the stage the cause is in.
    public var stage: Int?
    /// Substrings (secret values) replaced by asterisks wherever the report shows source lines.
    public var masked: [String]

    public init(rule: Rule, message: String, startLine: Int?, endLine: Int?, stage: Int?, masked: [String] = []) {
        self.rule = rule
        self.message = message
        self.startLine = startLine
        self.endLine = endLine
        self.stage = stage
        self.masked = masked
    }
}
