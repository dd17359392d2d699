import Foundation

/// The detected distribution.
public struct OperatingSystem: Sendable, Hashable {
    /// Trivy's family names: `alpine`, `debian`, `ubuntu`, `centos`, `redhat`, `cbl-mariner`…
    public var family: String
    /// Full version as the release files give it (`3.10.4`, `8.11`, `14.04`).
    public var name: String
    /// Past its vendor's end of support, per `EndOfLifeTable`.
    public var endOfLife: Bool
    /// When support ends or ended, if the table knows.
    public var endOfLifeDate: String?

    public init(family: String, name: String, endOfLife: Bool = false, endOfLifeDate: String? = nil) {
        self.family = family
        self.name = name
        self.endOfLife = endOfLife
        self.endOfLifeDate = endOfLifeDate
    }

    /// The release key advisories are published under: `3.10` for alpine 3.10.4, `8` for
    /// debian 8.11, `14.04` for ubuntu, the major version for the Red Hat family.
    public var advisoryRelease: String {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        switch family {
        case "alpine", "cbl-mariner", "azurelinux", "opensuse.leap", "photon":
            return parts.prefix(2).joined(separator: ".")
        case "ubuntu":
            return name
        case "debian":
            if let first = parts.first, Int(first) != nil { return String(first) }
            return name
        default:
            return parts.first.map(String.init) ?? name
        }
    }
}

/// Vendor end-of-support dates Vigil maintains (standard support; Ubuntu's end of standard
/// support, Debian's end of LTS). Sources: each vendor's release pages.
public enum EndOfLifeTable {
    /// family → release → date (YYYY-MM-DD).
    public static let dates: [String: [String: String]] = [
        "alpine": [
            "2.7": "2015-11-01", "3.0": "2016-05-01", "3.1": "2016-11-01", "3.2": "2017-05-01", "3.3": "2017-11-01",
            "3.4": "2018-05-01", "3.5": "2018-11-01", "3.6": "2019-05-01", "3.7": "2019-11-01", "3.8": "2020-05-01",
            "3.9": "2020-11-01", "3.10": "2021-05-01", "3.11": "2021-11-01", "3.12": "2022-05-01", "3.13": "2022-11-01",
            "3.14": "2023-05-01", "3.15": "2023-11-01", "3.16": "2024-05-23", "3.17": "2024-11-22", "3.18": "2025-05-09",
            "3.19": "2025-11-01", "3.20": "2026-04-01", "3.21": "2026-11-01", "3.22": "2027-05-01", "3.23": "2027-11-01",
        ],
        "debian": [
            "4": "2012-02-15", "5": "2012-02-06", "6": "2016-02-29", "7": "2018-05-31", "8": "2020-06-30",
            "9": "2022-06-30", "10": "2024-06-30", "11": "2026-08-31", "12": "2028-06-30", "13": "2030-06-30",
        ],
        "ubuntu": [
            "12.04": "2017-04-28", "14.04": "2019-04-25", "16.04": "2021-04-30", "18.04": "2023-05-31",
            "19.04": "2020-01-23", "19.10": "2020-07-17", "20.04": "2025-05-31", "20.10": "2021-07-22",
            "21.04": "2022-01-20", "21.10": "2022-07-14", "22.04": "2027-06-01", "22.10": "2023-07-20",
            "23.04": "2024-01-25", "23.10": "2024-07-11", "24.04": "2029-05-31", "24.10": "2025-07-10",
            "25.04": "2026-01-15", "25.10": "2026-07-09",
        ],
        "centos": ["5": "2017-03-31", "6": "2020-11-30", "7": "2024-06-30", "8": "2021-12-31"],
        "redhat": ["5": "2017-03-31", "6": "2020-11-30", "7": "2024-06-30", "8": "2029-05-31", "9": "2032-05-31"],
        "rocky": ["8": "2029-05-31", "9": "2032-05-31"],
        "alma": ["8": "2029-05-31", "9": "2032-05-31"],
        "cbl-mariner": ["1.0": "2023-07-31", "2.0": "2025-07-31"],
        "fedora": ["36": "2023-05-16", "37": "2023-12-05", "38": "2024-05-21", "39": "2024-11-26", "40": "2025-05-13"],
        "amazon": ["1": "2023-12-31", "2": "2026-06-30", "2023": "2029-06-30"],
    ]

    /// The end-of-support date for a family and advisory release, if known.
    public static func date(family: String, release: String) -> String? {
        dates[family]?[release]
    }

    /// Whether `date` (YYYY-MM-DD) is before `now`.
    public static func isPast(_ date: String, now: Date = Date()) -> Bool {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        guard let d = f.date(from: date) else { return false }
        return d < now
    }
}
