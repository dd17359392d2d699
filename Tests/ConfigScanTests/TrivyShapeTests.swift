import Foundation
import JSONValue
import Testing
import TestSupport
@testable import ConfigScan

/// The Result has the field names, order and nesting of Trivy's own misconfiguration report
/// (../shared/reference/trivy-json-examples/trivy-dockerfile.misconfig.json).
struct TrivyShapeTests {
    static let reference = "reference/trivy-json-examples/trivy-dockerfile.misconfig.json"

    @Test(.requiresShared(reference)) func sameShapeAsTrivysGolden() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: SharedData.path(Self.reference)))
        let trivy = try JSONParser.parse(Array(data))
        let trivyResult = try #require(trivy["Results"]?.arrayValue?.first)
        let trivyMisconf = try #require(trivyResult["Misconfigurations"]?.arrayValue?.first)

        // Trivy's fixture: a Dockerfile whose only failure is the root user.
        let ours = try ConfigScanner.scan(Array("FROM alpine:3.19\nHEALTHCHECK CMD [\"/bin/true\"]\n".utf8), file: "Dockerfile",
                                          rules: [RuleCatalog.rootUser]).trivyResult()
        #expect(ours.objectValue?.map(\.0) == trivyResult.objectValue?.map(\.0))
        #expect(ours["Class"] == trivyResult["Class"] && ours["Type"] == trivyResult["Type"])
        let mine = try #require(ours["Misconfigurations"]?.arrayValue?.first)
        for key in ["Type", "ID", "Title", "Description", "Message", "Namespace", "Query", "Resolution", "Severity", "PrimaryURL", "Status"] {
            #expect(mine[key] == trivyMisconf[key], "\(key)")
        }
        #expect(mine.objectValue?.map(\.0) == trivyMisconf.objectValue?.map(\.0))
        let cause = try #require(mine["CauseMetadata"]?.objectValue?.map(\.0))
        #expect(Array(cause.prefix(2)) == ["Provider", "Service"])
        #expect(JSONPrinter().render(mine["Resolution"]!) == JSONPrinter().render(trivyMisconf["Resolution"]!))
    }

    @Test func causeLinesAndMaskedSecrets() throws {
        let text = "FROM alpine:3.19\nUSER app\nHEALTHCHECK CMD [\"/bin/true\"]\nENV DB_PASSWORD=hunter2-secret \\\n    OTHER=1\n"
        let result = try ConfigScanner.scan(Array(text.utf8), file: "Dockerfile")
        let json = result.trivyResult(includePassed: true)
        let entries = try #require(json["Misconfigurations"]?.arrayValue)
        let secret = try #require(entries.first { $0["ID"] == .string("VGL-DF-009") })
        let cause = try #require(secret["CauseMetadata"])
        #expect(cause["StartLine"] == .int(4) && cause["EndLine"] == .int(5))
        let lines = try #require(cause["Code"]?["Lines"]?.arrayValue)
        #expect(lines.map { $0["Number"] } == [.int(4), .int(5)])
        #expect(lines[0]["Content"] == .string("ENV DB_PASSWORD=************** \\"))
        #expect(lines[0]["FirstCause"] == .bool(true) && lines[1]["LastCause"] == .bool(true))
        #expect(!result.table().contains("hunter2"))
        #expect(entries.filter { $0["Status"] == .string("PASS") }.count == result.passedRules.count)
        #expect(json["MisconfSummary"]?["Failures"] == .int(result.failures.count))
    }
}
