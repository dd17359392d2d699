import Classification
import JSONValue

/// Output formats made from a Trivy-shaped report value, shared by `vigil report convert` and the
/// scan commands (which render their Trivy JSON first).
public enum ReportFormat: String, Sendable, CaseIterable {
    case json
    case sarif
    case cyclonedx
    case spdxJSON = "spdx-json"
    case html

    /// Renders `report`; categories are added to every vulnerability first.
    public func render(_ report: JSON, classifier: Classifier, toolVersion: String = "dev") -> String {
        let annotated = VulnerabilityCategories.apply(to: report, classifier: classifier)
        switch self {
        case .json: return JSONPrinter(indent: 2).render(annotated)
        case .sarif: return JSONPrinter(indent: 2, escapeHTML: false).render(SARIFReport(toolVersion: toolVersion).json(annotated))
        case .cyclonedx: return JSONPrinter(indent: 2, escapeHTML: false).render(CycloneDXReport(toolVersion: toolVersion).json(annotated))
        case .spdxJSON: return JSONPrinter(indent: 2, escapeHTML: false).render(SPDXReport(toolVersion: toolVersion).json(annotated))
        case .html: return HTMLReport().render(annotated)
        }
    }
}

/// One vulnerability with the result it belongs to.
struct ReportItem {
    var target: String
    var resultClass: String
    var type: String
    var vulnerability: JSON

    func string(_ key: String) -> String? { vulnerability[key]?.stringValue }
    var id: String { string("VulnerabilityID") ?? "UNKNOWN-ID" }
    var packageName: String { string("PkgName") ?? "unknown" }
    var installedVersion: String { string("InstalledVersion") ?? "" }
    var severity: String { (string("Severity") ?? "UNKNOWN").uppercased() }
    var purl: String? { vulnerability["PkgIdentifier"]?["PURL"]?.stringValue }
    var categories: [String] { vulnerability["Categories"]?.arrayValue?.compactMap(\.stringValue) ?? [] }

    /// Every vulnerability of every result, in report order.
    static func all(_ report: JSON) -> [ReportItem] {
        var out: [ReportItem] = []
        for r in report["Results"]?.arrayValue ?? [] {
            for v in r["Vulnerabilities"]?.arrayValue ?? [] {
                out.append(ReportItem(target: r["Target"]?.stringValue ?? "", resultClass: r["Class"]?.stringValue ?? "",
                                      type: r["Type"]?.stringValue ?? "", vulnerability: v))
            }
        }
        return out
    }

    /// The highest CVSS score given (v3 before v2), as Trivy's SARIF picks it.
    var cvssScore: Double? {
        guard let cvss = vulnerability["CVSS"]?.objectValue else { return nil }
        var best: Double?
        for key in ["nvd", "redhat", "ghsa"] + cvss.map(\.0) {
            guard let c = vulnerability["CVSS"]?[key] else { continue }
            if let s = c["V3Score"]?.doubleValue ?? c["V40Score"]?.doubleValue ?? c["V2Score"]?.doubleValue { best = s; break }
        }
        return best
    }
}

/// A stable UUID-shaped identifier from text (FNV-1a, 128 bits), so the same report gives the
/// same serial numbers and namespaces.
enum StableID {
    static func uuid(_ text: String) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in text.utf8 {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 &+ 0x9E37_79B9
        }
        let hex = String(a, radix: 16).leftPadded(16) + String(b, radix: 16).leftPadded(16)
        var chars = Array(hex)
        chars[12] = "4"  // version 4 layout (random-looking), variant 10xx
        chars[16] = ["8", "9", "a", "b"][Int(String(chars[16]), radix: 16)! & 3]
        let s = String(chars)
        let parts = [s.prefix(8), s.dropFirst(8).prefix(4), s.dropFirst(12).prefix(4), s.dropFirst(16).prefix(4), s.dropFirst(20)]
        return parts.joined(separator: "-")
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
