import Foundation
import ImageFixtures
import Testing
import TestSupport

/// `vigil fs` matches every lockfile format against its ecosystem's advisories (npm, RubyGems,
/// Packagist, Maven) end to end, with the real GitHub advisories of ../shared. Each case is one
/// lockfile listing one package at a version read from an advisory: a range's `introduced`
/// (inclusive, so affected) or its `fixed` (exclusive, so not affected by that advisory when it is
/// the package's only range there). The expectation is derived from the advisory file by those
/// equalities alone, without any version ordering of Vigil's.
@Suite(.enabled(if: SharedData.available && SharedData.vigilBinary != nil && SharedData.exists("data/feeds/ghsa")), .serialized)
final class ProjectMatchingTests {
    let scratch = ScratchDirectory()
    let vigil = SharedData.vigilBinary!

    struct Case {
        var ecosystem: String
        var name: String
        var version: String
        var ids: Set<String>
        var affected: Bool
    }

    /// Every (package, boundary version) of the ecosystems' advisories.
    func cases() throws -> [Case] {
        var result: [Case] = []
        let root = SharedData.path("data/feeds/ghsa/advisories")
        let walker = FileManager.default.enumerator(atPath: root)
        while let rel = walker?.nextObject() as? String {
            guard rel.hasSuffix(".json"), let data = FileManager.default.contents(atPath: root + "/" + rel),
                  let advisory = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
            let ids = Set([advisory["id"] as? String ?? ""] + (advisory["aliases"] as? [String] ?? []))
            // Ranges per package across the advisory's `affected` entries (one package may have several).
            var ranges: [String: (ecosystem: String, ranges: [[[String: String]]])] = [:]
            for affected in advisory["affected"] as? [[String: Any]] ?? [] {
                let package = affected["package"] as? [String: Any] ?? [:]
                guard let ecosystem = package["ecosystem"] as? String, ["npm", "RubyGems", "Packagist", "Maven"].contains(ecosystem),
                      let name = package["name"] as? String else { continue }
                for range in affected["ranges"] as? [[String: Any]] ?? [] where ["ECOSYSTEM", "SEMVER"].contains(range["type"] as? String ?? "") {
                    ranges[name, default: (ecosystem, [])].ranges.append(range["events"] as? [[String: String]] ?? [])
                }
            }
            for (name, entry) in ranges {
                let events = entry.ranges.flatMap { $0 }
                let introduced = Set(events.compactMap { $0["introduced"] }.filter { $0 != "0" })
                for v in introduced { result.append(Case(ecosystem: entry.ecosystem, name: name, version: v, ids: ids, affected: true)) }
                // A fix is known clean without ordering versions only when it ends the package's one range.
                if entry.ranges.count == 1, let fixed = events.compactMap({ $0["fixed"] }).first {
                    result.append(Case(ecosystem: entry.ecosystem, name: name, version: fixed, ids: ids, affected: false))
                }
            }
        }
        return result.sorted { ($0.ecosystem, $0.name, $0.version) < ($1.ecosystem, $1.name, $1.version) }
    }

    /// One lockfile for the case, in the n-th format of its ecosystem: (file name, text).
    func lockfile(_ c: Case, _ n: Int) -> (String, String) {
        switch c.ecosystem {
        case "npm":
            switch n % 3 {
            case 0: return ("package-lock.json", #"{"lockfileVersion": 3, "packages": {"": {}, "node_modules/\#(c.name)": {"version": "\#(c.version)"}}}"#)
            case 1: return ("yarn.lock", "# yarn lockfile v1\n\n\"\(c.name)@^\(c.version)\":\n  version \"\(c.version)\"\n")
            default: return ("pnpm-lock.yaml", "lockfileVersion: '6.0'\npackages:\n  /\(c.name)@\(c.version):\n    dev: false\n")
            }
        case "RubyGems":
            return ("Gemfile.lock", "GEM\n  remote: https://rubygems.org/\n  specs:\n    \(c.name) (\(c.version))\n\nPLATFORMS\n  ruby\n")
        case "Packagist":
            return ("composer.lock", #"{"packages": [{"name": "\#(c.name)", "version": "\#(c.version)"}]}"#)
        default:
            let parts = c.name.split(separator: ":")
            if n % 2 == 0 {
                return ("pom.xml", "<project><groupId>x.test</groupId><artifactId>app</artifactId><version>1</version><dependencies><dependency><groupId>\(parts[0])</groupId><artifactId>\(parts[1])</artifactId><version>\(c.version)</version></dependency></dependencies></project>")
            }
            return ("gradle.lockfile", "\(c.name):\(c.version)=runtimeClasspath\nempty=\n")
        }
    }

    @Test func everyFormatMatchesItsEcosystemsAdvisories() throws {
        let db = scratch.path + "/vigil.db"
        let imported = try Run.program(vigil, ["db", "import", "--db", db, SharedData.path("data/feeds/ghsa")])
        try #require(imported.status == 0, "\(imported.stderr)")
        let all = try cases()
        var targets: [String: Case] = [:]
        for (i, c) in all.enumerated() {
            let (name, text) = lockfile(c, i)
            let dir = scratch.path + "/project/c\(i)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + name))
            targets["c\(i)/\(name)"] = c
        }
        let run = try Run.program(vigil, ["fs", scratch.path + "/project", "--db", db, "-f", "json", "--quiet"])
        try #require(run.status == 0, "\(run.stderr)")
        let report = try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        var reported: [String: Set<String>] = [:]
        for r in report["Results"] as? [[String: Any]] ?? [] {
            reported[r["Target"] as? String ?? ""] = Set((r["Vulnerabilities"] as? [[String: Any]] ?? []).compactMap { $0["VulnerabilityID"] as? String })
        }
        var checked: [String: Int] = [:]
        for (target, c) in targets {
            let found = !(reported[target] ?? []).isDisjoint(with: c.ids)
            #expect(found == c.affected, "\(target): \(c.name) \(c.version) \(c.affected ? "should" : "should not") match \(c.ids.sorted())")
            checked[(target as NSString).lastPathComponent, default: 0] += 1
        }
        // Every format took part, with affected and clean cases.
        #expect(Set(checked.keys) == ["package-lock.json", "yarn.lock", "pnpm-lock.yaml", "Gemfile.lock", "composer.lock", "pom.xml", "gradle.lockfile"], "\(checked)")
        #expect(all.contains { $0.affected } && all.contains { !$0.affected })
    }
}
