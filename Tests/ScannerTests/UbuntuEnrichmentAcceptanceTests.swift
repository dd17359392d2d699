import Analyzers
import Foundation
@testable import Scanner
import Testing
import VulnDB
import VigilCore

/// Issue 3's acceptance: the Ubuntu CVE tracker + Ubuntu OSV + NVD data from `shared/data/feeds`
/// imported into a real database, an Ubuntu 14.04 inventory matched against it, and the NVD CPE
/// table queried the way the Dockerfile predictor will. Skipped with a reason when the data is absent.
@Suite struct UbuntuEnrichmentAcceptanceTests {
    /// `shared/data/feeds` beside the repository (CI), else `/work/shared/data/feeds`.
    static let feeds: String? = {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [repository.deletingLastPathComponent().appendingPathComponent("shared/data/feeds").path, "/work/shared/data/feeds"]
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/ubuntu/uct") && FileManager.default.fileExists(atPath: $0 + "/nvd") }
    }()

    static let absent: Comment = "real feeds (shared/data/feeds with ubuntu/uct, ubuntu/osv, nvd) not found"

    /// One database for the suite: UCT + Ubuntu OSV + NVD + CWE.
    static let database: Result<VulnDatabase, any Error>? = {
        guard let feeds else { return nil }
        let path = NSTemporaryDirectory() + "vigil-acceptance-\(getpid()).db"
        return Result {
            _ = try DatabaseBuilder(destination: path).build(paths: [feeds + "/ubuntu", feeds + "/nvd", feeds + "/cwe"])
            return try VulnDatabase(readOnlyPath: path)
        }
    }()

    static func dpkg(_ name: String, _ version: String) -> InstalledPackage {
        let upstream = String(version.split(separator: "-").first ?? "")
        return InstalledPackage(format: .dpkg, name: name, version: version, upstreamVersion: upstream, sourceName: name,
                                sourceVersion: version, databasePath: "var/lib/dpkg/status")
    }

    static func scan(_ packages: [InstalledPackage]) throws -> [Finding] {
        let db = try #require(database).get()
        let inventory = Inventory(os: OperatingSystem(family: "ubuntu", name: "14.04"), packages: packages)
        return try VulnerabilityMatcher(database: db).match(inventory)
    }

    @Test("bash 4.3-7ubuntu1 has Shellshock, wget 1.15-1ubuntu1 has CVE-2014-4877, with severity and description",
          .enabled(if: feeds != nil, absent))
    func vulnerablePackages() throws {
        let findings = try Self.scan([Self.dpkg("bash", "4.3-7ubuntu1"), Self.dpkg("wget", "1.15-1ubuntu1")])
        let shellshock = try #require(findings.first { $0.vulnerabilityID == "CVE-2014-6271" && $0.package.name == "bash" })
        #expect(shellshock.fixedVersion == "4.3-7ubuntu1.1")
        #expect(shellshock.status == "fixed")
        #expect(shellshock.severity == .high, "Ubuntu's priority wins for a distro package")
        #expect(shellshock.severitySource == "ubuntu")
        #expect(shellshock.vendorSeverity["ubuntu"] == .high)
        #expect(shellshock.vendorSeverity["nvd"] == .critical)
        #expect(shellshock.description?.hasPrefix("GNU Bash through 4.3 processes trailing strings") == true)
        #expect(shellshock.cweIDs.contains("CWE-78"))
        #expect(shellshock.cvss.contains { $0.source == "nvd" && $0.v3Score == 9.8 && $0.v2Score == 10.0 })
        #expect(shellshock.dataSource.id == "ubuntu")

        let wget = try #require(findings.first { $0.vulnerabilityID == "CVE-2014-4877" && $0.package.name == "wget" })
        #expect(wget.fixedVersion == "1.15-1ubuntu1.14.04.1")
        #expect(wget.severity == .medium)
        #expect(wget.severitySource == "ubuntu")
        #expect(wget.description?.contains("Absolute path traversal vulnerability in GNU Wget before 1.16") == true)
        #expect(wget.cweIDs.contains("CWE-22"))
    }

    @Test("bash 4.3-7ubuntu1.1 is not affected by CVE-2014-6271", .enabled(if: feeds != nil, absent))
    func fixedPackage() throws {
        let findings = try Self.scan([Self.dpkg("bash", "4.3-7ubuntu1.1")])
        #expect(!findings.contains { $0.vulnerabilityID == "CVE-2014-6271" })
    }

    @Test("NVD CPE lookup: gnu:bash 4.3 has CVE-2014-6271, 4.3.30 does not", .enabled(if: feeds != nil, absent))
    func cpeLookup() throws {
        let db = try #require(Self.database).get()
        let all = try db.cpeMatches(vendor: "gnu", product: "bash")
        #expect(all.contains { $0.vulnerabilityID == "CVE-2014-6271" && $0.versionEndIncluding == "4.3" })
        #expect(try db.cpeMatches(vendor: "gnu", product: "bash", version: "4.3").map(\.vulnerabilityID).contains("CVE-2014-6271"))
        #expect(try db.cpeMatches(vendor: "GNU", product: "Bash", version: "4.2.45").map(\.vulnerabilityID).contains("CVE-2014-6271"))
        #expect(try !db.cpeMatches(vendor: "gnu", product: "bash", version: "4.3.30").map(\.vulnerabilityID).contains("CVE-2014-6271"))
        #expect(try db.cpeMatches(vendor: "gnu", product: "wget", version: "1.15").map(\.vulnerabilityID).contains("CVE-2014-4877"))
        #expect(try db.cpeMatches(vendor: "gnu", product: "no-such-product").isEmpty)
    }

    @Test("CWE catalogue read back from the database", .enabled(if: feeds != nil, absent))
    func cweCatalog() throws {
        let catalog = try #require(Self.database).get().cweCatalog()
        #expect(catalog.count > 1000)
        #expect(catalog.name(of: "CWE-78")?.contains("OS Command Injection") == true)
        #expect(catalog.parents(of: "CWE-78") == ["CWE-77"])
        #expect(catalog.ancestors(of: "CWE-78").prefix(3) == ["CWE-77", "CWE-74", "CWE-707"])
    }
}

/// Trivy's severity choice, on records written here.
@Suite struct SeveritySelectionTests {
    static func advisory(source: String, word: String?, id: String = "CVE-2031-1") -> AdvisoryRecord {
        AdvisoryRecord(vulnerabilityID: id, ecosystem: Ecosystem(family: source, release: "1"), packageName: "p", status: .fixed,
                       fixedVersion: "1", vendorSeverity: word, source: source)
    }

    static let nvd = VulnerabilityRecord(id: "CVE-2031-1", cvss: [CVSSRecord(source: "nvd", v2Score: 5.0, v3Score: 9.8)], source: "nvd",
                                         severity: "CRITICAL")

    @Test func distroWordWins() {
        let s = SeveritySelection.select(advisory: Self.advisory(source: "debian", word: "unimportant"), records: [Self.nvd])
        #expect(s == SeveritySelection(severity: .low, source: "debian", vendorSeverity: ["debian": .low, "nvd": .critical]))
    }

    @Test func nvdWhenTheDistroHasNoWord() {
        let s = SeveritySelection.select(advisory: Self.advisory(source: "alpine", word: nil), records: [Self.nvd])
        #expect(s.severity == .critical)
        #expect(s.source == "nvd")
    }

    @Test func nvdScoreBandWithoutAWord() {
        var record = Self.nvd
        record.severity = nil
        record.cvss = [CVSSRecord(source: "nvd", v2Score: 7.5)]
        let s = SeveritySelection.select(advisory: Self.advisory(source: "alpine", word: "not yet assigned"), records: [record])
        #expect(s.severity == .high)
        #expect(s.source == "nvd")
        #expect(s.vendorSeverity == ["nvd": .high])
    }

    @Test func ghsaThenUnknown() {
        let ghsa = VulnerabilityRecord(id: "GHSA-aaaa-bbbb-cccc", source: "osv-PyPI", severity: "MODERATE")
        let s = SeveritySelection.select(advisory: Self.advisory(source: "osv-npm", word: nil, id: "GHSA-aaaa-bbbb-cccc"), records: [ghsa])
        #expect(s == SeveritySelection(severity: .medium, source: "ghsa", vendorSeverity: ["ghsa": .medium]))
        let none = SeveritySelection.select(advisory: Self.advisory(source: "alpine", word: nil), records: [])
        #expect(none == SeveritySelection(severity: .unknown, source: nil, vendorSeverity: [:]))
    }

    @Test func redHatImpactWords() {
        #expect(SeveritySelection.select(advisory: Self.advisory(source: "redhat", word: "Important"), records: []).severity == .high)
        #expect(SeveritySelection.select(advisory: Self.advisory(source: "redhat", word: "Moderate"), records: []).severity == .medium)
        #expect(SeveritySelection.select(advisory: Self.advisory(source: "ubuntu", word: "negligible"), records: []).severity == .low)
    }
}
