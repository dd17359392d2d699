extension VersionScheme {
    /// The scheme that orders an advisory ecosystem's versions (Trivy's and OSV's family names):
    /// `PyPI` → PEP 440; `Go`, `crates.io` → semver; `npm` → npm; `Maven` → maven; `RubyGems` →
    /// rubygems; `Packagist`/`composer` → composer; `NuGet` → nuget; Alpine/Wolfi → apk;
    /// Debian/Ubuntu → dpkg; Red Hat family and SUSE → rpm. Nil for an ecosystem Vigil has no
    /// comparator for (`Hex`, `Pub`…), whose ranges must not be guessed at.
    public init?(ecosystem family: String) {
        switch family {
        case "PyPI", "pypi", "pip", "python": self = .pep440
        case "Go", "go", "crates.io", "cargo": self = .semver
        case "npm", "node", "yarn", "pnpm": self = .npm
        case "Maven", "maven", "jar", "pom", "gradle": self = .maven
        case "RubyGems", "rubygems", "gem", "bundler", "gemspec": self = .rubygems
        case "Packagist", "packagist", "composer", "Composer": self = .composer
        case "NuGet", "nuget", "dotnet-core", "dotnet-deps", "packages-props": self = .nuget
        case "alpine", "wolfi", "chainguard", "Alpine", "Wolfi", "Chainguard": self = .apk
        case "debian", "ubuntu", "ubuntu-pro", "Debian", "Ubuntu": self = .dpkg
        case "redhat", "centos", "rocky", "alma", "fedora", "amazon", "oracle", "cbl-mariner", "azurelinux", "photon",
             "suse linux enterprise server", "opensuse.leap", "opensuse.tumbleweed", "Red Hat", "Rocky Linux",
             "AlmaLinux", "SUSE", "openSUSE":
            self = .rpm
        default: return nil
        }
    }
}
