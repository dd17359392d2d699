import VigilCore

/// A Dockerfile check's stable identity and the text shown for it.
public struct Rule: Sendable, Hashable {
    /// `DS002` for checks Trivy has (same id), `VGL-DF-001` … for Vigil's own.
    public var id: String
    public var title: String
    public var severity: Severity
    public var description: String
    public var resolution: String
    /// Further reading (Docker's best-practice pages, hadolint's rule page).
    public var references: [String]
    /// The hadolint rule covering the same ground, if any (`DL3008`).
    public var hadolint: String?

    /// True for checks that carry Trivy's id.
    public var isTrivy: Bool { id.hasPrefix("DS") }

    /// The id as Trivy's JSON prints it today (`DS-0002`); Vigil's own ids unchanged.
    public var reportID: String {
        guard isTrivy, let n = Int(id.dropFirst(2)) else { return id }
        let digits = String(n)
        return "DS-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Trivy's AVD page for DS checks.
    public var primaryURL: String? { isTrivy ? "https://avd.aquasec.com/misconfig/\(reportID.lowercased())" : nil }
}
