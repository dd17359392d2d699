import Foundation
import Testing
@testable import VulnDB
import VigilCore

/// NVD API 2.0, CVE 5 and the CWE catalogue, from small inputs written here.
@Suite struct EnrichmentImporterTests {
    static let nvd = """
        {"resultsPerPage": 2, "startIndex": 0, "totalResults": 2, "format": "NVD_CVE", "version": "2.0",
         "timestamp": "2031-01-03T21:56:15.797",
         "vulnerabilities": [
          {"cve": {"id": "CVE-2031-0001", "published": "2031-01-01T10:15:08.503", "lastModified": "2031-02-01T00:00:00.000",
            "vulnStatus": "Analyzed",
            "descriptions": [{"lang": "es", "value": "Desbordamiento"}, {"lang": "en", "value": "Overflow in libfoo before 2.0.1f."}],
            "metrics": {
              "cvssMetricV40": [{"source": "nvd@nist.gov", "type": "Primary", "cvssData": {"version": "4.0", "vectorString": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "baseScore": 9.3, "baseSeverity": "CRITICAL"}}],
              "cvssMetricV31": [
                {"source": "cna@example.invalid", "type": "Secondary", "cvssData": {"version": "3.1", "vectorString": "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N", "baseScore": 3.3, "baseSeverity": "LOW"}},
                {"source": "nvd@nist.gov", "type": "Primary", "cvssData": {"version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N", "baseScore": 6.5, "baseSeverity": "MEDIUM"}}],
              "cvssMetricV2": [{"source": "nvd@nist.gov", "type": "Primary", "cvssData": {"version": "2.0", "vectorString": "AV:N/AC:M/Au:N/C:N/I:P/A:N", "baseScore": 4.3}, "baseSeverity": "MEDIUM"}]},
            "weaknesses": [{"source": "nvd@nist.gov", "type": "Primary", "description": [{"lang": "en", "value": "CWE-787"}, {"lang": "en", "value": "NVD-CWE-Other"}]}],
            "configurations": [
              {"nodes": [{"operator": "OR", "negate": false, "cpeMatch": [
                {"vulnerable": true, "criteria": "cpe:2.3:a:example:libfoo:*:*:*:*:*:*:*:*", "versionStartIncluding": "1.0", "versionEndExcluding": "2.0.1f"},
                {"vulnerable": true, "criteria": "cpe:2.3:a:example:libfoo:2.1.0:*:*:*:*:*:*:*"},
                {"vulnerable": false, "criteria": "cpe:2.3:a:example:other:*:*:*:*:*:*:*:*"}]}]},
              {"operator": "AND", "nodes": [
                {"operator": "OR", "negate": false, "cpeMatch": [{"vulnerable": true, "criteria": "cpe:2.3:a:example:plugin\\\\:x:*:*:*:*:*:*:*:*", "versionEndIncluding": "3.0"}]},
                {"operator": "OR", "negate": false, "cpeMatch": [{"vulnerable": false, "criteria": "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*"}]}]}],
            "references": [{"url": "https://example.invalid/1", "source": "nvd@nist.gov"}]}},
          {"cve": {"id": "CVE-2031-0002", "vulnStatus": "Rejected", "descriptions": [{"lang": "en", "value": "** REJECT **"}], "metrics": {}, "references": []}}
         ]}
        """

    @Test func nvdRecordsAndCPEMatches() throws {
        let data = Array(Self.nvd.utf8)
        #expect(FeedImporter.detect(path: "nvd.json", data: data) == .nvdAPI)
        let result = try FeedImporter.parseDetailed(path: "nvd.json", data: data, format: .nvdAPI)
        #expect(result.skipped["rejected CVE"] == 1)
        let record = try #require(result.batch.vulnerabilities.only)
        #expect(record.id == "CVE-2031-0001")
        #expect(record.source == "nvd")
        #expect(record.description == "Overflow in libfoo before 2.0.1f.")
        #expect(record.cweIDs == ["CWE-787"])
        #expect(record.published == "2031-01-01T10:15:08Z")
        #expect(record.modified == "2031-02-01T00:00:00Z")
        #expect(record.severity == "MEDIUM", "v3 baseSeverity of NVD's own Primary metric")
        #expect(record.cvss == [CVSSRecord(source: "nvd", v2Vector: "AV:N/AC:M/Au:N/C:N/I:P/A:N", v2Score: 4.3,
                                           v3Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N", v3Score: 6.5,
                                           v40Vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", v40Score: 9.3)])
        let matches = result.batch.cpeMatches
        #expect(matches.count == 3, "only vulnerable criteria")
        let range = try #require(matches.first { $0.product == "libfoo" && $0.version == "*" })
        #expect(range.contains(version: "1.0"))
        #expect(range.contains(version: "2.0.1e"))
        #expect(!range.contains(version: "2.0.1f"))
        #expect(!range.contains(version: "0.9"))
        let exact = try #require(matches.first { $0.version == "2.1.0" })
        #expect(exact.contains(version: "2.1"))
        #expect(!exact.contains(version: "2.1.1"))
        let plugin = try #require(matches.first { $0.product == "plugin:x" }, "escaped colon kept in the product")
        #expect(plugin.requiresOtherProduct)
        #expect(!range.requiresOtherProduct)
    }

    @Test func cve5Record() throws {
        let result = try FeedFixture.parse("cve5/CVE-2031-4242.json")
        let record = try #require(result.batch.vulnerabilities.only)
        #expect(record.id == "CVE-2031-4242")
        #expect(record.source == "cve")
        #expect(record.title == "Command injection in libexample's option parser")
        #expect(record.description == "libexample before 1.4.2 passes option values to a shell.")
        #expect(record.cweIDs == ["CWE-78", "CWE-77"])
        #expect(record.published == "2031-02-03T04:05:06Z")
        #expect(record.modified == "2031-03-04T05:06:07Z")
        #expect(record.severity == "CRITICAL")
        let cvss = try #require(record.cvss.only)
        #expect(cvss.v3Score == 9.8)
        #expect(cvss.v40Score == 9.3)
        #expect(cvss.v2Vector == "AV:N/AC:L/Au:N/C:C/I:C/A:C", "the ADP container fills what the CNA lacks")
    }

    @Test func cweCatalogueFromBothCSVShapesAndNames() throws {
        let mitre = """
            CWE-ID,Name,Weakness Abstraction,Status,Description,Related Weaknesses
            78,"Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",Base,Stable,"Runs ""commands"",
            over two lines",::NATURE:ChildOf:CWE ID:77:VIEW ID:1000:ORDINAL:Primary::NATURE:ChildOf:CWE ID:77:VIEW ID:1003:ORDINAL:Primary::NATURE:CanAlsoBe:CWE ID:88:VIEW ID:1000::,
            77,Command Injection,Class,Draft,d,::NATURE:ChildOf:CWE ID:74:VIEW ID:1000:ORDINAL:Primary::,

            """
        let flat = "id,kind,name,abstraction,status,parents_view1000,description\nCWE-74,weakness,Injection,Class,Incomplete,CWE-707,x\nCWE-707,weakness,Improper Neutralization,Pillar,Incomplete,,y\n"
        let names = #"{"CWE-78": "OS Command Injection", "CWE-1000": "Research Concepts"}"#
        #expect(FeedImporter.detect(path: "a.csv", data: Array(mitre.utf8)) == .cweCSV)
        #expect(FeedImporter.detect(path: "b.csv", data: Array(flat.utf8)) == .cweCSV)
        #expect(FeedImporter.detect(path: "c.json", data: Array(names.utf8)) == .cweNames)
        var entries: [CWEEntry] = []
        for (text, format) in [(mitre, FeedFormat.cweCSV), (flat, .cweCSV), (names, .cweNames)] {
            entries += try FeedImporter.parse(path: "cwe", data: Array(text.utf8), format: format).weaknesses
        }
        let catalog = CWECatalog(entries: entries)
        #expect(catalog.name(of: "CWE-78") == "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')")
        #expect(catalog.name(of: "1000") == "Research Concepts")
        #expect(catalog.parents(of: "CWE-78") == ["CWE-77"], "view 1000 ChildOf only; CanAlsoBe is not a parent")
        #expect(catalog.ancestors(of: "cwe-78") == ["CWE-77", "CWE-74", "CWE-707"])
        #expect(catalog.ancestors(of: "CWE-707").isEmpty)
    }

    @Test func ancestorsSurviveCycles() {
        let catalog = CWECatalog(entries: [CWEEntry(id: "CWE-1", name: "a", parents: ["CWE-2"]), CWEEntry(id: "CWE-2", name: "b", parents: ["CWE-1"])])
        #expect(catalog.ancestors(of: "CWE-1") == ["CWE-2"])
    }

    @Test(arguments: [
        ("CWE-ID,Name,Related Weaknesses\n78,\"unterminated,x\n", "cwe.csv:2: unterminated quoted field"),
        ("CWE-ID,Name,Related Weaknesses\n78,a,b\n79,a\n", "cwe.csv:3: 2 fields, the header has 3"),
        ("CWE-ID,Name,Related Weaknesses\nxx,a,b\n", "cwe.csv:2: 'xx' is not a CWE id"),
        ("CWE-ID,Name,Related Weaknesses\n78,a\"b,c\n", "cwe.csv:2: quote inside an unquoted field"),
    ])
    func hostileCSV(text: String, message: String) throws {
        let error = try #require(feedParseError(text, path: "cwe.csv", format: .cweCSV))
        #expect(error.description.hasPrefix(message), "\(error)")
    }

    @Test(arguments: [FeedFormat.nvdAPI, .cveRecord, .csaf, .redHatCVE, .cweNames, .osv])
    func truncatedJSONNamesFileAndLine(format: FeedFormat) throws {
        let text = "{\n  \"resultsPerPage\": 1,\n  \"vulnerabilities\": [\n    {\"cve\": {\"id\": \"CVE-2031-1\""
        let error = try #require(feedParseError(text, path: "feeds/x.json", format: format))
        #expect(error.reason == .malformedFeed)
        #expect(error.description.hasPrefix("feeds/x.json:4: invalid JSON"), "\(error)")
        #expect(!error.description.contains("\n"))
    }
}

extension Collection {
    /// The single element, or nil when there are none or several.
    var only: Element? { count == 1 ? first : nil }
}
