import Testing
@testable import VulnDB
import VigilCore

@Suite("Alpine secdb importer")
struct AlpineSecdbImporterTests {
    private let alpine = Ecosystem(family: "alpine", release: "3.99")

    @Test("YAML fixture: versions stay strings, 0 means not affected, extra text is split")
    func yamlFixture() throws {
        let result = try FeedFixture.parse("alpine/v3.99-main.yaml")
        let advisories = result.batch.advisories
        #expect(advisories.count == 8)
        #expect(result.batch.vulnerabilities.isEmpty)
        #expect(advisories.allSatisfy { $0.ecosystem == alpine && $0.source == "alpine" })

        func find(_ id: String, _ package: String) -> AdvisoryRecord? {
            advisories.first { $0.vulnerabilityID == id && $0.packageName == package }
        }
        #expect(find("CVE-2031-0001", "libfoo")?.fixedVersion == "1.10-r0")
        // `2.0` and `1.10` would be the numbers 2 and 1.1 if read as YAML floats.
        #expect(find("CVE-2031-0002", "libfoo")?.fixedVersion == "2.0")
        #expect(find("XSA-901", "libfoo")?.fixedVersion == "2.0")
        #expect(find("CVE-2031-0003", "libfoo")?.status == .fixed)
        #expect(find("CVE-2031-0007", "barutils")?.fixedVersion == "1.10")
        #expect(find("CVE-2031-0005", "barutils")?.fixedVersion == "7.50")
        #expect(find("CVE-2031-0006", "barutils") != nil)

        let notAffected = try #require(find("CVE-2031-0004", "libfoo"))
        #expect(notAffected.status == .notAffected)
        #expect(notAffected.fixedVersion == nil)

        // The parenthesised remark is not an id.
        #expect(!advisories.contains { $0.vulnerabilityID.hasPrefix("(") || $0.vulnerabilityID == "only)" })
        #expect(result.skipped == ["package without a name": 1])
    }

    @Test("Wolfi JSON has no distroversion and maps to family wolfi with no release")
    func wolfiJSON() throws {
        let result = try FeedFixture.parse("alpine/wolfi-os.json")
        let wolfi = Ecosystem(family: "wolfi", release: "")
        #expect(result.batch.advisories.count == 4)
        #expect(result.batch.advisories.allSatisfy { $0.ecosystem == wolfi && $0.source == "wolfi" })
        let zero = try #require(result.batch.advisories.first { $0.vulnerabilityID == "CVE-2032-0100" })
        #expect(zero.status == .notAffected)
        #expect(result.batch.advisories.first { $0.vulnerabilityID == "GHSA-abcd-efgh-ijkl" }?.fixedVersion == "2.10.0-r2")
        // JSON key order is kept (Yams node tree), so output order is the file's order.
        #expect(result.batch.advisories.map(\.vulnerabilityID)
            == ["CVE-2032-0100", "CVE-2032-0101", "CVE-2032-0102", "GHSA-abcd-efgh-ijkl"])
    }

    @Test("JSON secdb with tab indentation and escaped slashes")
    func jsonWithTabs() throws {
        let json = "{\n\t\"urlprefix\": \"https:\\/\\/packages.wolfi.dev\",\n\t\"packages\": [\n\t\t{\"pkg\": {\"name\": \"caf\\u00e9\", \"secfixes\": {\"1.10\": [\"CVE-2030-0001\"]}}}\n\t]\n}\n"
        #expect(FeedImporter.detect(path: "security.json", data: Array(json.utf8)) == .alpineSecdb)
        let batch = try FeedImporter.parse(path: "security.json", data: Array(json.utf8), format: .alpineSecdb)
        let advisory = try #require(batch.advisories.first)
        #expect(advisory.ecosystem == Ecosystem(family: "wolfi", release: ""))
        #expect(advisory.packageName == "caf\u{e9}")
        #expect(advisory.fixedVersion == "1.10")
    }

    @Test("secfixes entries: typos repaired, remarks dropped", arguments: [
        ("CVE-2019-5060 TALOS-2019-0844", ["CVE-2019-5060", "TALOS-2019-0844"]),
        ("CVE-2018-10103 (SMB - partially fixed, but SMB printing disabled)", ["CVE-2018-10103"]),
        ("CVE 2018-16859", ["CVE-2018-16859"]),
        ("CVE_2019-2426", ["CVE-2019-2426"]),
        ("CVE-2018-12126  XSA-297", ["CVE-2018-12126", "XSA-297"]),
        ("CVE-2017-11610  ", ["CVE-2017-11610"]),
        ("", []),
    ])
    func entrySplitting(entry: String, expected: [String]) {
        #expect(AlpineSecdbImporter.vulnerabilityIDs(in: entry) == expected)
    }

    @Test("broken YAML names the file and line")
    func brokenYAML() throws {
        let yaml = "distroversion: v3.1\npackages:\n  - pkg:\n      name: [unclosed\n      secfixes: {}\n"
        let error = try #require(feedParseError(yaml, path: "feeds/v3.1/main.yaml", format: .alpineSecdb))
        #expect(error.reason == .malformedFeed)
        #expect(error.message.hasPrefix("feeds/v3.1/main.yaml:"))
        #expect(error.message.contains("invalid YAML"))
        #expect(!error.message.contains("\n"))
        let line = Int(error.message.split(separator: ":")[1])
        #expect(line != nil && (4...6).contains(line!))
    }

    @Test("structural errors name the file and line")
    func structuralErrors() throws {
        let notList = try #require(feedParseError("distroversion: v3.1\npackages: 5\n", path: "m.yaml", format: .alpineSecdb))
        #expect(notList.message == "m.yaml:2: packages is not a list")

        let noRelease = try #require(feedParseError("reponame: main\npackages: []\n", path: "x.yaml", format: .alpineSecdb))
        #expect(noRelease.reason == .malformedFeed)
        #expect(noRelease.message.hasPrefix("x.yaml: no distroversion"))

        let scalar = try #require(feedParseError("just text\n", path: "s.yaml", format: .alpineSecdb))
        #expect(scalar.message.hasPrefix("s.yaml:1: expected a mapping"))

        let duplicate = "distroversion: v3.1\npackages:\n  - pkg:\n      name: a\n      secfixes:\n        1.0-r0: [CVE-1]\n        1.0-r0: [CVE-2]\n"
        let dupError = try #require(feedParseError(duplicate, path: "d.yaml", format: .alpineSecdb))
        #expect(dupError.message.hasPrefix("d.yaml:6: invalid YAML: duplicate key"))
        #expect(!dupError.message.contains("\n"))

        let binary = try #require(feedParseError(bytes: [0xFF, 0xFE, 0x00], path: "b.yaml", format: .alpineSecdb))
        #expect(binary.message == "b.yaml: not valid UTF-8")
    }

    @Test("hostile shapes are skipped, not fatal")
    func hostileShapes() throws {
        let yaml = """
        distroversion: v3.1
        packages:
          - 7
          - pkg: nope
          - pkg:
              name: [a, b]
          - pkg:
              name: ok
              secfixes: [1, 2]
          - pkg:
              name: ok2
              secfixes:
                1.0-r0: CVE-2030-0001
                [x]: [CVE-2030-0002]
                2.0-r0: [{a: b}, CVE-2030-0003]
                3.0-r0:
        """
        let result = try FeedImporter.parseDetailed(path: "h.yaml", data: Array(yaml.utf8), format: .alpineSecdb)
        #expect(result.batch.advisories.map(\.vulnerabilityID) == ["CVE-2030-0001", "CVE-2030-0003"])
        #expect(result.skippedCount == 6)
    }
}

@Suite struct AlpineAliasTests {
    @Test func billionLaughsKeyIsRefusedQuickly() {
        var s = "distroversion: v3.10\na0: &a0 {k0: lol, k1: lol}\n"
        for i in 1..<16 { s += "a\(i): &a\(i) {k0: *a\(i - 1), k1: *a\(i - 1), k2: *a\(i - 1), k3: *a\(i - 1)}\n" }
        s += "packages:\n  - pkg:\n      name: foo\n      secfixes:\n        ? *a15\n        : [CVE-1]\n"
        let e = #expect(throws: VulnDBError.self) { _ = try FeedImporter.parse(path: "bomb.yaml", data: Array(s.utf8), format: .alpineSecdb) }
        #expect(e?.description == "bomb.yaml:2: YAML anchors and aliases are not accepted in secdb feeds")
    }

    @Test func asterisksInsideValuesAreFine() throws {
        let s = "distroversion: v3.10\npackages:\n  - pkg:\n      name: foo\n      secfixes:\n        1.0-r0:\n          - CVE-2019-0001 (see *notes*)\n          - \"*quoted\"\n"
        let batch = try FeedImporter.parse(path: "ok.yaml", data: Array(s.utf8), format: .alpineSecdb)
        #expect(batch.advisories.contains { $0.vulnerabilityID == "CVE-2019-0001" })
    }
}
