import Foundation
import Testing
@testable import ConfigScan

/// For every rule: `Fixtures/rules/<ID>.fail.Dockerfile` must fail it exactly at the lines its
/// first line lists (`# expect: 3 5`), and `<ID>.pass.Dockerfile` must not fail it.
struct RuleGoldenTests {
    static let ids = RuleCatalog.all.map(\.id)

    func failures(_ file: String, rule: String) throws -> [Misconfiguration] {
        let result = try ConfigScanner.scan(try Fixtures.bytes("rules/\(file)"), file: file)
        return result.failures.filter { $0.rule.id == rule }
    }

    @Test(arguments: ids)
    func failingFixtureFailsTheRuleAtTheExpectedLines(id: String) throws {
        let text = try Fixtures.text("rules/\(id).fail.Dockerfile")
        let header = try #require(text.split(separator: "\n").first)
        #expect(header.hasPrefix("# expect:"))
        let expected = header.dropFirst("# expect:".count).split(separator: " ").compactMap { Int($0) }
        #expect(!expected.isEmpty)
        let found = try failures("\(id).fail.Dockerfile", rule: id)
        #expect(found.compactMap(\.startLine) == expected, "\(id): \(found.map(\.message))")
        for f in found {
            #expect(!f.message.isEmpty && !f.message.contains("\n"))
        }
    }

    @Test(arguments: ids)
    func passingFixturePassesTheRule(id: String) throws {
        let found = try failures("\(id).pass.Dockerfile", rule: id)
        #expect(found.isEmpty, "\(id): \(found.map { "\($0.startLine ?? 0): \($0.message)" })")
    }

    @Test func everyRuleHasAStableUniqueIDAndText() {
        let ids = RuleCatalog.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        for rule in RuleCatalog.all {
            #expect(rule.id.hasPrefix("DS0") || rule.id.hasPrefix("VGL-DF-"))
            #expect(!rule.title.isEmpty && !rule.description.isEmpty && !rule.resolution.isEmpty)
            #expect(RuleCatalog.rule(id: rule.reportID) == rule)
        }
        #expect(RuleCatalog.rootUser.reportID == "DS-0002")
        #expect(RuleCatalog.rootUser.primaryURL == "https://avd.aquasec.com/misconfig/ds-0002")
    }

    @Test func everyRuleIsDocumented() throws {
        let docs = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/config-checks.md")
        let text = String(decoding: try Data(contentsOf: docs), as: UTF8.self)
        for rule in RuleCatalog.all {
            #expect(text.contains("### \(rule.id)"), "docs/config-checks.md lacks \(rule.id)")
        }
    }
}
