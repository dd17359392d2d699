import Analyzers
import Foundation
@testable import Scanner
import Testing
import VulnDB
import VigilCore

/// The matcher against a real SQLite database built from small feed files written here.
@Suite struct MatcherTests {
    let dir: String
    let database: VulnDatabase

    init() throws {
        dir = NSTemporaryDirectory() + "vigil-matcher-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir + "/feeds", withIntermediateDirectories: true)
        try """
            distroversion: v3.10
            reponame: main
            packages:
              - pkg:
                  name: openssl
                  secfixes:
                    1.1.1d-r0:
                      - CVE-2031-0001
                    1.1.1b-r1:
                      - CVE-2031-0002
                    0:
                      - CVE-2031-0003
            """.write(toFile: dir + "/feeds/main.yaml", atomically: true, encoding: .utf8)
        try """
            [01 Jan 2031] DSA-9001-1 util-linux - security update
            \t{CVE-2031-0100}
            \t[bookworm] - util-linux 2.38.1-5+deb12u1
            [02 Jan 2031] DSA-9002-1 zlib - security update
            \t{CVE-2031-0200}
            \t[bookworm] - zlib <not-affected> (vulnerable code not present)
            """.write(toFile: dir + "/feeds/DSA-list", atomically: true, encoding: .utf8)
        try """
            {"schema_version":"1.6.3","id":"UBUNTU-CVE-2031-0300","details":"Heap overflow in libfoo.","published":"2031-01-01T00:00:00Z","modified":"2031-01-02T00:00:00.123Z",
             "affected":[{"package":{"ecosystem":"Ubuntu:22.04:LTS","name":"libfoo"},
               "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"last_affected":"1.2-1"}]}],
               "ecosystem_specific":{"ubuntu_priority":"high"}}]}
            """.write(toFile: dir + "/feeds/ubuntu.json", atomically: true, encoding: .utf8)
        _ = try DatabaseBuilder(destination: dir + "/v.db").build(paths: [dir + "/feeds"])
        database = try VulnDatabase(readOnlyPath: dir + "/v.db")
    }

    func apk(_ name: String, _ version: String, origin: String) -> InstalledPackage {
        InstalledPackage(format: .apk, name: name, version: version, upstreamVersion: version, sourceName: origin,
                         sourceVersion: version, databasePath: "lib/apk/db/installed")
    }

    @Test func alpineFixedAndFixedInZero() throws {
        let inv = Inventory(os: OperatingSystem(family: "alpine", name: "3.10.4"), packages: [apk("libssl1.1", "1.1.1c-r0", origin: "openssl")])
        let findings = try VulnerabilityMatcher(database: database).match(inv)
        #expect(findings.map(\.vulnerabilityID) == ["CVE-2031-0001"])
        #expect(findings.first?.fixedVersion == "1.1.1d-r0")
        #expect(findings.first?.status == "fixed")
        #expect(findings.first?.dataSource.id == "alpine")
    }

    @Test func otherReleaseDoesNotMatch() throws {
        let inv = Inventory(os: OperatingSystem(family: "alpine", name: "3.11.2"), packages: [apk("libssl1.1", "1.1.1c-r0", origin: "openssl")])
        #expect(try VulnerabilityMatcher(database: database).match(inv).isEmpty)
    }

    @Test func dpkgMatchesBySourceVersionNotBinNMU() throws {
        // Binary 2.38.1-5+b1 of source 2.38.1-5: the source version is what advisories speak of.
        let pkg = InstalledPackage(format: .dpkg, name: "bsdutils", version: "1:2.38.1-5+b1", epoch: 1, upstreamVersion: "2.38.1",
                                   release: "5+b1", sourceName: "util-linux", sourceVersion: "2.38.1-5", databasePath: "var/lib/dpkg/status")
        let zlib = InstalledPackage(format: .dpkg, name: "zlib1g", version: "1:1.2.13.dfsg-1", upstreamVersion: "1.2.13.dfsg",
                                    sourceName: "zlib", sourceVersion: "1:1.2.13.dfsg-1", databasePath: "var/lib/dpkg/status")
        let inv = Inventory(os: OperatingSystem(family: "debian", name: "12.5"), packages: [pkg, zlib])
        let findings = try VulnerabilityMatcher(database: database).match(inv)
        #expect(findings.map(\.vulnerabilityID) == ["CVE-2031-0100"], "zlib is <not-affected>")
        #expect(findings.first?.advisoryID == "DSA-9001-1")
        #expect(findings.first?.installedVersionShown == "1:2.38.1-5+b1")
    }

    @Test func osvLastAffectedAndVendorSeverity() throws {
        func libfoo(_ v: String) -> InstalledPackage {
            InstalledPackage(format: .dpkg, name: "libfoo1", version: v, upstreamVersion: v, sourceName: "libfoo", sourceVersion: v, databasePath: "s")
        }
        let os = OperatingSystem(family: "ubuntu", name: "22.04")
        let hit = try VulnerabilityMatcher(database: database).match(Inventory(os: os, packages: [libfoo("1.2-1")]))
        #expect(hit.map(\.vulnerabilityID) == ["CVE-2031-0300"])
        #expect(hit.first?.fixedVersion == nil)
        #expect(hit.first?.status == "affected")
        #expect(hit.first?.severity == .high)
        #expect(hit.first?.severitySource == "ubuntu")
        #expect(hit.first?.description == "Heap overflow in libfoo.")
        #expect(hit.first?.lastModifiedDate == "2031-01-02T00:00:00Z")
        #expect(try VulnerabilityMatcher(database: database).match(Inventory(os: os, packages: [libfoo("1.2-2")])).isEmpty)
    }

    @Test(arguments: [("high**", Severity.high), ("unimportant", .low), ("not yet assigned", .unknown), ("Critical", .critical), ("negligible", .low)])
    func vendorWords(word: String, severity: VigilCore.Severity) {
        #expect(Severity(vendorWord: word) == severity)
    }

    @Test func ignoreFileSyntax() throws {
        let list = try IgnoreList(parsing: "# comment\nCVE-1 \nCVE-2 exp:2030-01-01 # until then\n\n", path: ".trivyignore")
        let now = ISO8601DateFormatter().date(from: "2029-06-01T00:00:00Z")!
        let later = ISO8601DateFormatter().date(from: "2030-06-01T00:00:00Z")!
        #expect(list.ignores("CVE-1", now: now))
        #expect(list.ignores("CVE-2", now: now))
        #expect(!list.ignores("CVE-2", now: later))
        let e = #expect(throws: ScanError.self) { _ = try IgnoreList(parsing: "CVE-3 exp:tomorrow", path: ".trivyignore") }
        #expect(e?.description == ".trivyignore:1: invalid expiry 'exp:tomorrow' (expected exp:YYYY-MM-DD)")
    }
}

extension Finding {
    var installedVersionShown: String { package.version }
}
