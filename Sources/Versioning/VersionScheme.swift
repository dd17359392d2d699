/// The version-ordering rules of one package ecosystem.
public enum VersionScheme: String, Sendable, CaseIterable {
    /// Debian and Ubuntu (`dpkg --compare-versions`): `[epoch:]upstream[-revision]`.
    case dpkg
    /// Alpine (`apk version -t`): `1.2.3a_rc1~hash-r4`.
    case apk
    /// Red Hat, Fedora, SUSE and friends (`rpmvercmp`): `[epoch:]version[-release]`.
    case rpm
    /// Python (PyPI), PEP 440: `1!2.0rc1.post2.dev3+local`.
    case pep440
    /// Semantic Versioning 2.0.0 with an optional `v`: Go modules, crates.io, OSV `SEMVER` ranges.
    case semver
    /// npm: SemVer 2.0.0 as node-semver parses it (surrounding whitespace and a `v` allowed);
    /// ranges in node-semver's grammar (``NpmRange``).
    case npm
    /// Maven (Java): `ComparableVersion`'s order over any string; ranges ``MavenVersionRange``.
    case maven
    /// RubyGems: `Gem::Version`; requirements ``RubyGemsRequirement``.
    case rubygems
    /// Composer (PHP, Packagist): `VersionParser::normalize` then PHP's `version_compare`;
    /// constraints ``ComposerConstraint``.
    case composer
    /// NuGet (.NET): four numeric parts and SemVer 2 labels, case-insensitive; ranges
    /// ``NuGetVersionRange``.
    case nuget
}
