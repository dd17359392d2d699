import PropertyBased
import Testing
import Versioning

/// Ranges must agree with the order they are built on: a one-bound range contains exactly the
/// versions on the right side of its bound, for random valid versions of each ecosystem.
@Suite struct VersionRangePropertyTests {
    /// For each ecosystem: a `>= bound` and a `< bound` range in its own syntax (Composer:
    /// `<= bound` and `> bound`, which take the bound as written where `<`/`>=` append `-dev`),
    /// or nil when the pair falls outside the plain order (branches, unparsable bounds).
    static func bounds(_ scheme: VersionScheme, _ bound: String, _ version: String) -> (atLeast: String, below: String)? {
        switch scheme {
        case .npm:
            // Parsed with `includePrerelease` (see `parse`), so pre-releases follow the plain order.
            guard (try? NpmVersion(version)) != nil, (try? NpmVersion(bound)) != nil else { return nil }
            return (">=" + bound.trimmingSpaces(), "<" + bound.trimmingSpaces())
        case .maven:
            guard !bound.contains(","), !bound.contains("["), !bound.contains("("), !bound.contains("]"), !bound.contains(")"),
                bound == bound.trimmingSpaces(), !bound.isEmpty
            else { return nil }
            return ("[\(bound),)", "(,\(bound))")
        case .rubygems:
            guard (try? RubyGemsVersion(version)) != nil, !bound.trimmingSpaces().isEmpty, (try? RubyGemsVersion(bound)) != nil
            else { return nil }
            return (">= " + bound, "< " + bound)
        case .composer:
            guard let b = try? ComposerVersion(bound), let v = try? ComposerVersion(version), !b.isBranch, !v.isBranch,
                !bound.contains("@"), !bound.contains(" as"), !bound.contains(","), !bound.contains(" ")
            else { return nil }
            // `>` and `<=` take the bound as written (no `-dev` appended).
            return ("<=" + bound, ">" + bound)
        case .nuget:
            guard (try? NuGetVersion(bound)) != nil, !bound.contains(","), bound == bound.trimmingSpaces() else { return nil }
            return (bound, "(," + bound + ")")
        case .dpkg, .apk, .rpm, .pep440, .semver:
            return nil
        }
    }

    /// `VersionScheme.range`, except npm ranges admit every pre-release (node-semver's
    /// `includePrerelease`), which leaves exactly the order to test.
    static func parse(_ scheme: VersionScheme, _ text: String) throws(VersionError) -> any VersionRange {
        scheme == .npm ? try NpmRange(text, includePrerelease: true) : try scheme.range(text)
    }

    @Test(arguments: [VersionScheme.npm, .maven, .rubygems, .composer, .nuget])
    func oneBoundRangesFollowTheOrder(scheme: VersionScheme) async throws {
        var checked = 0
        await propertyCheck(count: 2500, input: VersionStrings.related(for: scheme)) { strings in
            let (version, bound, _) = strings
            guard VersionStrings.isValid(version, scheme), let spelled = Self.bounds(scheme, bound, version) else { return }
            let order = VersionComparator.compare(version, bound, scheme: scheme)
            guard let first = try? Self.parse(scheme, spelled.atLeast), let second = try? Self.parse(scheme, spelled.below) else {
                Issue.record("\(spelled) did not parse")
                return
            }
            checked += 1
            if scheme == .composer {
                // Composer's pair is `<= bound` and `> bound`.
                #expect(first.contains(version) == (order <= 0), "\(version) \(spelled.atLeast)")
                #expect(second.contains(version) == (order > 0), "\(version) \(spelled.below)")
            } else {
                #expect(first.contains(version) == (order >= 0), "\(version) \(spelled.atLeast)")
                #expect(second.contains(version) == (order < 0), "\(version) \(spelled.below)")
            }
        }
        #expect(checked > 50)
    }
}
