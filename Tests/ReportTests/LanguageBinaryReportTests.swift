import Analyzers
import JSONValue
@testable import Report
import Scanner
import Testing
import VigilCore

/// Java archives, Go and Rust binaries in Trivy's shape: one `Java` result for every archive
/// (`PkgPath`/`FilePath` naming the archive, nested ones as `outer.war/WEB-INF/lib/x.jar`), one
/// result per binary; Maven's `group:artifact:version` PkgID; purl-spec PURLs.
@Suite struct LanguageBinaryReportTests {
    static func pkg(_ format: PackageFormat, _ name: String, _ version: String, _ path: String) -> InstalledPackage {
        InstalledPackage(format: format, name: name, version: version, upstreamVersion: version, sourceName: name,
                         sourceVersion: version, databasePath: path)
    }

    @Test func shapes() throws {
        let log4j = Self.pkg(.jar, "org.apache.logging.log4j:log4j-core", "2.14.1", "srv/shop.war/WEB-INF/lib/log4j-core.jar")
        let bare = Self.pkg(.jar, "plain-utils", "4.5.6", "app/plain-utils-4.5.6.jar")
        let stdlib = Self.pkg(.gobinary, "stdlib", "v1.19.8", "usr/local/bin/runc")
        let main = Self.pkg(.gobinary, "github.com/opencontainers/runc", "", "usr/local/bin/runc")
        let crate = Self.pkg(.rustbinary, "smallvec", "1.6.0", "usr/local/bin/uv")
        let inventory = Inventory(os: nil, packages: [], applications: [
            Application(type: .gobinary, filePath: "usr/local/bin/runc", packages: [main, stdlib]),
            Application(type: .jar, filePath: "", packages: [log4j, bare]),
            Application(type: .rustbinary, filePath: "usr/local/bin/uv", packages: [crate]),
        ])
        let finding = Finding(vulnerabilityID: "CVE-2021-44228", package: log4j, fixedVersion: "2.15.0", status: "fixed",
                              severity: .critical, severitySource: nil, vendorSeverity: [:], dataSource: DataSource.forSource("osv-Maven"),
                              advisoryID: "GHSA-jfh8-c2jp-5v3q", title: nil, description: nil, cweIDs: [], cvss: [], references: [],
                              publishedDate: nil, lastModifiedDate: nil)
        let result = ScanResult(artifactName: "rootfs", artifactType: .filesystem, image: nil, inventory: inventory, findings: [finding])
        let results = try #require(TrivyJSONReport(listAllPackages: true).json(result)["Results"]?.arrayValue)
        #expect(results.map { $0["Target"]?.stringValue } == ["usr/local/bin/runc", "Java", "usr/local/bin/uv"])
        #expect(results.map { $0["Type"]?.stringValue } == ["gobinary", "jar", "rustbinary"])
        #expect(results.allSatisfy { $0["Class"]?.stringValue == "lang-pkgs" })
        let java = results[1]
        let v = try #require(java["Vulnerabilities"]?.arrayValue?.first)
        #expect(v["PkgID"]?.stringValue == "org.apache.logging.log4j:log4j-core:2.14.1")
        #expect(v["PkgPath"]?.stringValue == "srv/shop.war/WEB-INF/lib/log4j-core.jar")
        #expect(v["PkgIdentifier"]?["PURL"]?.stringValue == "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")
        let packages = try #require(java["Packages"]?.arrayValue)
        #expect(packages.map { $0["FilePath"]?.stringValue } == ["srv/shop.war/WEB-INF/lib/log4j-core.jar", "app/plain-utils-4.5.6.jar"])
        #expect(packages[1]["Identifier"]?["PURL"]?.stringValue == "pkg:maven/plain-utils@4.5.6")
        let go = try #require(results[0]["Packages"]?.arrayValue)
        #expect(go.map { $0["Identifier"]?["PURL"]?.stringValue } == ["pkg:golang/github.com/opencontainers/runc", "pkg:golang/stdlib@v1.19.8"])
        #expect(go.allSatisfy { $0["FilePath"] == nil })
        #expect(results[2]["Packages"]?.arrayValue?.first?["Identifier"]?["PURL"]?.stringValue == "pkg:cargo/smallvec@1.6.0")
    }
}
