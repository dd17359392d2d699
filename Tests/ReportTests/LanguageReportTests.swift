import Analyzers
import Foundation
import JSONValue
@testable import Report
import Scanner
import Testing
import VigilCore

/// Language packages in Trivy's shape: one `lang-pkgs` result per lockfile, one `Python` result
/// for installed distributions (with `PkgPath`/`FilePath`), PURLs per purl-spec type.
@Suite struct LanguageReportTests {
    static func pkg(_ format: PackageFormat, _ name: String, _ version: String, _ path: String) -> InstalledPackage {
        InstalledPackage(format: format, name: name, version: version, upstreamVersion: version, sourceName: name,
                         sourceVersion: version, licenses: format == .pythonPackage ? ["MIT"] : [], databasePath: path)
    }

    static func finding(_ id: String, _ p: InstalledPackage, fixed: String?) -> Finding {
        Finding(vulnerabilityID: id, package: p, fixedVersion: fixed, status: fixed == nil ? "affected" : "fixed",
                severity: .high, severitySource: nil, vendorSeverity: [:], dataSource: DataSource.forSource("osv-PyPI"),
                advisoryID: nil, title: nil, description: nil, cweIDs: [], cvss: [], references: [], publishedDate: nil,
                lastModifiedDate: nil)
    }

    static func result() -> ScanResult {
        let yaml = pkg(.pythonPackage, "PyYAML", "5.3", "usr/lib/python3/dist-packages/PyYAML-5.3.egg-info")
        let tokio = pkg(.cargo, "tokio", "1.0.0", "srv/Cargo.lock")
        let text = pkg(.gomod, "golang.org/x/text", "v0.3.5", "srv/go.mod")
        let inventory = Inventory(os: nil, packages: [], applications: [
            Application(type: .cargo, filePath: "srv/Cargo.lock", packages: [tokio]),
            Application(type: .gomod, filePath: "srv/go.mod", packages: [text]),
            Application(type: .pythonPackage, filePath: "", packages: [yaml]),
        ])
        return ScanResult(artifactName: "rootfs", artifactType: .filesystem, image: nil, inventory: inventory, findings: [
            finding("PYSEC-2021-142", yaml, fixed: "5.4"), finding("RUSTSEC-2021-0124", tokio, fixed: nil),
        ])
    }

    @Test func oneResultPerApplication() throws {
        let json = TrivyJSONReport(listAllPackages: true).json(Self.result())
        let results = try #require(json["Results"]?.arrayValue)
        #expect(results.map { $0["Target"]?.stringValue } == ["srv/Cargo.lock", "srv/go.mod", "Python"])
        #expect(results.map { $0["Class"]?.stringValue } == ["lang-pkgs", "lang-pkgs", "lang-pkgs"])
        #expect(results.map { $0["Type"]?.stringValue } == ["cargo", "gomod", "python-pkg"])
        #expect(results.map { $0["Vulnerabilities"]?.arrayValue?.count ?? 0 } == [1, 0, 1])
        let yaml = try #require(results[2]["Vulnerabilities"]?.arrayValue?.first)
        #expect(yaml.objectValue?.map(\.0).prefix(6) == ["VulnerabilityID", "PkgID", "PkgName", "PkgPath", "PkgIdentifier", "InstalledVersion"])
        #expect(yaml["PkgPath"]?.stringValue == "usr/lib/python3/dist-packages/PyYAML-5.3.egg-info")
        #expect(yaml["PkgIdentifier"]?["PURL"]?.stringValue == "pkg:pypi/pyyaml@5.3")
        #expect(yaml["FixedVersion"]?.stringValue == "5.4")
        let package = try #require(results[2]["Packages"]?.arrayValue?.first)
        #expect(package.objectValue?.map(\.0) == ["ID", "Name", "Identifier", "Version", "Licenses", "FilePath"])
        #expect(results[1]["Packages"]?.arrayValue?.first?["Identifier"]?["PURL"]?.stringValue == "pkg:golang/golang.org/x/text@v0.3.5")
        #expect(results[0]["Vulnerabilities"]?.arrayValue?.first?["PkgIdentifier"]?["PURL"]?.stringValue == "pkg:cargo/tokio@1.0.0")
    }

    @Test func tableHasASectionPerApplication() {
        let text = TableReport(color: false).render(Self.result())
        #expect(text.hasPrefix("\nsrv/Cargo.lock (cargo)\n======================\nTotal: 1 (UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 1, CRITICAL: 0)"))
        #expect(text.contains("srv/go.mod (gomod)\n==================\nTotal: 0"))
        #expect(!text.contains("No supported OS"))
        #expect(text.contains("Python (python-pkg)\n"))
        #expect(text.contains("PYSEC-2021-142"))
    }
}
