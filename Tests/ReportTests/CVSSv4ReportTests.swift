import Analyzers
import Foundation
import Report
import Scanner
import Testing
import VulnDB
import VigilCore

/// CVSS v4.0 in the Trivy JSON report: `V40Vector` after `V3Vector`, `V40Score` after `V3Score`
/// (Trivy's dbTypes.CVSS field order).
@Suite struct CVSSv4ReportTests {
    @Test func v40FieldsInTrivyOrder() throws {
        let pkg = InstalledPackage(format: .apk, name: "libfoo", version: "1.0-r0", upstreamVersion: "1.0-r0", sourceName: "libfoo",
                                   sourceVersion: "1.0-r0", databasePath: "lib/apk/db/installed")
        let finding = Finding(
            vulnerabilityID: "CVE-2031-4242", package: pkg, fixedVersion: "1.1-r0", status: "fixed", severity: .critical,
            severitySource: "nvd", vendorSeverity: ["nvd": .critical], dataSource: .forSource("alpine"), advisoryID: nil, title: nil,
            description: nil, cweIDs: [], cvss: [CVSSRecord(source: "nvd", v3Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", v3Score: 9.8,
                                                           v40Vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", v40Score: 9.3)],
            references: [], publishedDate: nil, lastModifiedDate: nil)
        let result = ScanResult(artifactName: "x", artifactType: .containerImage, image: nil,
                                inventory: Inventory(os: OperatingSystem(family: "alpine", name: "3.10.4"), packages: [pkg]), findings: [finding])
        let text = TrivyJSONReport(createdAt: Date(timeIntervalSince1970: 0)).render(result)
        let keys = ["\"V3Vector\"", "\"V40Vector\"", "\"V3Score\": 9.8", "\"V40Score\": 9.3"]
        let positions = try keys.map { try #require(text.range(of: $0), "\($0) missing").lowerBound }
        #expect(positions == positions.sorted())
    }
}
