import JSONValue
import Testing
@testable import ReportTools

/// SARIF for `Class: config` results: misconfigurations and predicted vulnerabilities at their lines.
struct MisconfigurationSARIFTests {
    static let report = """
        {"SchemaVersion": 2, "ArtifactName": "ctx", "ArtifactType": "filesystem", "Results": [
          {"Target": "svc/Dockerfile", "Class": "config", "Type": "dockerfile",
           "Vulnerabilities": [{"VulnerabilityID": "CVE-2014-6271", "PkgName": "bash", "InstalledVersion": "4.3", "Status": "predicted",
              "Severity": "CRITICAL", "CauseMetadata": {"Kind": "source-archive", "Source": "bash-4.3.tar.gz", "StartLine": 12, "EndLine": 13}}],
           "MisconfSummary": {"Successes": 40, "Failures": 2},
           "Misconfigurations": [
             {"ID": "DS-0002", "Title": "Image user should not be 'root'", "Description": "d", "Message": "Specify at least 1 USER",
              "Resolution": "Add USER", "Severity": "HIGH", "PrimaryURL": "https://avd.aquasec.com/misconfig/ds-0002", "Status": "FAIL",
              "CauseMetadata": {"StartLine": 2, "EndLine": 2}},
             {"ID": "VGL-DF-013", "Title": "Whole build context copied", "Severity": "MEDIUM", "Status": "FAIL", "References": ["https://docs.docker.com/"],
              "CauseMetadata": {"StartLine": 16, "EndLine": 16}},
             {"ID": "DS-0001", "Title": "latest", "Severity": "MEDIUM", "Status": "PASS"}]}]}
        """

    func region(_ result: JSON) -> (String?, Int64?, Int64?) {
        let loc = result["locations"]?.arrayValue?.first?["physicalLocation"]
        return (loc?["artifactLocation"]?["uri"]?.stringValue, loc?["region"]?["startLine"]?.int64Value, loc?["region"]?["endLine"]?.int64Value)
    }

    @Test func rulesAndResultsAtTheirLines() throws {
        let sarif = SARIFReport().json(try JSONParser.parse(Self.report))
        let run = try #require(sarif["runs"]?.arrayValue?.first)
        let rules = run["tool"]?["driver"]?["rules"]?.arrayValue ?? []
        #expect(rules.compactMap { $0["id"]?.stringValue } == ["CVE-2014-6271", "DS-0002", "VGL-DF-013"], "PASS entries are not results")
        #expect(rules[1]["name"]?.stringValue == "Misconfiguration" && rules[1]["helpUri"]?.stringValue == "https://avd.aquasec.com/misconfig/ds-0002")
        #expect(rules[1]["defaultConfiguration"]?["level"]?.stringValue == "error")
        #expect(rules[2]["properties"]?["security-severity"]?.stringValue == "5.5")
        let results = run["results"]?.arrayValue ?? []
        #expect(results.count == 3)
        #expect(region(results[0]) == ("svc/Dockerfile", 12, 13), "a predicted vulnerability points at its Dockerfile lines")
        #expect(region(results[1]) == ("svc/Dockerfile", 2, 2))
        #expect(region(results[2]) == ("svc/Dockerfile", 16, 16))
        #expect(results[2]["ruleIndex"]?.int64Value == 2 && results[2]["level"]?.stringValue == "warning")
    }
}
