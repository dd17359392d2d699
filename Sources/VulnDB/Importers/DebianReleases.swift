/// Debian codename → release number, as the OS detector reports releases.
///
/// Feeds name releases by codename (`jessie`, `squeeze-lts`), while `/etc/debian_version`
/// gives numbers (`8.11`) that the detector truncates to the major release (`8`); advisories are
/// stored under the number so both sides meet.
public enum DebianReleases {
    /// Every codename the Debian security feeds use, oldest first, with its release number.
    public static let codenames: [(codename: String, release: String)] = [
        ("buzz", "1.1"), ("rex", "1.2"), ("bo", "1.3"), ("hamm", "2.0"), ("slink", "2.1"),
        ("potato", "2.2"), ("woody", "3.0"), ("sarge", "3.1"), ("etch", "4"), ("lenny", "5"),
        ("squeeze", "6"), ("wheezy", "7"), ("jessie", "8"), ("stretch", "9"), ("buster", "10"),
        ("bullseye", "11"), ("bookworm", "12"), ("trixie", "13"), ("forky", "14"), ("sid", "sid"),
    ]

    private static let table: [String: String] = Dictionary(
        uniqueKeysWithValues: codenames.map { ($0.codename, $0.release) })

    /// The release number for a codename such as `jessie`, `squeeze-lts` or `wheezy-security`.
    ///
    /// Suite suffixes (`-lts`, `-security`, `-backports`…) name the same release, so everything
    /// from the first `-` on is ignored. Returns nil for codenames this table does not know, so
    /// callers can skip the entry rather than invent a release.
    public static func release(forCodename codename: some StringProtocol) -> String? {
        let base = codename.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return table[base.lowercased()]
    }
}
