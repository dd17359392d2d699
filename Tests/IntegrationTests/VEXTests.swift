import Foundation
import ImageFixtures
import Testing
import TestSupport

/// `--vex` and `--show-suppressed` end to end: an image with vulnerable apk, Composer and PyPI
/// packages is scanned, and VEX documents (OpenVEX, CycloneDX, CSAF) are written for findings
/// taken from that scan's own output; the rescan must drop exactly those, and list them in
/// Trivy's `ExperimentalModifiedFindings` shape when asked.
@Suite(.enabled(if: SharedData.available && SharedData.vigilBinary != nil), .serialized)
final class VEXTests {
    let scratch = ScratchDirectory()
    let vigil = SharedData.vigilBinary!
    let db: String
    let image: String
    /// The scan's findings: (result type, id, PURL, package name).
    var findings: [(type: String, id: String, purl: String, name: String)] = []

    init() throws {
        db = scratch.path + "/vigil.db"
        let feeds = ["alpine-secdb", "ghsa", "pypi-osv"].map { SharedData.path("data/feeds/" + $0) }
        let imported = try Run.program(vigil, ["db", "import", "--db", db] + feeds)
        try #require(imported.status == 0, "db import failed: \(imported.stderr)")
        var t = TarBuilder()
        t.file("etc/alpine-release", text: "3.10.2\n")
        t.file("lib/apk/db/installed", text: "P:libssl1.1\nV:1.1.1c-r0\nA:x86_64\no:openssl\n\n")
        t.file("srv/app/composer.lock", text: #"{"packages": [{"name": "symfony/http-kernel", "version": "v5.4.0"}]}"#)
        t.file("srv/app/requirements.txt", text: "PyYAML==5.3\n")
        image = scratch.write("app.tar", ImageArchiveBuilder(layers: [t.finished()], repoTag: "app:test").dockerArchive())
        for r in try results(try scan([])) {
            for v in r["Vulnerabilities"] as? [[String: Any]] ?? [] {
                findings.append((r["Type"] as? String ?? "", v["VulnerabilityID"] as? String ?? "",
                                 (v["PkgIdentifier"] as? [String: Any])?["PURL"] as? String ?? "", v["PkgName"] as? String ?? ""))
            }
        }
        try #require(Set(findings.map(\.type)).isSuperset(of: ["alpine", "composer", "pip"]), "\(findings)")
    }

    func scan(_ extra: [String]) throws -> Run {
        try Run.program(vigil, ["image", "--input", image, "--db", db, "-f", "json", "--quiet"] + extra)
    }

    func results(_ run: Run) throws -> [[String: Any]] {
        try #require(run.status == 0, "\(run.stderr)")
        let report = try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        return report["Results"] as? [[String: Any]] ?? []
    }

    func ids(_ results: [[String: Any]]) -> Set<String> {
        Set(results.flatMap { ($0["Vulnerabilities"] as? [[String: Any]] ?? []).map { "\($0["VulnerabilityID"]!) \($0["PkgName"]!)" } })
    }

    func write(_ name: String, _ object: Any) throws -> String {
        scratch.write(name, [UInt8](try JSONSerialization.data(withJSONObject: object)))
    }

    /// The purl without its version (and qualifiers): covers every version.
    func versionless(_ purl: String) -> String {
        var p = Substring(purl)
        if let q = p.firstIndex(of: "?") { p = p[..<q] }
        if let at = p.lastIndex(of: "@") { p = p[..<at] }
        return String(p)
    }

    @Test func openVEXCycloneDXAndCSAFSuppressAndShow() throws {
        let os = try #require(findings.first { $0.type == "alpine" })
        let php = try #require(findings.first { $0.type == "composer" })
        let py = try #require(findings.first { $0.type == "pip" })
        // Another OS finding whose statement is overridden by a later one (the last one counts).
        let overridden = findings.first { $0.type == "alpine" && $0.id != os.id }
        var statements: [[String: Any]] = [[
            "vulnerability": ["name": os.id], "products": [["@id": versionless(os.purl)]],
            "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path",
        ]]
        if let overridden {
            statements.append(["vulnerability": ["name": overridden.id], "products": [["@id": overridden.purl]], "status": "not_affected",
                               "justification": "component_not_present"])
            statements.append(["vulnerability": ["name": overridden.id], "products": [["@id": overridden.purl]], "status": "affected"])
        }
        let openVEX = try write("app.openvex.json", ["@context": "https://openvex.dev/ns/v0.2.0", "@id": "x", "author": "test", "statements": statements])
        let cdx = try write("app.cdx-vex.json", [
            "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
            "vulnerabilities": [["id": php.id, "analysis": ["state": "resolved", "justification": "code_not_reachable"], "affects": [["ref": php.purl]]]],
        ])
        let csaf = try write("app.csaf.json", [
            "document": ["category": "csaf_vex", "title": "t"],
            "product_tree": ["full_product_names": [["product_id": "PY1", "name": "pyyaml", "product_identification_helper": ["purl": py.purl]]]],
            "vulnerabilities": [["cve": py.id, "product_status": ["known_not_affected": ["PY1"]],
                                 "threats": [["category": "impact", "details": "yaml.load is never called"]]]],
        ])
        let before = ids(try results(try scan([])))
        let suppressed: Set<String> = ["\(os.id) \(os.name)", "\(php.id) \(php.name)", "\(py.id) \(py.name)"]
        let hidden = try results(try scan(["--vex", openVEX, "--vex", cdx, "--vex", csaf]))
        #expect(ids(hidden) == before.subtracting(suppressed))
        #expect(!hidden.contains { $0["ExperimentalModifiedFindings"] != nil })
        if let overridden { #expect(ids(hidden).contains("\(overridden.id) \(overridden.name)")) }

        let shown = try results(try scan(["--vex", openVEX, "--vex", cdx, "--vex", csaf, "--show-suppressed"]))
        #expect(ids(shown) == ids(hidden))
        var modified: [String: [String: Any]] = [:]
        for r in shown {
            for m in r["ExperimentalModifiedFindings"] as? [[String: Any]] ?? [] {
                let f = m["Finding"] as? [String: Any] ?? [:]
                modified["\(f["VulnerabilityID"]!) \(f["PkgName"]!)"] = m
                #expect(m["Type"] as? String == "vulnerability")
                #expect(f["PkgIdentifier"] != nil && f["Severity"] != nil)
            }
        }
        #expect(Set(modified.keys) == suppressed)
        #expect(modified["\(os.id) \(os.name)"]?["Status"] as? String == "not_affected")
        #expect(modified["\(os.id) \(os.name)"]?["Statement"] as? String == "vulnerable_code_not_in_execute_path")
        #expect(modified["\(os.id) \(os.name)"]?["Source"] as? String == openVEX)
        #expect(modified["\(php.id) \(php.name)"]?["Status"] as? String == "fixed")
        #expect(modified["\(php.id) \(php.name)"]?["Source"] as? String == cdx)
        #expect(modified["\(py.id) \(py.name)"]?["Statement"] as? String == "yaml.load is never called")

        // The table lists them after the sections, one line each with the statement and its source.
        let table = try Run.program(vigil, ["image", "--input", image, "--db", db, "--quiet", "--vex", openVEX, "--vex", cdx, "--vex", csaf, "--show-suppressed"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("Suppressed Vulnerabilities (Total: 3)"))
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix(os.name) && $0.contains(os.id) && $0.contains("not_affected") && $0.contains("vulnerable_code_not_in_execute_path") && $0.hasSuffix(openVEX) })
        #expect(lines.contains { $0.hasPrefix(php.name) && $0.contains("fixed") && $0.hasSuffix(cdx) })
        #expect(!(try Run.program(vigil, ["image", "--input", image, "--db", db, "--quiet", "--vex", openVEX]).stdout.contains("Suppressed")))
    }

    @Test func ignoredFindingsAreShownToo() throws {
        let py = try #require(findings.first { $0.type == "pip" })
        let ignore = scratch.write("ignore", Array("\(py.id)\n".utf8))
        let shown = try results(try scan(["--ignorefile", ignore, "--show-suppressed"]))
        #expect(!ids(shown).contains("\(py.id) \(py.name)"))
        let modified = shown.flatMap { $0["ExperimentalModifiedFindings"] as? [[String: Any]] ?? [] }
        #expect(modified.count == findings.filter { $0.id == py.id }.count)
        #expect(modified.allSatisfy { $0["Status"] as? String == "ignored" && $0["Source"] as? String == ignore })
    }

    @Test func aStatementForAnotherVersionSuppressesNothing() throws {
        let os = try #require(findings.first { $0.type == "alpine" })
        let other = versionless(os.purl) + "@0.0.1-r0"
        let vex = try write("other.openvex.json", ["@context": "https://openvex.dev/ns/v0.2.0", "statements": [
            ["vulnerability": ["name": os.id], "products": [["@id": other]], "status": "not_affected"],
        ]])
        #expect(ids(try results(try scan(["--vex", vex]))) == ids(try results(try scan([]))))
    }

    @Test func vexAppliesToSBOMScansToo() throws {
        let py = try #require(findings.first { $0.type == "pip" })
        let sbom = scratch.path + "/app.cdx.json"
        let write = try Run.program(vigil, ["image", "--input", image, "--db", db, "-f", "cyclonedx", "-o", sbom, "--quiet"])
        try #require(write.status == 0, "\(write.stderr)")
        let vex = try self.write("py.openvex.json", ["@context": "https://openvex.dev/ns/v0.2.0", "statements": [
            ["vulnerability": ["name": py.id], "products": [["identifiers": ["purl": versionless(py.purl)]]], "status": "fixed"],
        ]])
        let run = try Run.program(vigil, ["sbom", sbom, "--db", db, "-f", "json", "--quiet", "--vex", vex])
        #expect(!ids(try results(run)).contains("\(py.id) \(py.name)"))
    }

    @Test(arguments: [
        (#"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [{"vulnerability": {"name": "CVE-1"}, "status": "fixed", "products": [{"@id": "pkg:"}]}]}"#,
         "$.statements[0].products[0]: 'pkg:' is not a package URL"),
        (#"{"@context": "x", "statements": [{"status": "fixed"}]}"#, "$.statements[0].vulnerability: no vulnerability name"),
        (#"{"bomFormat": "CycloneDX", "vulnerabilities": [{"id": 3}]}"#, "$.vulnerabilities[0].id: expected a string"),
        (#"{"hello": 1}"#, "$: not an OpenVEX (@context), CycloneDX (bomFormat) or CSAF (document, vulnerabilities) document"),
    ])
    func malformedVEXFailsWithFileAndPath(_ text: String, _ message: String) throws {
        let vex = scratch.write("bad-vex.json", Array(text.utf8))
        let run = try scan(["--vex", vex])
        #expect(run.status != 0)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == "vigil: error: \(vex): \(message)\n")
    }
}
