import VigilCore

/// Trivy's severity scale, shared with ConfigScan in VigilCore; the name stays Scanner's so the
/// report and command code that imports Scanner keeps using it.
public typealias Severity = VigilCore.Severity

extension VigilCore.Severity {
    /// A vendor's own word: Debian urgencies (`high**` = taken from NVD by the tracker),
    /// Ubuntu priorities, OSV database severities.
    public init(vendorWord: String) {
        var w = vendorWord.lowercased()
        while w.hasSuffix("*") { w.removeLast() }
        switch w.trimmingCharacters(in: " ") {
        case "unimportant", "negligible", "low": self = .low
        case "medium", "moderate": self = .medium
        case "high", "important": self = .high
        case "critical": self = .critical
        default: self = .unknown
        }
    }

    /// From a CVSS v3 base score (NVD's bands).
    public init(cvss3 score: Double) {
        switch score {
        case 9.0...: self = .critical
        case 7.0..<9.0: self = .high
        case 4.0..<7.0: self = .medium
        case 0.1..<4.0: self = .low
        default: self = .unknown
        }
    }

    /// From a CVSS v2 base score (NVD's bands).
    public init(cvss2 score: Double) {
        switch score {
        case 7.0...: self = .high
        case 4.0..<7.0: self = .medium
        case 0.0..<4.0: self = .low
        default: self = .unknown
        }
    }
}

extension String {
    func trimmingCharacters(in c: Character) -> String {
        var s = Substring(self)
        while s.first == c { s = s.dropFirst() }
        while s.last == c { s = s.dropLast() }
        return String(s)
    }
}
