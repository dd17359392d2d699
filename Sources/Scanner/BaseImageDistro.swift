import Analyzers
import VulnDB
import Foundation

/// The distribution release a base image reference names, read from the reference alone
/// (nothing is pulled): `ubuntu:14.04`, `ubuntu:trusty-20191217`, `debian:jessie-slim`,
/// `alpine:3.10.4`, `centos:centos7`, and the distro suffix of language images
/// (`python:3.8-slim-buster` → debian 10, `ruby:2.5-alpine3.10` → alpine 3.10).
public struct BaseImageDistro: Sendable, Hashable {
    /// Trivy's family name (`ubuntu`, `debian`, `alpine`, `centos`, `redhat`, `rocky`, `alma`,
    /// `fedora`, `amazon`).
    public var family: String
    /// The release advisories and `EndOfLifeTable` are keyed by (`14.04`, `8`, `3.10`, `7`).
    public var release: String

    public init(family: String, release: String) {
        self.family = family
        self.release = release
    }

    /// Repository (last path component, `library/` and registry dropped) → family, for images
    /// whose tag is the release.
    static let familyByRepository: [String: String] = [
        "ubuntu": "ubuntu", "debian": "debian", "alpine": "alpine", "centos": "centos", "rockylinux": "rocky",
        "almalinux": "alma", "fedora": "fedora", "amazonlinux": "amazon",
    ]

    /// Reads `repository` (`ubuntu`, `docker.io/library/debian`, `quay.io/centos/centos`) and
    /// `tag`; nil when neither names a release this table knows (`alpine:latest`, `node:20`).
    public init?(repository: String, tag: String?) {
        guard let tag, !tag.isEmpty else { return nil }
        let name = (repository.split(separator: "/").last.map(String.init) ?? repository).lowercased()
        let tagLower = tag.lowercased()
        if let family = Self.familyByRepository[name], let release = Self.release(family: family, tag: tagLower) {
            self.init(family: family, release: release)
            return
        }
        // Red Hat's Universal Base Images: `redhat/ubi8`, `registry.access.redhat.com/ubi9/ubi-minimal`.
        let path = repository.lowercased().split(separator: "/").map(String.init)
        if let ubi = path.first(where: { $0.hasPrefix("ubi") && Int($0.dropFirst(3)) != nil }) {
            self.init(family: "redhat", release: String(ubi.dropFirst(3)))
            return
        }
        // Language images name their distro in a tag suffix: `-buster`, `-bionic`, `-alpine3.10`.
        for word in tagLower.split(separator: "-").reversed() {
            if let r = DebianReleases.release(forCodename: word), r != "sid", Int(r) != nil {
                self.init(family: "debian", release: r)
                return
            }
            if let v = UbuntuReleases.version(forCodename: word) {
                self.init(family: "ubuntu", release: v)
                return
            }
            if word.hasPrefix("alpine"), let r = Self.majorMinor(String(word.dropFirst(6))) {
                self.init(family: "alpine", release: r)
                return
            }
        }
        return nil
    }

    /// The release in a distro image's own tag, or nil.
    static func release(family: String, tag: String) -> String? {
        // Date or variant suffixes: `trusty-20191217`, `jessie-slim`, `10.3-slim`, `7.6.1810`.
        let head = String(tag.split(separator: "-").first ?? "")
        switch family {
        case "ubuntu":
            if let v = UbuntuReleases.version(forCodename: head) { return v }
            let parts = head.split(separator: ".")
            guard parts.count >= 2, parts.allSatisfy({ Int($0) != nil }) else { return nil }
            return parts[0] + "." + parts[1]
        case "debian":
            if let r = DebianReleases.release(forCodename: head) { return Int(r) == nil ? nil : r }
            guard let major = head.split(separator: ".").first, Int(major) != nil else { return nil }
            return String(major)
        case "alpine":
            return majorMinor(head)
        case "centos":
            let v = head.hasPrefix("centos") ? String(head.dropFirst(6)) : head
            guard let major = v.split(separator: ".").first, Int(major) != nil else { return nil }
            return String(major)
        case "amazon":
            // amazonlinux:2018.03 is Amazon Linux 1.
            if head.hasPrefix("2018") || head.hasPrefix("2017") { return "1" }
            guard let major = head.split(separator: ".").first, Int(major) != nil else { return nil }
            return String(major)
        default:
            guard let major = head.split(separator: ".").first, Int(major) != nil else { return nil }
            return String(major)
        }
    }

    static func majorMinor(_ s: String) -> String? {
        let parts = s.split(separator: ".")
        guard parts.count >= 2, Int(parts[0]) != nil, Int(parts[1]) != nil else { return nil }
        return parts[0] + "." + parts[1]
    }

    /// The release a package file's version was built for: `1.15-1ubuntu1.14.04.5` → ubuntu
    /// 14.04, `1.16-1+deb8u5` → debian 8; nil when the version does not say.
    public static func fromDebianRevision(_ version: String) -> BaseImageDistro? {
        if let r = version.range(of: "ubuntu") {
            // `…ubuntu1.14.04.5`: the Ubuntu security-update convention appends the release.
            let after = version[r.upperBound...].split(separator: ".").map(String.init)
            if after.count >= 3, Int(after[1]) != nil, let minor = Int(after[2]), after[2].count == 2 {
                let candidate = after[1] + "." + String(format2(minor))
                if UbuntuReleases.codenames.contains(where: { $0.version == candidate }) {
                    return BaseImageDistro(family: "ubuntu", release: candidate)
                }
            }
            return nil
        }
        for marker in ["+deb", "~deb"] {
            if let r = version.range(of: marker) {
                let digits = version[r.upperBound...].prefix { $0.isNumber }
                if !digits.isEmpty { return BaseImageDistro(family: "debian", release: String(digits)) }
            }
        }
        return nil
    }

    static func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// The vendor's end-of-support date (`EndOfLifeTable`), if known.
    public var endOfLifeDate: String? { EndOfLifeTable.date(family: family, release: release) }
}
