import Foundation
import Testing
import ZIPFoundation
@testable import VulnDB
import VigilCore

/// Red Hat CSAF / CVE JSON, Alma/Rocky OSV, RustSec Markdown and OSV all.zip archives.
@Suite struct DistroAndLanguageImporterTests {
    static let csaf = """
        {"document": {"category": "csaf_security_advisory", "csaf_version": "2.0",
           "aggregate_severity": {"text": "Moderate"},
           "tracking": {"id": "RHSA-2031:0001", "current_release_date": "2031-01-02T03:04:05+00:00"}},
         "product_tree": {"branches": [{"category": "vendor", "name": "Red Hat", "branches": [
            {"category": "product_family", "name": "RHEL", "branches": [
              {"category": "product_name", "name": "BaseOS 9", "product": {"name": "BaseOS 9", "product_id": "BaseOS-9.4.0.Z",
                 "product_identification_helper": {"cpe": "cpe:/o:redhat:enterprise_linux:9::baseos"}}},
              {"category": "product_name", "name": "OpenShift", "product": {"name": "OpenShift", "product_id": "OSE-4",
                 "product_identification_helper": {"cpe": "cpe:/a:redhat:openshift:4"}}}]},
            {"category": "architecture", "name": "src", "branches": [
              {"category": "product_version", "name": "libfoo-1:2.0-3.el9_4.src", "product": {"name": "libfoo-1:2.0-3.el9_4.src", "product_id": "libfoo-1:2.0-3.el9_4.src"}},
              {"category": "product_version", "name": "libbar", "product": {"name": "libbar", "product_id": "libbar"}}]}]}],
           "relationships": [
             {"category": "default_component_of", "full_product_name": {"name": "x", "product_id": "BaseOS-9.4.0.Z:libfoo-1:2.0-3.el9_4.src"},
              "product_reference": "libfoo-1:2.0-3.el9_4.src", "relates_to_product_reference": "BaseOS-9.4.0.Z"},
             {"category": "default_component_of", "full_product_name": {"name": "y", "product_id": "BaseOS-9.4.0.Z:libbar"},
              "product_reference": "libbar", "relates_to_product_reference": "BaseOS-9.4.0.Z"},
             {"category": "default_component_of", "full_product_name": {"name": "z", "product_id": "OSE-4:libfoo-1:2.0-3.el9_4.src"},
              "product_reference": "libfoo-1:2.0-3.el9_4.src", "relates_to_product_reference": "OSE-4"}]},
         "vulnerabilities": [{"cve": "CVE-2031-1111", "cwe": {"id": "CWE-835", "name": "Loop"},
            "notes": [{"category": "description", "text": "Infinite loop in libfoo."}, {"category": "summary", "text": "libfoo: loop"}],
            "threats": [{"category": "impact", "details": "Important"}],
            "scores": [{"cvss_v3": {"vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", "baseScore": 7.5}, "products": []}],
            "product_status": {"fixed": ["BaseOS-9.4.0.Z:libfoo-1:2.0-3.el9_4.src", "OSE-4:libfoo-1:2.0-3.el9_4.src"],
                               "known_affected": ["BaseOS-9.4.0.Z:libbar"]},
            "remediations": [{"category": "no_fix_planned", "details": "Will not fix", "product_ids": ["BaseOS-9.4.0.Z:libbar"]}],
            "release_date": "2031-01-01T00:00:00+00:00"}]}
        """

    @Test func redHatCSAF() throws {
        let data = Array(Self.csaf.utf8)
        #expect(FeedImporter.detect(path: "rhsa.json", data: data) == .csaf)
        let result = try FeedImporter.parseDetailed(path: "rhsa.json", data: data, format: .csaf)
        let foo = try #require(result.batch.advisories.first { $0.packageName == "libfoo" })
        #expect(foo.ecosystem == Ecosystem(family: "redhat", release: "9"))
        #expect(foo.status == .fixed)
        #expect(foo.fixedVersion == "1:2.0-3.el9_4")
        #expect(foo.vendorSeverity == "Important")
        #expect(foo.advisoryID == "RHSA-2031:0001")
        #expect(result.batch.advisories.first { $0.packageName == "libbar" }?.status == .willNotFix)
        #expect(result.batch.advisories.count == 2, "OpenShift is not RHEL")
        #expect(result.skipped["CSAF product outside Red Hat Enterprise Linux"] == 1)
        let record = try #require(result.batch.vulnerabilities.only)
        #expect(record.cweIDs == ["CWE-835"])
        #expect(record.title == "libfoo: loop")
        #expect(record.cvss.first?.v3Score == 7.5)
        #expect(record.severity == "Important")
    }

    @Test func redHatCVEJSON() throws {
        let text = """
            {"threat_severity": "Moderate", "public_date": "2031-03-16T00:00:00Z", "name": "CVE-2031-2222",
             "bugzilla": {"description": "bind: cache poisoning", "id": "1"},
             "cvss3": {"cvss3_base_score": "6.8", "cvss3_scoring_vector": "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:N/I:H/A:N"},
             "cwe": "CWE-20->CWE-444", "details": ["upstream text", "Red Hat text"],
             "affected_release": [{"advisory": "RHSA-2031:7790", "cpe": "cpe:/o:redhat:enterprise_linux:8", "package": "bind-32:9.11.36-5.el8"},
                                  {"advisory": "RHSA-2031:2720", "cpe": "cpe:/a:redhat:rhel_eus:8.6", "package": "bind-32:9.11.36-3.el8_6.7"}],
             "package_state": [{"fix_state": "Out of support scope", "package_name": "bind", "cpe": "cpe:/o:redhat:enterprise_linux:7"},
                               {"fix_state": "Affected", "package_name": "libreoffice:flatpak/bind", "cpe": "cpe:/o:redhat:enterprise_linux:9"},
                               {"fix_state": "Not affected", "package_name": "bind9.16", "cpe": "cpe:/o:redhat:enterprise_linux:9"}],
             "references": ["https://www.cve.org/CVERecord?id=CVE-2031-2222\\nhttps://kb.isc.org/docs/CVE-2031-2222"]}
            """
        let data = Array(text.utf8)
        #expect(FeedImporter.detect(path: "CVE-2031-2222.json", data: data) == .redHatCVE)
        let result = try FeedImporter.parseDetailed(path: "CVE-2031-2222.json", data: data, format: .redHatCVE)
        let fixed = result.batch.advisories.filter { $0.status == .fixed }
        #expect(Set(fixed.map(\.fixedVersion)) == ["32:9.11.36-5.el8", "32:9.11.36-3.el8_6.7"])
        #expect(fixed.allSatisfy { $0.ecosystem == Ecosystem(family: "redhat", release: "8") && $0.packageName == "bind" })
        #expect(result.batch.advisories.contains { $0.ecosystem.release == "7" && $0.status == .endOfLife })
        #expect(result.batch.advisories.contains { $0.packageName == "bind9.16" && $0.status == .notAffected })
        #expect(result.skipped["package_state for a non-RPM component"] == 1, "flatpak")
        let record = try #require(result.batch.vulnerabilities.only)
        #expect(record.cweIDs == ["CWE-20", "CWE-444"])
        #expect(record.description == "Red Hat text")
        #expect(record.references == ["https://www.cve.org/CVERecord?id=CVE-2031-2222", "https://kb.isc.org/docs/CVE-2031-2222"])
        #expect(record.cvss.first?.v3Score == 6.8)
    }

    @Test func almaAndRockyOSV() throws {
        let text = """
            {"id": "ALSA-2031:0042", "summary": "Moderate: mariadb security update", "related": ["CVE-2031-1", "CVE-2031-2"],
             "affected": [{"package": {"ecosystem": "AlmaLinux:8", "name": "mariadb"},
               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3:10.3.39-1.module_el8.8.0+3609+204d4ab0"}]}]},
               {"package": {"ecosystem": "Rocky Linux:9", "name": "mariadb"},
               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3:10.5.22-1.el9_2"}]}]}]}
            """
        let result = try FeedImporter.parseDetailed(path: "ALSA.json", data: Array(text.utf8), format: .osv)
        #expect(Set(result.batch.advisories.map(\.vulnerabilityID)) == ["CVE-2031-1", "CVE-2031-2"])
        #expect(result.batch.advisories.allSatisfy { $0.advisoryID == "ALSA-2031:0042" && $0.vendorSeverity == "Moderate" })
        #expect(result.batch.advisories.contains { $0.ecosystem == Ecosystem(family: "alma", release: "8") && $0.source == "alma" })
        #expect(result.batch.advisories.contains { $0.ecosystem == Ecosystem(family: "rocky", release: "9") && $0.source == "rocky" })
    }

    static let rustsec = """
        ```toml
        [advisory]
        id = "RUSTSEC-2031-0001"
        package = "tokio"
        date = "2031-07-07"
        url = "https://example.invalid/issue/1"
        aliases = ["CVE-2031-3333", 'GHSA-aaaa-bbbb-cccc']
        cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"

        [affected]
        functions = { "tokio::task::JoinHandle::abort" = ["<= 1.8.0, >= 0.3.0"] }

        [versions]
        # comment
        patched = [
          ">= 1.5.1, < 1.6.0",
          ">= 1.7.2, < 1.8.0",
          ">= 1.8.1",
        ]
        unaffected = ["< 0.3.0", "=0.3.5"]
        ```

        # Task dropped in wrong thread

        When aborting a task the future is dropped
        in the wrong thread.
        """

    @Test func rustsecMarkdown() throws {
        let data = Array(Self.rustsec.utf8)
        #expect(FeedImporter.detect(path: "tokio/RUSTSEC-2031-0001.md", data: data) == .rustsecAdvisory)
        let result = try FeedImporter.parseDetailed(path: "tokio/RUSTSEC-2031-0001.md", data: data, format: .rustsecAdvisory)
        let advisory = try #require(result.batch.advisories.only)
        #expect(advisory.ecosystem == Ecosystem(family: "crates.io", release: ""))
        #expect(advisory.packageName == "tokio")
        #expect(advisory.ranges == [
            AffectedRange(introduced: "0.3.0", fixed: "0.3.5"),
            AffectedRange(introduced: "0.3.6-0", fixed: "1.5.1"),
            AffectedRange(introduced: "1.6.0", fixed: "1.7.2"),
            AffectedRange(introduced: "1.8.0", fixed: "1.8.1"),
        ])
        #expect(advisory.fixedVersion == "1.8.1")
        // Filed under its CVE, as its OSV export is; the RustSec id is the advisory id.
        #expect(advisory.vulnerabilityID == "CVE-2031-3333")
        #expect(advisory.advisoryID == "RUSTSEC-2031-0001")
        let record = try #require(result.batch.vulnerabilities.only)
        #expect(record.id == "CVE-2031-3333")
        #expect(record.title == "Task dropped in wrong thread")
        #expect(record.description == "When aborting a task the future is dropped\nin the wrong thread.")
        #expect(record.aliases == ["RUSTSEC-2031-0001", "GHSA-aaaa-bbbb-cccc"])
        #expect(record.published == "2031-07-07T00:00:00Z")
        #expect(record.cvss.first?.v3Score == 9.8)
    }

    @Test func cargoRequirementIntervals() throws {
        func text(_ b: RustSecImporter.Bound) -> String {
            switch b {
            case .unbounded: "∞"
            case .inclusive(let v): "[\(v)"
            case .exclusive(let v): "(\(v)"
            }
        }
        let cases: [(String, String, String)] = [
            ("^0.3.4", "[0.3.4", "(0.4.0-0"), ("^1.2", "[1.2.0", "(2.0.0-0"), ("^0.0.3", "[0.0.3", "(0.0.4-0"),
            ("~1.2.3", "[1.2.3", "(1.3.0-0"), ("0.13.10", "[0.13.10", "(0.14.0-0"), ("> 1.0", "(1.0.0", "∞"),
            ("<= 2.0.0-rc.1", "∞", "[2.0.0-rc.1"),
        ]
        for (requirement, lower, upper) in cases {
            let (l, u) = try RustSecImporter.interval(requirement)
            #expect(text(l) == lower, "\(requirement)")
            #expect(text(u) == upper, "\(requirement)")
        }
        #expect(try RustSecImporter.affectedRanges(patched: [], unaffected: []) == [AffectedRange()])
        #expect(try RustSecImporter.affectedRanges(patched: ["> 1.0"], unaffected: []) == [AffectedRange(fixed: "1.0.1-0")])
    }

    @Test(arguments: [
        ("```toml\n[advisory]\nid = \"X\"\npackage = \"p\"\ndate = \"2031-01-01\nurl = 1\n```\n", "x.md:5: invalid TOML: unterminated string"),
        ("```toml\n[advisory]\nid = \"X\"\nid = \"Y\"\n```\n", "x.md:4: invalid TOML: duplicate key 'id'"),
        ("```toml\n[advisory]\nid = \"X\"\npackage = \"p\"\n", "x.md:1: unterminated ```toml block"),
        ("```toml\n[advisory]\nid = \"X\"\npackage = \"p\"\n[versions]\npatched = [\">= 1.0, >= 2.0\"]\n```\n", "x.md: X: two lower bounds"),
    ])
    func hostileRustSec(text: String, message: String) throws {
        let error = try #require(feedParseError(text, path: "x.md", format: .rustsecAdvisory))
        #expect(error.description.hasPrefix(message), "\(error)")
    }

    @Test func osvArchive() throws {
        let archive = try Archive(data: Data(), accessMode: .create)
        for name in ["GO-2031-0001.json", "PYSEC-2031-77.json"] {
            let bytes = Data(try FeedFixture.bytes("osv/\(name)"))
            try archive.addEntry(with: "all/\(name)", type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        let readme = Data("not a record".utf8)
        try archive.addEntry(with: "README", type: .file, uncompressedSize: Int64(readme.count)) { position, size in
            readme.subdata(in: Int(position)..<(Int(position) + size))
        }
        let zip = [UInt8](try #require(archive.data))
        #expect(FeedImporter.detect(path: "all.zip", data: zip) == .osvArchive)
        let result = try FeedImporter.parseDetailed(path: "all.zip", data: zip, format: .osvArchive)
        let separate = try ["GO-2031-0001.json", "PYSEC-2031-77.json"].map { try FeedFixture.parse("osv/\($0)").batch }
        #expect(result.batch.advisories == separate.flatMap(\.advisories))
        #expect(result.batch.vulnerabilities == separate.flatMap(\.vulnerabilities))
        #expect(result.skipped["zip member that is not JSON"] == 1)

        var truncated = zip
        truncated.removeLast(zip.count / 2)
        let error = try #require(feedParseError(bytes: truncated, path: "all.zip", format: .osvArchive))
        #expect(error.description.hasPrefix("all.zip"), "\(error)")
    }
}
