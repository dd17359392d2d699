import Analyzers

/// One VEX statement, whatever document it came from: the vulnerability (with its aliases), the
/// packages it is about, what it says and why.
public struct VEXStatement: Sendable {
    /// What a statement can say about a package (OpenVEX's words; CycloneDX and CSAF map onto them).
    public enum Status: String, Sendable {
        case notAffected = "not_affected"
        case fixed
        case affected
        case underInvestigation = "under_investigation"
        case unknown
    }

    /// The vulnerability id and its aliases (`CVE-2021-44228`, `GHSA-jfh8-c2jp-5v3q`).
    public var vulnerabilityIDs: Set<String>
    /// The products the statement is about (package URLs; a version-less one covers every version).
    public var products: [ParsedPackageURL]
    /// When given, the statement is about these parts of the products only.
    public var subcomponents: [ParsedPackageURL]
    public var status: Status
    /// The justification (OpenVEX `justification`, CycloneDX `analysis.justification`, CSAF impact details).
    public var justification: String
    /// The document it came from (its path), Trivy's `Source`.
    public var source: String

    /// Whether the statement is about vulnerability `id` in the package with purl `purl`: a
    /// subcomponent covers it, or, without subcomponents, a product does.
    public func applies(to id: String, purl: ParsedPackageURL) -> Bool {
        guard vulnerabilityIDs.contains(id) else { return false }
        if !subcomponents.isEmpty { return subcomponents.contains { $0.covers(purl) } }
        return products.contains { $0.covers(purl) }
    }
}
