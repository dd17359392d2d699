/// How bad a finding is, on Trivy's scale: vulnerabilities (Scanner) and misconfigurations
/// (ConfigScan) share it. Raw values are Trivy's `VendorSeverity` numbers.
public enum Severity: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case unknown = 0, low, medium, high, critical

    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }

    /// `CRITICAL`, `HIGH`…
    public var description: String {
        switch self {
        case .unknown: "UNKNOWN"
        case .low: "LOW"
        case .medium: "MEDIUM"
        case .high: "HIGH"
        case .critical: "CRITICAL"
        }
    }

    /// Parses `HIGH`, `high` (case-insensitive).
    public init?(name: String) {
        guard let s = Severity.allCases.first(where: { $0.description == name.uppercased() }) else { return nil }
        self = s
    }
}
