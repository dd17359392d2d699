/// A finding a VEX statement or the ignore file suppressed, kept for `--show-suppressed` (Trivy's
/// `ExperimentalModifiedFindings` entry: `Type`, `Status`, `Statement`, `Source`, `Finding`).
public struct SuppressedFinding: Sendable {
    public var finding: Finding
    /// `not_affected` or `fixed` (VEX), `ignored` (the ignore file).
    public var status: String
    /// The statement's justification (may be empty).
    public var statement: String
    /// The VEX document's or the ignore file's path.
    public var source: String

    public init(finding: Finding, status: String, statement: String, source: String) {
        self.finding = finding
        self.status = status
        self.statement = statement
        self.source = source
    }
}
