import Foundation
import JSONValue
import Testing
import TestSupport
@testable import ConfigScan

/// The seed's Dockerfile (Fixtures/seed/Dockerfile): FROM ubuntu:14.04, wget 1.15 as a .deb over
/// plain http installed with dpkg -i, bash 4.3 from a source tarball fetched with `curl … -0`,
/// `COPY . /app`, running as root. Golden files are re-recorded with VIGIL_RECORD_GOLDEN=1 (the recording run fails).
struct SeedDockerfileTests {
    func scan() throws -> ConfigScanResult {
        try ConfigScanner.scan(try Fixtures.bytes("seed/Dockerfile"), file: "Dockerfile")
    }

    func golden(_ name: String, _ actual: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        Golden.assert(actual, matches: Fixtures.path("seed/\(name)"), sourceLocation: sourceLocation)
    }

    @Test func findings() throws {
        let result = try scan()
        let byRule = Dictionary(grouping: result.failures, by: \.rule.id)
        #expect(byRule["DS002"]?.first?.message == "Specify at least 1 USER command in Dockerfile with non-root user as argument")
        #expect(byRule["DS002"]?.first?.startLine == 2)
        #expect(byRule["VGL-DF-016"]?.compactMap(\.startLine) == [8, 12])
        #expect(byRule["VGL-DF-013"]?.first?.startLine == 16)
        #expect(byRule["DS013"]?.first?.startLine == 14)
        #expect(byRule["DS022"]?.first?.startLine == 3)
        #expect(byRule["DS026"] != nil && byRule["DS029"] != nil && byRule["DS014"] != nil)
        #expect(result.passedRules.count + Set(result.failures.map(\.rule.id)).count == RuleCatalog.all.count)
    }

    @Test func predictions() throws {
        let p = try scan().predictions
        #expect(p.baseImages.count == 1)
        let base = try #require(p.baseImages.first)
        #expect(base.repository == "ubuntu" && base.tag == "14.04" && base.line == 2 && base.isInFinalImage)
        #expect(p.downloads.map(\.scheme) == ["http", "http"])
        #expect(p.downloads.map(\.host) == ["security.ubuntu.com", "ftp.gnu.org"])
        #expect(p.downloads.map(\.line) == [8, 12])
        #expect(p.artefacts.count == 2)
        let wget = p.artefacts[0], bash = p.artefacts[1]
        #expect(wget.kind == .deb && wget.name == "wget" && wget.version == "1.15-1ubuntu1.14.04.5" && wget.architecture == "amd64")
        #expect(wget.lines == [8, 9])
        #expect(bash.kind == .tarball && bash.name == "bash" && bash.version == "4.3" && bash.lines == [12, 13])
        #expect(bash.urls == ["http://ftp.gnu.org/gnu/bash/bash-4.3.tar.gz"])
    }

    @Test func trivyResultGolden() throws {
        let result = try scan()
        try golden("expected.json", JSONPrinter().render(result.trivyResult()))
        try golden("predictions.json", JSONPrinter().render(result.predictionsJSON()))
        try golden("expected.txt", result.table())
    }

    @Test func predictedVulnerabilitiesHookGoesWhereTrivyPutsThem() throws {
        let vuln: JSON = .object([("VulnerabilityID", .string("CVE-2014-6271")), ("Status", .string("predicted"))])
        let json = try scan().trivyResult(vulnerabilities: [vuln])
        let keys = json.objectValue?.map(\.0)
        #expect(keys == ["Target", "Class", "Type", "Vulnerabilities", "MisconfSummary", "Misconfigurations"])
        #expect(json["Vulnerabilities"]?.arrayValue?.first?["VulnerabilityID"] == .string("CVE-2014-6271"))
    }
}
