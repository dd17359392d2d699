/// A version range written in one ecosystem's own syntax, as lockfiles, manifests and the
/// ecosystems' advisory databases write it: node-semver ranges (`^1.2.3 || >=2.0.0-beta <3`),
/// Maven version ranges (`[1.0,2.0),[3.0,)`), RubyGems requirements (`~> 1.2, >= 1.2.3`),
/// Composer constraints (`^1.2 || ~2.0@dev`) and NuGet ranges (`[1.0,2.0)`).
///
/// Parse once with ``VersionScheme/range(_:)`` (or the concrete type's initializer), then call
/// ``contains(_:)`` per installed version: parsing is the slow part, `contains` only compares.
public protocol VersionRange: Sendable, CustomStringConvertible {
    /// Whether `version`, a raw version string as found in an image, satisfies the range.
    ///
    /// A version the ecosystem's own tool cannot parse is never contained (node-semver's
    /// `satisfies`, `Gem::Requirement#satisfied_by?` and the others refuse it too), so a
    /// malformed installed version never matches an advisory by accident.
    func contains(_ version: String) -> Bool
}

extension VersionScheme {
    /// Parses `text` as a range in this scheme's native syntax.
    ///
    /// - npm: ``NpmRange`` (node-semver, without `includePrerelease`)
    /// - maven: ``MavenVersionRange``
    /// - rubygems: ``RubyGemsRequirement``
    /// - composer: ``ComposerConstraint``
    /// - nuget: ``NuGetVersionRange``
    ///
    /// The distro schemes, PEP 440 and plain semver have no range syntax here (their advisories
    /// carry OSV events or fixed versions instead), so they throw.
    public func range(_ text: String) throws(VersionError) -> any VersionRange {
        switch self {
        case .npm: return try NpmRange(text)
        case .maven: return try MavenVersionRange(text)
        case .rubygems: return try RubyGemsRequirement(text)
        case .composer: return try ComposerConstraint(text)
        case .nuget: return try NuGetVersionRange(text)
        case .dpkg, .apk, .rpm, .pep440, .semver:
            throw VersionError(scheme: self, input: text, reason: "\(rawValue) has no native range syntax", subject: .range)
        }
    }
}
