import Classification
import Foundation
import JSONValue
import ReportTools
import Testing

enum Fixtures {
    static let directory: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        return url.path + "/Fixtures"
    }()

    static var small: String { directory + "/small-report.json" }

    static func json(_ path: String) throws -> JSON {
        try JSONParser.parse([UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
    }

    static func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
}

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct ScratchDir {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "vigil-report-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
    func files() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }
}

/// Collects everything the stream reader hands over, to compare with a whole-file parse.
struct Recorder: ReportVisitor {
    var events: [String] = []
    var vulnerabilities: [JSON] = []
    mutating func header(_ m: [(String, JSON)]) { events.append("header " + m.map(\.0).joined(separator: ",")) }
    mutating func beginResult(_ m: [(String, JSON)]) { events.append("begin " + m.map(\.0).joined(separator: ",")) }
    mutating func vulnerability(_ v: JSON) { vulnerabilities.append(v); events.append("vuln") }
    mutating func endResult(_ m: [(String, JSON)]) { events.append("endResult " + m.map(\.0).joined(separator: ",")) }
    mutating func end(_ m: [(String, JSON)]) { events.append("end " + m.map(\.0).joined(separator: ",")) }
}

@Suite struct StreamReaderTests {
    @Test(arguments: [1, 7, 64, 1 << 20])
    func tinyChunksGiveTheSameValues(chunk: Int) throws {
        var reader = ReportStreamReader(path: Fixtures.small)
        reader.chunkSize = chunk
        var r = Recorder()
        try reader.read(into: &r)
        let whole = try Fixtures.json(Fixtures.small)
        let expected = (whole["Results"]?.arrayValue ?? []).flatMap { $0["Vulnerabilities"]?.arrayValue ?? [] }
        #expect(r.vulnerabilities == expected)
        #expect(r.events.first == "header SchemaVersion,CreatedAt,ArtifactName,ArtifactType,Metadata")
        #expect(r.events.contains("begin Target,Class,Type,Packages"))
        #expect(r.events.contains("endResult Extra"))
        #expect(r.events.last == "end ")
    }

    @Test(arguments: [
        ("{\"Results\": [{\"Vulnerabilities\": [{\"a\": 1}, {\"b\": tru}]}]}", 1, "invalid JSON"),
        ("{\n\"Results\": [\n{\"Vulnerabilities\": [\n{\"a\": 1},\n", 5, "unexpected end of file"),
        ("[1, 2]", 1, "not a Trivy-shaped report"),
        ("{\"Results\": {\"x\": 1}}", 1, "\"Results\" must be an array"),
        ("{\"Results\": [{\"Vulnerabilities\": [1]}]}", 1, "each vulnerability must be an object"),
        ("{\"A\": 1}\n{\"B\": 2}", 2, "unexpected data after the report object"),
        ("{\"A\": 1,\n\n \"B\": [1,\n 2,, 3]}", 4, "invalid JSON"),
    ] as [(String, Int, String)])
    func badInputNamesFileAndLine(text: String, line: Int, message: String) throws {
        let dir = try ScratchDir()
        defer { dir.remove() }
        let path = dir.path + "/bad.json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var r = Recorder()
        #expect {
            try ReportStreamReader(path: path).read(into: &r)
        } throws: { error in
            let e = error as! ReportError
            return e.path == path && e.line == line && e.message.hasPrefix(message)
        }
    }
}

@Suite struct SplitTests {
    /// What a split file must contain: the report restricted to `keep`, Packages dropped, empty results dropped.
    static func expected(_ report: JSON, _ keep: (JSON) -> Bool) -> JSON {
        let annotated = VulnerabilityCategories.apply(to: report, classifier: Classifier())
        guard case .object(var root) = annotated else { return annotated }
        var results: [JSON] = []
        for r in annotated["Results"]?.arrayValue ?? [] {
            let vulns = (r["Vulnerabilities"]?.arrayValue ?? []).filter(keep)
            guard !vulns.isEmpty, case .object(var m) = r else { continue }
            m.removeAll { $0.0 == "Packages" }
            let i = m.firstIndex { $0.0 == "Vulnerabilities" }!
            m[i].1 = .array(vulns)
            results.append(.object(m))
        }
        let ri = root.firstIndex { $0.0 == "Results" }!
        if results.isEmpty { root.remove(at: ri) } else { root[ri].1 = .array(results) }
        return .object(root)
    }

    @Test func byCategoryWritesEveryCategoryFileByteForByte() throws {
        let dir = try ScratchDir()
        defer { dir.remove() }
        var splitter = ReportSplitter(by: .category, prefix: dir.path + "/wp_", classifier: Classifier())
        splitter.flushThreshold = 100  // exercise appends
        let outputs = try splitter.split(reportAt: Fixtures.small)
        #expect(outputs.map(\.group) == ["bo", "dos", "pe", "mitm", "rce", "info", "traversal", "injection", "other"])
        #expect(try dir.files() == Category.allCases.map { "wp_\($0.shortName)_vulns.json" }.sorted())
        let counts = Dictionary(uniqueKeysWithValues: outputs.map { ($0.group, $0.vulnerabilities) })
        #expect(counts == ["bo": 2, "dos": 1, "pe": 0, "mitm": 0, "rce": 1, "info": 0, "traversal": 0, "injection": 1, "other": 1])
        let report = try Fixtures.json(Fixtures.small)
        for c in Category.allCases {
            let text = try Fixtures.text(dir.path + "/wp_\(c.shortName)_vulns.json")
            let want = Self.expected(report) { v in (v["Categories"]?.arrayValue ?? []).contains(.string(c.rawValue)) }
            #expect(text == JSONPrinter(indent: 2).render(want), "wp_\(c.shortName)_vulns.json")
        }
    }

    @Test func bySeverityAndPackage() throws {
        let dir = try ScratchDir()
        defer { dir.remove() }
        let sev = try ReportSplitter(by: .severity, prefix: dir.path + "/s_", classifier: Classifier()).split(reportAt: Fixtures.small)
        #expect(sev.map(\.group) == ["critical", "high", "medium", "low", "unknown"])
        #expect(sev.map(\.vulnerabilities) == [1, 1, 1, 1, 1])
        let pkg = try ReportSplitter(by: .package, prefix: dir.path + "/p_", classifier: Classifier()).split(reportAt: Fixtures.small)
        #expect(pkg.map(\.group) == ["golang.org_x_net", "libfoo", "lodash"])
        #expect(pkg.map(\.vulnerabilities) == [1, 3, 1])
        let report = try Fixtures.json(Fixtures.small)
        let text = try Fixtures.text(dir.path + "/p_libfoo_vulns.json")
        #expect(text == JSONPrinter(indent: 2).render(Self.expected(report) { $0["PkgName"] == .string("libfoo") }))
    }

    @Test(arguments: [("a/b", "a_b"), ("..", "_."), ("", "_"), ("org.apache:log4j", "org.apache_log4j"), ("libstdc++6", "libstdc++6")])
    func sanitise(name: String, expected: String) {
        #expect(ReportSplitter.sanitise(name) == expected)
    }

    @Test func badReportLeavesNoFiles() throws {
        let dir = try ScratchDir()
        defer { dir.remove() }
        var text = try Fixtures.text(Fixtures.small)
        text = String(text.prefix(text.count - 200))  // cut inside the last result
        let input = dir.path + "/in.json"
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        var splitter = ReportSplitter(by: .category, prefix: dir.path + "/x_", classifier: Classifier())
        splitter.flushThreshold = 10
        #expect(throws: ReportError.self) { try splitter.split(reportAt: input) }
        #expect(try dir.files() == ["in.json"])
    }

    @Test func missingInputAndUnwritablePrefix() throws {
        #expect(throws: ReportError.self) {
            try ReportSplitter(by: .category, prefix: "/tmp/", classifier: Classifier()).split(reportAt: "/nonexistent/report.json")
        }
        #expect {
            try ReportSplitter(by: .category, prefix: "/nonexistent-dir/wp_", classifier: Classifier()).split(reportAt: Fixtures.small)
        } throws: { error in
            "\(error)".hasPrefix("/nonexistent-dir/wp_bo_vulns.json: cannot write")
        }
    }
}

@Suite struct SummaryAndDiffTests {
    @Test func summaryCounts() throws {
        let s = try ReportSummary.read(reportAt: Fixtures.small, classifier: Classifier())
        #expect(s.total == 5)
        #expect(s.bySeverity == ["CRITICAL": 1, "HIGH": 1, "MEDIUM": 1, "LOW": 1, "UNKNOWN": 1])
        #expect(s.byCategory[.bufferOverflow] == ["CRITICAL": 1, "LOW": 1])
        #expect(s.byCategory[.codeExecution] == ["CRITICAL": 1])
        let text = s.text()
        #expect(text.contains("\nbuffer-overflow                1     0       0    1        0      2\n"))
        #expect(text.contains("\nall vulnerabilities            1     1       1    1        1      5\n"))
        let json = s.json()
        #expect(json["Categories"]?["denial-of-service"]?["MEDIUM"] == .int(1))
        #expect(json["Severities"]?["Total"] == .int(5))
    }

    @Test func diffFixedIntroducedUnchanged() throws {
        let dir = try ScratchDir()
        defer { dir.remove() }
        var text = try Fixtures.text(Fixtures.small)
        text = text.replacingOccurrences(of: "\"CVE-2024-0002\"", with: "\"CVE-2024-0999\"")
        text = text.replacingOccurrences(of: "\"Severity\": \"HIGH\"", with: "\"Severity\": \"CRITICAL\"")
        let new = dir.path + "/new.json"
        try text.write(toFile: new, atomically: true, encoding: .utf8)
        let d = try ReportDiff.compare(old: Fixtures.small, new: new)
        #expect(d.fixed.map(\.key.vulnerabilityID) == ["CVE-2024-0002"])
        #expect(d.introduced.map(\.key.vulnerabilityID) == ["CVE-2024-0999"])
        // CVE-2024-0001 libfoo 1.0-1 appears in two results but is one finding.
        #expect(d.unchanged.count == 3)
        #expect(d.unchanged.first { $0.key.vulnerabilityID == "CVE-2024-0003" }?.previousSeverity == "HIGH")
        let t = d.text()
        #expect(t.hasPrefix("Fixed: 1  Introduced: 1  Unchanged: 3\n"))
        #expect(t.contains("  MEDIUM   CVE-2024-0002  libfoo 1.0-1\n"))
        #expect(d.json()["Summary"]?["Unchanged"] == .int(3))
    }
}

@Suite struct FormatTests {
    static func report() throws -> JSON { try Fixtures.json(Fixtures.small) }

    @Test func sarifShape() throws {
        let text = ReportFormat.sarif.render(try Self.report(), classifier: Classifier(), toolVersion: "1.2.3")
        let sarif = try JSONParser.parse(text)
        #expect(sarif["version"] == .string("2.1.0"))
        let run = sarif["runs"]?.arrayValue?.first
        let rules = run?["tool"]?["driver"]?["rules"]?.arrayValue ?? []
        #expect(rules.compactMap { $0["id"]?.stringValue } == ["CVE-2024-0001", "CVE-2024-0002", "CVE-2024-0003", "GHSA-xxxx-yyyy-zzzz"])
        #expect(rules[0]["properties"]?["security-severity"] == .string("9.8"))
        #expect(rules[1]["properties"]?["security-severity"] == .string("5.5"))
        #expect(rules[0]["properties"]?["tags"] == .array(["vulnerability", "security", "CRITICAL", "buffer-overflow", "code-execution"].map(JSON.string)))
        let results = run?["results"]?.arrayValue ?? []
        #expect(results.count == 5)
        #expect(results.map { $0["level"]?.stringValue ?? "" } == ["error", "warning", "error", "note", "note"])
        #expect(results[3]["ruleIndex"] == .int(0))
        let uris = results.map { $0["locations"]?[0]?["physicalLocation"]?["artifactLocation"]?["uri"]?.stringValue ?? "" }
        #expect(uris == ["shop:1.0", "shop:1.0", "shop:1.0", "app/node_modules/libfoo/package.json", "app/package-lock.json"])
    }

    @Test func cyclonedxShape() throws {
        let bom = try JSONParser.parse(ReportFormat.cyclonedx.render(try Self.report(), classifier: Classifier()))
        #expect(bom["specVersion"] == .string("1.6"))
        #expect(bom["metadata"]?["component"]?["type"] == .string("container"))
        let components = bom["components"]?.arrayValue ?? []
        let refs = components.compactMap { $0["bom-ref"]?.stringValue }
        #expect(Set(refs).count == refs.count)
        #expect(refs.first == "pkg:deb/debian/libfoo@1.0-1?distro=debian-12.5")
        let vulns = bom["vulnerabilities"]?.arrayValue ?? []
        #expect(vulns.count == 4)
        let v1 = vulns[0]
        #expect(v1["cwes"] == .array([.int(787)]))
        #expect(v1["published"] == .string("2024-01-02T03:04:05.123Z"))
        #expect(v1["affects"]?.arrayValue?.count == 2)
        #expect(v1["ratings"]?[0]?["method"] == .string("CVSSv31"))
        for a in vulns.flatMap({ $0["affects"]?.arrayValue ?? [] }) {
            #expect(refs.contains(a["ref"]?.stringValue ?? ""))
        }
        // Same input, same serial number.
        let again = try JSONParser.parse(ReportFormat.cyclonedx.render(try Self.report(), classifier: Classifier()))
        #expect(again["serialNumber"] == bom["serialNumber"])
    }

    @Test func spdxShape() throws {
        let doc = try JSONParser.parse(ReportFormat.spdxJSON.render(try Self.report(), classifier: Classifier()))
        #expect(doc["spdxVersion"] == .string("SPDX-2.3"))
        #expect(doc["creationInfo"]?["created"] == .string("2024-05-01T10:00:00Z"))
        let packages = doc["packages"]?.arrayValue ?? []
        // the artifact, the OS (debian 12.5), libfoo by purl, libfoo@1.0-1 (npm, no purl), x/net, lodash
        #expect(packages.count == 6)
        #expect(packages.contains { $0["primaryPackagePurpose"] == .string("OPERATING-SYSTEM") && $0["name"] == .string("debian") })
        let ids = packages.compactMap { $0["SPDXID"]?.stringValue }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" } })
        #expect(doc["relationships"]?.arrayValue?.count == packages.count)
    }

    @Test func htmlEscapesEverythingAndLoadsNothing() throws {
        let html = ReportFormat.html.render(try Self.report(), classifier: Classifier())
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("libfoo: &lt;script&gt;alert(1)&lt;/script&gt; in banner"))
        #expect(html.contains("&lt;/td&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more"))
        #expect(html.components(separatedBy: "<script").count == 2)
        #expect(!html.contains(" src="))
        #expect(!html.contains("<link"))
        #expect(html.contains("default-src 'none'"))
        #expect(html.contains("<svg role=\"img\" aria-label=\"Vulnerabilities by severity\""))
        #expect(html.components(separatedBy: "<tr data-sev=").count == 6)
    }

    @Test func categoryFilter() throws {
        let keep = try VulnerabilityCategories.parseFilter(["bo,injection"])
        #expect(keep == [.bufferOverflow, .injection])
        let filtered = VulnerabilityCategories.apply(to: try Self.report(), classifier: Classifier(), keep: keep)
        let ids = (filtered["Results"]?.arrayValue ?? []).flatMap { $0["Vulnerabilities"]?.arrayValue ?? [] }.compactMap { $0["VulnerabilityID"]?.stringValue }
        #expect(ids == ["CVE-2024-0001", "CVE-2024-0003", "CVE-2024-0001"])
        #expect {
            _ = try VulnerabilityCategories.parseFilter(["bo,xss"])
        } throws: { error in
            "\(error)".hasPrefix("--category: unknown category 'xss'")
        }
    }

    @Test func categoriesFieldGoesAfterCweIDs() throws {
        let annotated = VulnerabilityCategories.apply(to: try Self.report(), classifier: Classifier())
        let first = annotated["Results"]?[0]?["Vulnerabilities"]?[0]?.objectValue?.map(\.0) ?? []
        let i = first.firstIndex(of: "CweIDs")!
        #expect(first[i + 1] == "Categories")
        #expect(first[i + 2] == "CategoryReasons")
        let second = annotated["Results"]?[0]?["Vulnerabilities"]?[1]?.objectValue?.map(\.0) ?? []
        #expect(second.suffix(2) == ["Categories", "CategoryReasons"])  // after Severity, which is last there
        // Every category the classifier decided has its reason, in the same order; a vulnerability
        // that arrived with `Categories` (and no reasons) keeps them as they were.
        var withReasons = 0
        for v in annotated["Results"]?.arrayValue?.flatMap({ $0["Vulnerabilities"]?.arrayValue ?? [] }) ?? [] {
            let categories = v["Categories"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let reasons = v["CategoryReasons"]?.objectValue ?? []
            if reasons.isEmpty { continue }
            withReasons += 1
            #expect(reasons.map(\.0) == categories)
            #expect(reasons.allSatisfy { !($0.1.stringValue ?? "").isEmpty })
        }
        #expect(withReasons >= 2)
    }
}

extension JSON {
    subscript(index: Int) -> JSON? {
        guard case .array(let a) = self, index < a.count else { return nil }
        return a[index]
    }
}
