import ContainerImage

/// Samples the files WordPress detection reads, wherever a WordPress tree sits
/// (`usr/src/wordpress`, `var/www/html`, …): `wp-includes/version.php`, the PHP files and
/// `readme.txt` directly inside each `wp-content/plugins/<slug>/` (and single-file plugins), and
/// each theme's `wp-content/themes/<slug>/style.css`. Only a prefix is kept: headers sit at the
/// top, and WordPress itself reads no more than 8 KiB of them.
struct WordPressSampler: FileSampler {
    /// What a sampled path is.
    enum Role: Equatable {
        case coreVersion
        /// A PHP file of the plugin `slug` (a single-file plugin's slug is its file name without `.php`).
        case pluginFile(slug: String)
        case pluginReadme(slug: String)
        case themeStyle(slug: String)
    }

    static let headerBytes = 8 << 10
    /// version.php is 1-2 KiB; a larger one is still parsed from its start.
    static let versionFileBytes = 64 << 10

    var identity: String { "wordpress-v1" }

    func reader(for path: String, size: Int) -> (any SampleReader)? {
        guard let role = Self.role(of: path) else { return nil }
        return PrefixSampleReader(limit: role == .coreVersion ? Self.versionFileBytes : Self.headerBytes)
    }

    /// The role of a cleaned root-relative path, or nil. Cheap tests first: it runs per file.
    static func role(of path: String) -> Role? {
        let utf8 = path.utf8
        // Most files fail on their last byte: `.php`, `.txt`, `.css` end in p, t, s.
        guard utf8.count > 12, let last = utf8.last,
              last == UInt8(ascii: "p") || last == UInt8(ascii: "t") || last == UInt8(ascii: "s") else { return nil }
        let isPHP = path.hasSuffix(".php"), isReadme = path.hasSuffix("/readme.txt"), isStyle = path.hasSuffix("/style.css")
        guard isPHP || isReadme || isStyle, path.contains("wp-") else { return nil }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if isPHP, parts.count >= 2, parts[parts.count - 1] == "version.php", parts[parts.count - 2] == "wp-includes" {
            return .coreVersion
        }
        guard let content = parts.lastIndex(of: "wp-content"), content + 2 < parts.count else { return nil }
        let rest = parts[(content + 2)...]
        switch parts[content + 1] {
        case "plugins":
            if rest.count == 1, isPHP { return .pluginFile(slug: String(rest.first!.dropLast(4))) }
            guard rest.count == 2 else { return nil }
            let slug = String(rest.first!)
            return isPHP ? .pluginFile(slug: slug) : isReadme ? .pluginReadme(slug: slug) : nil
        case "themes":
            return rest.count == 2 && isStyle ? .themeStyle(slug: String(rest.first!)) : nil
        default:
            return nil
        }
    }
}
