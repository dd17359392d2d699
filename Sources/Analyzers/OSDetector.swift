import ContainerImage
import Foundation

/// Finds the distribution from its release files, in Trivy's order of trust: distro-specific
/// files (`alpine-release`, `debian_version`, `lsb-release`, `redhat-release`) first, then
/// `os-release`.
public enum OSDetector {
    /// Files the detector reads.
    public static let request = FileRequest(paths: [
        "etc/os-release", "usr/lib/os-release", "etc/alpine-release", "etc/debian_version", "etc/lsb-release",
        "etc/redhat-release", "etc/centos-release", "etc/fedora-release", "etc/system-release", "etc/mariner-release",
    ], maxFileSize: 1 << 20)

    /// `os-release` ID → Trivy family name.
    static let familyByID: [String: String] = [
        "alpine": "alpine", "debian": "debian", "ubuntu": "ubuntu", "centos": "centos", "rhel": "redhat",
        "rocky": "rocky", "almalinux": "alma", "fedora": "fedora", "amzn": "amazon", "mariner": "cbl-mariner",
        "azurelinux": "azurelinux", "ol": "oracle", "photon": "photon", "sles": "suse linux enterprise server",
        "opensuse-leap": "opensuse.leap", "opensuse-tumbleweed": "opensuse.tumbleweed", "wolfi": "wolfi",
        "chainguard": "chainguard",
    ]

    /// Detects the OS, or nil when no release file says.
    public static func detect(_ fs: any FileSystemView, now: Date = Date()) throws -> OperatingSystem? {
        func text(_ path: String) throws -> String? {
            try fs.file(at: path).map { String(decoding: $0.bytes, as: UTF8.self) }
        }
        let osRelease = try (text("etc/os-release") ?? text("usr/lib/os-release")).map(parseKeyValues) ?? [:]
        let id = osRelease["ID"]?.lowercased()
        var found: OperatingSystem?

        if let alpine = try text("etc/alpine-release"), let line = firstLine(alpine), !line.isEmpty {
            found = OperatingSystem(family: "alpine", name: line)
        } else if let lsb = try text("etc/lsb-release").map(parseKeyValues), lsb["DISTRIB_ID"]?.lowercased() == "ubuntu",
                  let release = lsb["DISTRIB_RELEASE"] {
            found = OperatingSystem(family: "ubuntu", name: release)
        } else if id == "ubuntu", let v = osRelease["VERSION_ID"] {
            found = OperatingSystem(family: "ubuntu", name: v)
        } else if let debian = try text("etc/debian_version"), let line = firstLine(debian), !line.isEmpty,
                  id == nil || id == "debian" {
            // `12.5` on releases; `bookworm/sid` on testing, where os-release may say more.
            if line.first?.isNumber == true {
                found = OperatingSystem(family: "debian", name: line)
            } else if let v = osRelease["VERSION_ID"] {
                found = OperatingSystem(family: "debian", name: v)
            } else {
                found = OperatingSystem(family: "debian", name: line)
            }
        } else if let rh = try text("etc/centos-release") ?? text("etc/redhat-release") ?? text("etc/fedora-release"),
                  let parsed = parseRedHatRelease(rh) {
            found = parsed
        } else if let id, let family = familyByID[id], let v = osRelease["VERSION_ID"] {
            found = OperatingSystem(family: family, name: v)
        } else if let mariner = try text("etc/mariner-release"), let line = firstLine(mariner),
                  let version = line.split(separator: " ").last {
            found = OperatingSystem(family: "cbl-mariner", name: String(version))
        } else if let id, let v = osRelease["VERSION_ID"] {
            found = OperatingSystem(family: id, name: v)
        }
        guard var os = found else { return nil }
        if let date = EndOfLifeTable.date(family: os.family, release: os.advisoryRelease) {
            os.endOfLifeDate = date
            os.endOfLife = EndOfLifeTable.isPast(date, now: now)
        }
        return os
    }

    static func firstLine(_ s: String) -> String? {
        s.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Parses `KEY=value` / `KEY="value"` lines (os-release, lsb-release).
    public static func parseKeyValues(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<eq])
            var value = String(line[line.index(after: eq)...])
            if value.count >= 2, let f = value.first, f == "\"" || f == "'", value.last == f {
                value = String(value.dropFirst().dropLast())
            }
            result[key] = value.replacingOccurrences(of: "\\\"", with: "\"")
        }
        return result
    }

    /// `CentOS Linux release 7.6.1810 (Core)` → centos 7.6.1810.
    static func parseRedHatRelease(_ text: String) -> OperatingSystem? {
        guard let line = firstLine(text) else { return nil }
        let lower = line.lowercased()
        let words = line.split(separator: " ")
        guard let idx = words.firstIndex(where: { $0.lowercased() == "release" }), idx + 1 < words.count else { return nil }
        let version = String(words[idx + 1])
        let family: String
        if lower.hasPrefix("centos") { family = "centos" }
        else if lower.hasPrefix("red hat") { family = "redhat" }
        else if lower.hasPrefix("rocky") { family = "rocky" }
        else if lower.hasPrefix("almalinux") { family = "alma" }
        else if lower.hasPrefix("fedora") { family = "fedora" }
        else if lower.hasPrefix("oracle") { family = "oracle" }
        else { return nil }
        return OperatingSystem(family: family, name: version)
    }
}
