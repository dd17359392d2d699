import Foundation
import JSONValue

/// SARIF 2.1.0 as Trivy writes it for vulnerabilities: one rule per vulnerability id (help text,
/// `security-severity`), one result per affected package with its location.
public struct SARIFReport {
    public var toolVersion: String

    public init(toolVersion: String = "dev") { self.toolVersion = toolVersion }

    /// Trivy's levels: CRITICAL/HIGH → error, MEDIUM → warning, LOW/UNKNOWN → note.
    static func level(_ severity: String) -> String {
        switch severity {
        case "CRITICAL", "HIGH": "error"
        case "MEDIUM": "warning"
        default: "note"
        }
    }

    /// Score shown by code-scanning UIs: the CVSS score, else Trivy's stand-in for the severity.
    static func securitySeverity(_ item: ReportItem) -> String {
        if let s = item.cvssScore { return String(format1(s)) }
        return securitySeverity(severityWord: item.severity)
    }

    /// Trivy's stand-in score for a severity word.
    static func securitySeverity(severityWord: String) -> String {
        switch severityWord {
        case "CRITICAL": return "9.5"
        case "HIGH": return "8.0"
        case "MEDIUM": return "5.5"
        case "LOW": return "2.0"
        default: return "0.0"
        }
    }

    static func format1(_ d: Double) -> String {
        let r = (d * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) + ".0" : String(r)
    }

    /// Where the package lives: its path for language packages, else the artifact.
    static func location(_ item: ReportItem, artifact: String) -> String {
        if let p = item.string("PkgPath"), !p.isEmpty { return p }
        if item.resultClass == "lang-pkgs", !item.target.isEmpty { return item.target }
        return artifact.isEmpty ? item.target : artifact
    }

    public func json(_ report: JSON) -> JSON {
        let artifact = report["ArtifactName"]?.stringValue ?? ""
        var rules: [JSON] = []
        var ruleIndex: [String: Int] = [:]
        var results: [JSON] = []
        for item in ReportItem.all(report) {
            let link = item.string("PrimaryURL") ?? ""
            let fixed = item.string("FixedVersion") ?? ""
            if ruleIndex[item.id] == nil {
                ruleIndex[item.id] = rules.count
                let title = item.string("Title") ?? item.id
                let description = item.string("Description") ?? title
                let helpText = "Vulnerability \(item.id)\nSeverity: \(item.severity)\nPackage: \(item.packageName)\nFixed Version: \(fixed)\nLink: [\(item.id)](\(link))\n\(description)"
                let helpMarkdown = "**Vulnerability \(item.id)**\n| Severity | Package | Fixed Version | Link |\n| --- | --- | --- | --- |\n|\(item.severity)|\(item.packageName)|\(fixed)|[\(item.id)](\(link))|\n\n\(description)"
                var rule: [(String, JSON)] = [
                    ("id", .string(item.id)),
                    ("name", .string(item.resultClass == "lang-pkgs" ? "LanguageSpecificPackageVulnerability" : "OsPackageVulnerability")),
                    ("shortDescription", .object([("text", .string(title))])),
                    ("fullDescription", .object([("text", .string(description))])),
                    ("defaultConfiguration", .object([("level", .string(Self.level(item.severity)))])),
                ]
                if link.hasPrefix("http") { rule.append(("helpUri", .string(link))) }
                rule.append(("help", .object([("text", .string(helpText)), ("markdown", .string(helpMarkdown))])))
                rule.append(("properties", .object([
                    ("precision", .string("very-high")),
                    ("security-severity", .string(Self.securitySeverity(item))),
                    ("tags", .array((["vulnerability", "security", item.severity] + item.categories).map(JSON.string))),
                ])))
                rules.append(.object(rule))
            }
            let uri = Self.location(item, artifact: artifact)
            let message = "Package: \(item.packageName)\nInstalled Version: \(item.installedVersion)\nVulnerability \(item.id)\nSeverity: \(item.severity)\nFixed Version: \(fixed)\nLink: [\(item.id)](\(link))"
            results.append(.object([
                ("ruleId", .string(item.id)),
                ("ruleIndex", .int(ruleIndex[item.id]!)),
                ("level", .string(Self.level(item.severity))),
                ("message", .object([("text", .string(message))])),
                ("locations", .array([.object([
                    ("physicalLocation", .object([
                        ("artifactLocation", .object([("uri", .string(uri)), ("uriBaseId", .string("ROOTPATH"))])),
                        ("region", .object([("startLine", .int(1)), ("startColumn", .int(1)), ("endLine", .int(1)), ("endColumn", .int(1))])),
                    ])),
                    ("message", .object([("text", .string("\(uri): \(item.packageName)@\(item.installedVersion)"))])),
                ])])),
            ]))
        }
        MisconfigurationSARIF.amend(report, rules: &rules, results: &results)
        let run: JSON = .object([
            ("tool", .object([("driver", .object([
                ("fullName", .string("Vigil Vulnerability Scanner")),
                ("name", .string("Vigil")),
                ("rules", .array(rules)),
                ("version", .string(toolVersion)),
            ]))])),
            ("results", .array(results)),
            ("columnKind", .string("utf16CodeUnits")),
            ("originalUriBaseIds", .object([("ROOTPATH", .object([("uri", .string("file:///"))]))])),
        ])
        return .object([
            ("version", .string("2.1.0")),
            ("$schema", .string("https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json")),
            ("runs", .array([run])),
        ])
    }
}
