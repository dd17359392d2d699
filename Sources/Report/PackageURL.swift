import Analyzers

/// Package URLs (purl spec) as Trivy writes them for OS packages.
public enum PackageURL {
    /// `pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64&distro=3.10.4`.
    public static func make(_ pkg: InstalledPackage, os: OperatingSystem?) -> String {
        let type: String
        switch pkg.format {
        case .dpkg: type = "deb"
        case .apk: type = "apk"
        case .rpm: type = "rpm"
        case .npm, .yarn, .pnpm, .bundler, .composer, .pom, .gradle: return project(pkg)
        case .pythonPackage, .pip, .pipenv, .poetry, .gomod, .cargo, .nodePackage, .gemspec, .composerVendor, .dotnetCore,
             .nuget, .condaPackage, .jar, .gobinary, .rustbinary:
            return language(pkg)
        case .unmanaged: return unmanaged(pkg)
        }
        let namespace = os?.family.replacingSpaces ?? "unknown"
        var version = pkg.version
        if pkg.format != .apk, let colon = version.firstIndex(of: ":"), Int(version[..<colon]) != nil {
            version = String(version[version.index(after: colon)...])
        }
        var qualifiers: [(String, String)] = []
        if let arch = pkg.arch, !arch.isEmpty { qualifiers.append(("arch", arch)) }
        if let os {
            qualifiers.append(("distro", pkg.format == .apk ? os.name : "\(os.family.replacingSpaces)-\(os.name)"))
        }
        if let epoch = pkg.epoch, epoch != 0 { qualifiers.append(("epoch", String(epoch))) }
        qualifiers.sort { $0.0 < $1.0 }
        var s = "pkg:\(type)/\(escape(namespace))/\(escape(pkg.name))@\(escape(version))"
        if !qualifiers.isEmpty {
            s += "?" + qualifiers.map { "\($0.0)=\(escape($0.1))" }.joined(separator: "&")
        }
        return s
    }

    /// `pkg:generic/php@8.2.36`, `pkg:generic/wordpress@4.6.1`; plugins and themes as
    /// `pkg:wordpress-plugin/akismet@3.1.11` (no registered purl type covers them).
    static func unmanaged(_ pkg: InstalledPackage) -> String {
        let type = pkg.sourceName == "wordpress-plugin" || pkg.sourceName == "wordpress-theme" ? pkg.sourceName : "generic"
        return "pkg:\(type)/\(escape(pkg.name))@\(escape(pkg.version))"
    }

    /// purl-spec types: `pkg:pypi/django@3.2.0` (name lower-cased, `_` → `-`),
    /// `pkg:golang/golang.org/x/text@v0.3.5` (the module path's last element is the name),
    /// `pkg:cargo/smallvec@1.6.0`; as Trivy writes the installed-package types:
    /// `pkg:npm/%40babel/parser@7.23.0` (lower-cased, the scope as namespace),
    /// `pkg:gem/rack@2.2.4`, `pkg:composer/symfony/console@v5.4.0`,
    /// `pkg:nuget/Newtonsoft.Json@13.0.1`, `pkg:conda/pip@22.2.2`.
    static func language(_ pkg: InstalledPackage) -> String {
        switch pkg.format {
        case .nodePackage:
            return "pkg:npm/\(namespaced(pkg.name.lowercased()))@\(escape(pkg.version))"
        case .composerVendor:
            return "pkg:composer/\(namespaced(pkg.name))@\(escape(pkg.version))"
        case .gemspec:
            return "pkg:gem/\(escape(pkg.name))@\(escape(pkg.version))"
        case .dotnetCore, .nuget:
            return "pkg:nuget/\(escape(pkg.name))@\(escape(pkg.version))"
        case .condaPackage:
            return "pkg:conda/\(escape(pkg.name))@\(escape(pkg.version))"
        case .jar:
            // `group:artifact` → `pkg:maven/group/artifact@version`.
            let (group, artifact) = pkg.name.firstIndex(of: ":").map { (String(pkg.name[..<$0]), String(pkg.name[pkg.name.index(after: $0)...])) }
                ?? ("", pkg.name)
            return "pkg:maven/\(group.isEmpty ? "" : escape(group) + "/")\(escape(artifact))\(pkg.version.isEmpty ? "" : "@" + escape(pkg.version))"
        case .gomod, .gobinary:
            let parts = pkg.name.split(separator: "/").map { escape(String($0)) }
            let path = parts.dropLast().map { $0 + "/" }.joined() + (parts.last ?? "")
            // A Go main module built from a checkout has no version (`(devel)`): no `@`, as Trivy.
            return "pkg:golang/\(path)\(pkg.version.isEmpty ? "" : "@" + escape(pkg.version))"
        case .cargo, .rustbinary:
            return "pkg:cargo/\(escape(pkg.name))@\(escape(pkg.version))"
        default:
            let name = String(pkg.name.lowercased().map { $0 == "_" ? "-" : $0 })
            return "pkg:pypi/\(escape(name))@\(escape(pkg.version))"
        }
    }

    /// `pkg:npm/%40babel/core@7.0.0` (a scope is the namespace, its `@` encoded),
    /// `pkg:gem/rack@2.2.3`, `pkg:composer/symfony/console@v5.4.0`,
    /// `pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1` (group as namespace).
    static func project(_ pkg: InstalledPackage) -> String {
        let type: String
        var namespace: String?
        var name = pkg.name
        switch pkg.format {
        case .bundler:
            type = "gem"
        case .pom, .gradle:
            type = "maven"
            if let colon = name.firstIndex(of: ":") {
                namespace = String(name[..<colon])
                name = String(name[name.index(after: colon)...])
            }
        case .composer:
            type = "composer"
            if let slash = name.firstIndex(of: "/") {
                namespace = String(name[..<slash])
                name = String(name[name.index(after: slash)...])
            }
        default:
            type = "npm"
            if name.hasPrefix("@"), let slash = name.firstIndex(of: "/") {
                namespace = String(name[..<slash])
                name = String(name[name.index(after: slash)...])
            }
        }
        let prefix = namespace.map { escape($0) + "/" } ?? ""
        return "pkg:\(type)/\(prefix)\(escape(name))@\(escape(pkg.version))"
    }

    /// `namespace/name` split at the last `/` (npm scopes, Composer vendors), each part escaped.
    static func namespaced(_ name: String) -> String {
        guard let slash = name.lastIndex(of: "/") else { return escape(name) }
        let namespace = name[..<slash].split(separator: "/").map { escape(String($0)) }.joined(separator: "/")
        return namespace + "/" + escape(String(name[name.index(after: slash)...]))
    }

    /// Percent-encodes everything outside purl's unreserved set.
    static func escape(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%\(hex[Int(b >> 4)])\(hex[Int(b & 0xF)])"
            }
        }
        return out
    }
}

extension String {
    var replacingSpaces: String { split(separator: " ").joined(separator: "-") }
}
