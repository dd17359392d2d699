import Analyzers
import JSONValue
import Scanner

extension TrivyJSONReport {
    /// One `custom` result per piece of software no package manager installed: Target the
    /// evidence file, Type its kind (`wordpress`, `wordpress-plugin`, `wordpress-theme`,
    /// `binary`), its NVD findings with `PkgPath` the evidence.
    func unmanagedResults(_ result: ScanResult) -> [JSON] {
        result.inventory.unmanaged.map { software in
            var r: [(String, JSON)] = [
                ("Target", .string(software.path)),
                ("Class", .string("custom")),
                ("Type", .string(software.kind.rawValue)),
            ]
            if listAllPackages {
                r.append(("Packages", .array([packageJSON(VulnerabilityMatcher.package(software), result)])))
            }
            let belongs: (Finding) -> Bool = {
                $0.package.format == .unmanaged && $0.package.databasePath == software.path && $0.package.name == software.name
            }
            let findings = result.findings.filter(belongs)
            if !findings.isEmpty { r.append(("Vulnerabilities", .array(findings.map { findingJSON($0, result) }))) }
            appendSuppressed(result, where: belongs, to: &r)
            return .object(r)
        }
    }
}
