/// Ubuntu codename → release version: the one table every Ubuntu importer uses.
///
/// The Ubuntu CVE tracker names releases by codename (`trusty`), `/etc/os-release` gives
/// `VERSION_ID="14.04"`, which is what the OS detector reports and advisories are stored under.
public enum UbuntuReleases {
    /// Every codename, oldest first, with its version.
    public static let codenames: [(codename: String, version: String)] = [
        ("warty", "4.10"), ("hoary", "5.04"), ("breezy", "5.10"), ("dapper", "6.06"), ("edgy", "6.10"),
        ("feisty", "7.04"), ("gutsy", "7.10"), ("hardy", "8.04"), ("intrepid", "8.10"), ("jaunty", "9.04"),
        ("karmic", "9.10"), ("lucid", "10.04"), ("maverick", "10.10"), ("natty", "11.04"), ("oneiric", "11.10"),
        ("precise", "12.04"), ("quantal", "12.10"), ("raring", "13.04"), ("saucy", "13.10"), ("trusty", "14.04"),
        ("utopic", "14.10"), ("vivid", "15.04"), ("wily", "15.10"), ("xenial", "16.04"), ("yakkety", "16.10"),
        ("zesty", "17.04"), ("artful", "17.10"), ("bionic", "18.04"), ("cosmic", "18.10"), ("disco", "19.04"),
        ("eoan", "19.10"), ("focal", "20.04"), ("groovy", "20.10"), ("hirsute", "21.04"), ("impish", "21.10"),
        ("jammy", "22.04"), ("kinetic", "22.10"), ("lunar", "23.04"), ("mantic", "23.10"), ("noble", "24.04"),
        ("oracular", "24.10"), ("plucky", "25.04"), ("questing", "25.10"),
    ]

    private static let table: [String: String] = Dictionary(uniqueKeysWithValues: codenames.map { ($0.codename, $0.version) })

    /// `trusty` → `14.04`; nil for names this table does not know.
    public static func version(forCodename codename: some StringProtocol) -> String? {
        table[codename.lowercased()]
    }

    /// Maps a UCT release key to where its facts apply.
    ///
    /// - `trusty` → (`ubuntu`, `14.04`)
    /// - Expanded Security Maintenance streams — `trusty/esm`, `esm-infra/xenial`,
    ///   `esm-apps/focal`, `esm-infra-legacy/trusty` — → (`ubuntu-pro`, version): fixes that
    ///   only an Ubuntu Pro subscription delivers, kept apart as the OSV importer keeps
    ///   `Ubuntu:Pro:…` apart.
    /// - `upstream`, `devel`, `snap`, `vivid/ubuntu-core`, `vivid/stable-phone-overlay` and
    ///   unknown codenames → nil (no installed release to match).
    public static func ecosystem(forTrackerRelease key: String) -> Ecosystem? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 1 {
            return version(forCodename: parts[0]).map { Ecosystem(family: "ubuntu", release: $0) }
        }
        guard parts.count == 2 else { return nil }
        if parts[1] == "esm", let v = version(forCodename: parts[0]) {
            return Ecosystem(family: "ubuntu-pro", release: v)
        }
        if parts[0].hasPrefix("esm-"), let v = version(forCodename: parts[1]) {
            return Ecosystem(family: "ubuntu-pro", release: v)
        }
        return nil
    }
}
