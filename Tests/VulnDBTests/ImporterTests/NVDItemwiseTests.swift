import Foundation
import Testing
import VigilCore
@testable import VulnDB

/// Big NVD feeds are parsed CVE by CVE (``JSONArrayItems``); the records must equal a whole-file parse.
@Suite struct NVDItemwiseTests {
    @Test func elementsFindTheArrayMembersPastStringsAndNesting() throws {
        let text = #"{"a": "x\"]}[,", "vulnerabilities" : [ {"cve": {"id": "A,]"}} , [1, [2]], "s\\", 3 ], "z": {}}"#
        let data = Array(text.utf8)
        let ranges = try #require(JSONArrayItems.elements(ofKey: "vulnerabilities", in: data))
        #expect(ranges.map { String(decoding: data[$0], as: UTF8.self) } == [#"{"cve": {"id": "A,]"}} "#, "[1, [2]]", #""s\\""#, "3 "])
        #expect(JSONArrayItems.elements(ofKey: "vulnerabilities", in: Array(#"{"vulnerabilities": [1, 2"#.utf8)) == nil)
        #expect(JSONArrayItems.elements(ofKey: "vulnerabilities", in: Array(#"{"x": {"vulnerabilities": [1]}}"#.utf8)) == nil)
    }

    @Test(.enabled(if: RealFeeds.has("nvd/records"), RealFeeds.absent("nvd/records")))
    func itemwiseParseEqualsWholeParse() throws {
        let dir = try #require(RealFeeds.path("nvd/records"))
        let records = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.sorted()
        let items = try records.map { "{\"cve\": " + (try String(contentsOfFile: dir + "/" + $0, encoding: .utf8)) + "}" }
        let response = Array("{\"resultsPerPage\": \(items.count), \"vulnerabilities\": [\n\(items.joined(separator: ",\n"))\n]}".utf8)
        let whole = try NVDImporter.parse(path: "page.json", data: response, itemwiseAbove: Int.max)
        let itemwise = try NVDImporter.parse(path: "page.json", data: response, itemwiseAbove: 0)
        #expect(whole.batch.vulnerabilities.count == records.count - (whole.skipped["rejected CVE"] ?? 0))
        #expect(itemwise.batch.vulnerabilities == whole.batch.vulnerabilities)
        #expect(itemwise.batch.cpeMatches == whole.batch.cpeMatches)
        #expect(itemwise.batch.nvdConfigurations == whole.batch.nvdConfigurations)
        #expect(itemwise.skipped == whole.skipped)

        // A damaged member: the whole file's parser names the line.
        var broken = response
        let at = try #require(broken.firstIndex(of: UInt8(ascii: "\n")).map { $0 + 7 })  // the `:` after `{"cve"`
        broken[at] = UInt8(ascii: "#")
        let error = try #require(throws: VulnDBError.self) { try NVDImporter.parse(path: "page.json", data: broken, itemwiseAbove: 0) }
        #expect(error.description.hasPrefix("page.json:2:"), "\(error.description)")
    }
}
