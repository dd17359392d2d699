import Foundation
import Testing
@testable import VulnDB
import VigilCore

/// The language feeds through `DatabaseBuilder`: a malformed RubySec, FriendsOfPHP or Node.js
/// advisory stops the import naming the file and line and leaves the previous database as it
/// was; duplicate advisories from two files merge after loading.
@Suite struct LanguageFeedBuildTests {
    final class Scratch {
        let path = NSTemporaryDirectory() + "vigil-langfeeds-" + UUID().uuidString
        init() { try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        func write(_ name: String, _ text: String) {
            let full = path + "/" + name
            try? FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: full, contents: Data(text.utf8))
        }
    }

    static let good = "gem: rack\ncve: 2031-1\ntitle: t\nurl: u\ndate: 2031-01-01\ndescription: d\npatched_versions: ['>= 1.2']\n"

    @Test(arguments: [
        ("rubysec/gems/rack/CVE-2031-2.yml", "gem: rack\npatched_versions:\n  - '>= 1.0'\n  - '>>= 2'\n", "CVE-2031-2.yml:4:"),
        ("php/acme/lib/CVE-2031-3.yaml", "title: t\nbranches:\n  1.x:\n    versions: ['>=1.0', '<1.2'\nreference: composer://acme/lib\n", "CVE-2031-3.yaml:"),
        ("nswg/vuln/npm/5.json", "{\"id\": 5, \"module_name\": \"x\", \"vulnerable_versions\": \"< 1.0.0\",\n \"patched_versions\": 7}", "5.json: NSWG-ECO-5"),
    ])
    func malformedAdvisoryLeavesThePreviousDatabase(file: String, text: String, expected: String) throws {
        let scratch = Scratch()
        scratch.write("feeds/rubysec/gems/rack/CVE-2031-1.yml", Self.good)
        let db = scratch.path + "/v.db"
        _ = try DatabaseBuilder(destination: db).build(paths: [scratch.path + "/feeds"])
        let before = try Data(contentsOf: URL(fileURLWithPath: db))

        scratch.write("feeds/" + file, text)
        let error = try #require(throws: VulnDBError.self) { try DatabaseBuilder(destination: db).build(paths: [scratch.path + "/feeds"]) }
        #expect(error.description.contains(expected), "\(error.description)")
        #expect(!error.description.contains("\n"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before, "the previous database is untouched")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "no partial database is left behind")
    }

    @Test func duplicatesMergeAcrossFiles() throws {
        let scratch = Scratch()
        // Two OSV records of one CVE for one package (a GHSA and a PYSEC record), and the same
        // NVD-style record twice: one advisory row with both ranges, one vulnerability record.
        func osv(_ id: String, _ fixed: String) -> String {
            #"{"id":"\#(id)","aliases":["CVE-2031-9"],"schema_version":"1.4.0","affected":[{"package":{"ecosystem":"PyPI","name":"Foo"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"\#(fixed)"}]}]}]}"#
        }
        scratch.write("feeds/a/GHSA-x.json", osv("GHSA-xxxx-xxxx-xxxx", "1.0"))
        scratch.write("feeds/b/PYSEC-1.json", osv("PYSEC-2031-1", "1.1"))
        let db = scratch.path + "/v.db"
        let summary = try DatabaseBuilder(destination: db).build(paths: [scratch.path + "/feeds"])
        #expect(summary.advisories == 1)
        #expect(summary.vulnerabilities == 1)
        let database = try VulnDatabase(readOnlyPath: db)
        let rows = try #require(try database.advisories(family: "PyPI", release: "", packages: ["foo"])["foo"])
        #expect(rows.count == 1)
        #expect(rows.first?.vulnerabilityID == "CVE-2031-9")
        #expect(rows.first?.fixedVersion == "1.1")
        #expect(Set(rows.first?.ranges.compactMap(\.fixed) ?? []) == ["1.0", "1.1"])
        let records = try #require(try database.vulnerabilities(ids: ["CVE-2031-9"])["CVE-2031-9"])
        #expect(records.count == 1)
        #expect(Set(records.first?.aliases ?? []) == ["GHSA-xxxx-xxxx-xxxx", "PYSEC-2031-1"])
    }
}
