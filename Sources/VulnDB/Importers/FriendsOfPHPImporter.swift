import Versioning
import VigilCore
import Yams

/// Parses one PHP Security Advisories Database file (FriendsOfPHP, `VENDOR/PACKAGE/ID.yaml`):
/// `title`, `link`, `cve`, `reference: composer://vendor/name`, and `branches`, a map of branch
/// label → `{time, versions: [Composer constraints]}`.
///
/// A version is affected when it satisfies all constraints of any branch, so each branch becomes
/// one ``AdvisoryRecord/vulnerableRanges`` entry (its constraints joined with `,`, Composer's
/// "and"), evaluated natively with ``ComposerConstraint`` at match time. The finding id is the
/// CVE when the file names one (as GitHub's record of it is filed), else a GHSA id used as the
/// file name, else `PHPSA-vendor/name-FILE` (file names such as `2015-08-06` are only unique per
/// package). Records use ecosystem `Packagist`, the lower-cased `vendor/name`, and source
/// `php-security-advisories` (Trivy's id).
enum FriendsOfPHPImporter {
    static let source = "php-security-advisories"

    static func parse(path: String, data: [UInt8]) throws(VulnDBError) -> FeedParseResult {
        guard let text = String(validating: data, as: UTF8.self) else {
            throw VulnDBError(.malformedFeed, "\(path): not valid UTF-8")
        }
        try AlpineSecdbImporter.refuseAliases(path: path, data: data, feed: "FriendsOfPHP advisories")
        let root = try AlpineSecdbImporter.compose(path: path, text: text)
        guard let root, case .mapping = root else {
            throw VulnDBError(.malformedFeed, "\(path)\(AlpineSecdbImporter.lineSuffix(root)): expected a mapping with reference and branches")
        }
        guard let reference = RubySecImporter.string(root["reference"]), reference.hasPrefix("composer://"),
              reference.count > "composer://".count else {
            throw VulnDBError(.malformedFeed, "\(path)\(AlpineSecdbImporter.lineSuffix(root["reference"] ?? root)): `reference` must be composer://vendor/name")
        }
        let package = PackageNames.normalized(String(reference.dropFirst("composer://".count)), ecosystem: "Packagist")
        guard let branchesNode = root["branches"], case let .mapping(branches) = branchesNode else {
            throw VulnDBError(.malformedFeed, "\(path)\(AlpineSecdbImporter.lineSuffix(root["branches"] ?? root)): `branches` is not a mapping")
        }
        var vulnerable: [String] = []
        for (label, branch) in branches {
            guard case .mapping = branch, let versions = branch["versions"] else {
                throw VulnDBError(.malformedFeed, "\(path)\(AlpineSecdbImporter.lineSuffix(branch)): branch \(label.scalar?.string ?? "?") has no versions")
            }
            guard case let .sequence(items) = versions, !items.isEmpty else {
                throw VulnDBError(.malformedFeed, "\(path)\(AlpineSecdbImporter.lineSuffix(versions)): versions of branch \(label.scalar?.string ?? "?") is not a non-empty list")
            }
            var parts: [String] = []
            for item in items {
                guard let constraint = RubySecImporter.string(item), !constraint.isEmpty else {
                    throw VulnDBError(.malformedFeed, "\(path)\(AlpineSecdbImporter.lineSuffix(item)): versions entry is not a constraint string")
                }
                parts.append(constraint)
            }
            let joined = parts.joined(separator: ",")
            do {
                _ = try ComposerConstraint(joined)
            } catch {
                throw VulnDBError(.malformedFeed, "\(path)\(AlpineSecdbImporter.lineSuffix(versions)): \(error)")
            }
            FeedText.appendUnique(joined, to: &vulnerable)
        }
        var result = FeedParseResult()
        guard !vulnerable.isEmpty else {
            result.skip("FriendsOfPHP advisory without branches")
            return result
        }

        let stem = String((path.split(separator: "/").last ?? "").split(separator: ".").first ?? "")
        let cve = RubySecImporter.string(root["cve"]).flatMap { $0.hasPrefix("CVE-") ? $0 : nil }
        let own = cve ?? (stem.hasPrefix("GHSA-") || stem.hasPrefix("CVE-") ? stem : "PHPSA-\(package)-\(stem)")
        let ids = PreferredIDs(own: own, others: cve.map { [$0] } ?? [])
        var references: [String] = []
        if let link = RubySecImporter.string(root["link"]), !link.isEmpty { references.append(link) }
        for id in ids.vulnerabilityIDs {
            result.batch.advisories.append(AdvisoryRecord(
                vulnerabilityID: id, ecosystem: Ecosystem(family: "Packagist", release: ""), packageName: package,
                status: .fixed, source: source, advisoryID: ids.advisoryID, vulnerableRanges: vulnerable))
            result.batch.vulnerabilities.append(VulnerabilityRecord(
                id: id, title: RubySecImporter.string(root["title"]), references: references,
                aliases: ids.aliases(of: id), source: source))
        }
        return result
    }
}
