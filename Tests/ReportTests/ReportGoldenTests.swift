import Analyzers
import Classification
import ContainerImage
import Foundation
import JSONValue
import Report
import Scanner
import Testing
import TestSupport
import VulnDB
import VigilCore

/// Reports compared with golden files; `VIGIL_RECORD_GOLDEN=1 swift test` re-records them (and fails).
@Suite struct ReportGoldenTests {
    static let fixtures = FixtureDirectory()

    static func result() throws -> ScanResult {
        let diff = "sha256:" + String(repeating: "1", count: 64)
        let digest = "sha256:" + String(repeating: "2", count: 64)
        let layer = ImageLayer(digest: digest, diffID: diff, size: 5_818_880, location: "blobs/sha256/22")
        let image = ImageSummary(id: "sha256:" + String(repeating: "3", count: 64),
                                 config: JSONValueBox(try JSONParser.parse(#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["\#(diff)"]}}"#)),
                                 repoTags: ["alpine:3.10"], repoDigests: [], layers: [layer], size: 5_818_880)
        let ssl = InstalledPackage(format: .apk, name: "libssl1.1", version: "1.1.1c-r0", upstreamVersion: "1.1.1c-r0", arch: "x86_64",
                                   sourceName: "openssl", sourceVersion: "1.1.1c-r0", licenses: ["OpenSSL"], layer: 0, databasePath: "lib/apk/db/installed")
        let bash = InstalledPackage(format: .dpkg, name: "bash", version: "1:5.2.15-2+b2", epoch: 1, upstreamVersion: "5.2.15", release: "2+b2",
                                    arch: "amd64", sourceName: "bash", sourceVersion: "5.2.15-2", layer: 0, databasePath: "var/lib/dpkg/status")
        let f1 = Finding(vulnerabilityID: "CVE-2019-1549", package: ssl, fixedVersion: "1.1.1d-r0", status: "fixed", severity: .medium,
                         severitySource: "nvd", vendorSeverity: ["nvd": .medium, "debian": .low], dataSource: .forSource("alpine"),
                         advisoryID: nil, title: "openssl: information disclosure in fork()", description: "A <fork> & RNG issue.",
                         cweIDs: ["CWE-330"], cvss: [CVSSRecord(source: "nvd", v2Vector: "AV:N/AC:L/Au:N/C:P/I:N/A:N", v2Score: 5,
                                                                 v3Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", v3Score: 5.3)],
                         references: ["https://www.openssl.org/news/secadv/20190910.txt"], publishedDate: "2019-09-10T17:15:00Z",
                         lastModifiedDate: "2020-10-20T22:15:00Z")
        let f2 = Finding(vulnerabilityID: "CVE-2031-0001", package: ssl, fixedVersion: nil, status: "affected", severity: .unknown,
                         severitySource: nil, vendorSeverity: [:], dataSource: .forSource("alpine"), advisoryID: "DSA-9999-1", title: nil,
                         description: nil, cweIDs: [], cvss: [], references: [], publishedDate: nil, lastModifiedDate: nil)
        let inventory = Inventory(os: OperatingSystem(family: "alpine", name: "3.10.4", endOfLife: true), packages: [bash, ssl])
        return ScanResult(artifactName: "alpine.tar", artifactType: .containerImage, image: image, inventory: inventory, findings: [f1, f2])
    }

    func compare(_ text: String, golden name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        Golden.assert(text, matches: Self.fixtures.path(name), sourceLocation: sourceLocation)
    }

    @Test func trivyJSON() throws {
        let report = TrivyJSONReport(listAllPackages: true, createdAt: Date(timeIntervalSince1970: 1_629_894_030.5))
        try compare(report.render(try Self.result()), golden: "report.json.golden")
    }

    @Test func table() throws {
        try compare(TableReport(color: false).render(try Self.result()), golden: "report.table.golden")
    }

    @Test func trivyFieldOrderMatchesReference() throws {
        // Keys of our vulnerability objects appear in the same relative order as in Trivy's golden file.
        let json = TrivyJSONReport().json(try Self.result())
        let ours = json["Results"]?.arrayValue?.first?["Vulnerabilities"]?.arrayValue?.first?.objectValue?.map(\.0) ?? []
        let trivyOrder = ["VulnerabilityID", "PkgID", "PkgName", "PkgIdentifier", "InstalledVersion", "FixedVersion", "Status", "Layer",
                          "SeveritySource", "PrimaryURL", "DataSource", "Fingerprint", "Title", "Description", "Severity", "CweIDs",
                          "VendorSeverity", "CVSS", "References", "PublishedDate", "LastModifiedDate"]
        #expect(ours == trivyOrder)
    }

    @Test func categoriesFollowCweIDs() throws {
        let json = TrivyJSONReport(classifier: Classifier()).json(try Self.result())
        let vulns = json["Results"]?.arrayValue?.first?["Vulnerabilities"]?.arrayValue ?? []
        let keys = vulns.first?.objectValue?.map(\.0) ?? []
        let i = try #require(keys.firstIndex(of: "CweIDs"))
        #expect(keys[i + 1] == "Categories")
        #expect(keys[i + 2] == "CategoryReasons")
        // CWE-330 maps to nothing; the title's "information disclosure" decides, and the reason says so.
        #expect(vulns.first?["Categories"] == .array([.string("information-disclosure")]))
        #expect(vulns.first?["CategoryReasons"]?["information-disclosure"]?.stringValue?.hasPrefix("title: ") == true)
        #expect(vulns.last?["Categories"] == .array([.string("other")]))
    }

    @Test func categoryFilterKeepsMatchingFindings() throws {
        let findings = try Self.result().findings
        let info = CategoryFilter(categories: [.informationDisclosure], classifier: Classifier()).apply(findings)
        #expect(info.map(\.vulnerabilityID) == ["CVE-2019-1549"])
        #expect(CategoryFilter(categories: [.bufferOverflow], classifier: Classifier()).apply(findings).isEmpty)
    }

    @Test(arguments: [
        ("1:5.2.15-2+b2", "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12.5&epoch=1"),
    ])
    func purl(version: String, expected: String) {
        let p = InstalledPackage(format: .dpkg, name: "bash", version: version, epoch: 1, upstreamVersion: "5.2.15", arch: "amd64",
                                 sourceName: "bash", sourceVersion: version, databasePath: "s")
        #expect(PackageURL.make(p, os: OperatingSystem(family: "debian", name: "12.5")) == expected)
    }
}
