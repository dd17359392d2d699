import Foundation
import VulnDB
import Yams
import VigilCore

/// One feed `vigil db update` fetches: where it lives upstream, where it lives in a mirror, and
/// what it should contain.
public struct FeedSpec: Sendable, Equatable {
    /// Unique name (`alpine`, `debian`, `osv-pypi`…); a config entry with the same name overrides it.
    public var name: String
    /// Upstream locations: `https://`, `http://` or `file://` URLs, or local paths. A URL ending in
    /// `/` is a directory (an HTML index over HTTP, a directory tree on disk).
    public var urls: [String]
    /// Paths of this feed inside a mirror laid out like `shared/data/feeds` (`alpine-secdb/`);
    /// used instead of `urls` with `--from`. Empty: the feed is not mirrored.
    public var mirror: [String]
    /// What every single-file URL must hold; `nil` accepts any format the importers know.
    /// Also decides what happens to a zip: an `osvArchive` is kept whole, any other zip is unpacked.
    public var format: FeedFormat?
    /// `false` drops the feed (e.g. to turn off a default one).
    public var enabled: Bool

    /// Creates a feed.
    public init(name: String, urls: [String], mirror: [String] = [], format: FeedFormat? = nil, enabled: Bool = true) {
        self.name = name
        self.urls = urls
        self.mirror = mirror
        self.format = format
        self.enabled = enabled
    }
}

/// The feeds `vigil db update` fetches and the limits it enforces: the built-in defaults
/// (the public feeds' usual URLs), overridden entry by entry by a YAML file.
public struct FeedsConfig: Sendable, Equatable {
    /// Every feed, disabled ones included, in order.
    public var feeds: [FeedSpec]
    /// Largest single downloaded (or unpacked) file, in bytes.
    public var maxFileBytes: Int64
    /// Largest total of all downloaded files, in bytes.
    public var maxTotalBytes: Int64
    /// Most files one update may fetch (directory listings are crawled).
    public var maxFiles: Int

    /// Creates a config.
    public init(feeds: [FeedSpec], maxFileBytes: Int64 = 2 << 30, maxTotalBytes: Int64 = 16 << 30, maxFiles: Int = 500_000) {
        self.feeds = feeds
        self.maxFileBytes = maxFileBytes
        self.maxTotalBytes = maxTotalBytes
        self.maxFiles = maxFiles
    }

    /// The feeds that will be fetched.
    public var enabledFeeds: [FeedSpec] { feeds.filter(\.enabled) }

    /// OSV's per-ecosystem exports (osv.dev's public bucket).
    static let osvBucket = "https://osv-vulnerabilities.storage.googleapis.com/"

    /// The public feeds' usual URLs, mirror paths as in `shared/data/feeds`.
    public static func defaults(currentYear: Int = Calendar(identifier: .gregorian).component(.year, from: Date())) -> FeedsConfig {
        let alpineReleases = (12...22).map { "3.\($0)" }
        let alpine = alpineReleases.flatMap { r in ["main", "community"].map { "https://secdb.alpinelinux.org/v\(r)/\($0).json" } }
        let tracker = "https://salsa.debian.org/security-tracker-team/security-tracker/-/raw/master/data/"
        let nvd = (2002...max(currentYear, 2002)).map { "https://nvd.nist.gov/feeds/json/cve/2.0/nvdcve-2.0-\($0).json.gz" }
        return FeedsConfig(feeds: [
            FeedSpec(name: "alpine", urls: alpine, mirror: ["alpine-secdb/"], format: .alpineSecdb),
            FeedSpec(name: "wolfi", urls: ["https://packages.wolfi.dev/os/security.json"], format: .alpineSecdb),
            FeedSpec(name: "debian", urls: ["https://security-tracker.debian.org/tracker/data/json",
                                           tracker + "DSA/list", tracker + "DLA/list"],
                     mirror: ["debian-tracker/"]),
            // The Ubuntu CVE tracker is a git repository, not a download: clone it and add its
            // directory (`file:///srv/ubuntu-cve-tracker/`) to this feed's urls.
            FeedSpec(name: "ubuntu", urls: [osvBucket + "Ubuntu/all.zip"], mirror: ["ubuntu/"]),
            FeedSpec(name: "nvd", urls: nvd, mirror: ["nvd/"], format: .nvdAPI),
            FeedSpec(name: "cwe", urls: ["https://cwe.mitre.org/data/csv/1000.csv.zip"], mirror: ["cwe/"], format: .cweCSV),
            FeedSpec(name: "osv-pypi", urls: [osvBucket + "PyPI/all.zip"], mirror: ["pypi-osv/"], format: .osvArchive),
            FeedSpec(name: "osv-go", urls: [osvBucket + "Go/all.zip"], mirror: ["go-osv/"], format: .osvArchive),
            // RustSec's advisories as osv.dev exports them; the advisory-db Markdown is read too.
            FeedSpec(name: "rustsec", urls: [osvBucket + "crates.io/all.zip"], mirror: ["rustsec/"], format: .osvArchive),
            FeedSpec(name: "alma", urls: [osvBucket + "AlmaLinux/all.zip"], mirror: ["rhel-family-samples/alma-osv/"], format: .osvArchive),
            FeedSpec(name: "rocky", urls: [osvBucket + "Rocky%20Linux/all.zip"], mirror: ["rhel-family-samples/rocky-osv/"], format: .osvArchive),
            // The GitHub Advisory Database (OSV JSON for every ecosystem: npm, Maven, NuGet, RubyGems,
            // Packagist, Go, PyPI, …) as its repository archive; aliases to CVEs are kept by the OSV importer.
            FeedSpec(name: "ghsa", urls: ["https://github.com/github/advisory-database/archive/refs/heads/main.zip"], mirror: ["ghsa/"]),
            // The language feeds GitHub's database complements, as their repositories' archives
            // (or a local clone: set `urls` to its directory). Files of other shapes in them
            // (RubySec's `rubies/`, Node.js core records, tooling) are skipped as unknown formats.
            FeedSpec(name: "rubysec", urls: ["https://github.com/rubysec/ruby-advisory-db/archive/refs/heads/master.zip"], mirror: ["rubysec/"]),
            FeedSpec(name: "friendsofphp", urls: ["https://github.com/FriendsOfPHP/security-advisories/archive/refs/heads/master.zip"],
                     mirror: ["composer-friendsofphp/"]),
            FeedSpec(name: "nodejs-security-wg", urls: ["https://github.com/nodejs/security-wg/archive/refs/heads/main.zip"],
                     mirror: ["nodejs-security-wg/"]),
            // Red Hat publishes CSAF/VEX as one tar.zst; point `urls` at an unpacked copy to use it.
            FeedSpec(name: "redhat", urls: [], mirror: ["rhel-family-samples/csaf/", "rhel-family-samples/oval-cve/"]),
        ])
    }

    /// The defaults with `path`'s entries applied: a feed of the same name is overridden field by
    /// field, a new name is added; `defaults: false` starts from no feeds at all.
    public static func load(path: String, base: FeedsConfig = .defaults()) throws(FeedUpdateError) -> FeedsConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FeedUpdateError(.config, "\(path): cannot read feeds config")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FeedUpdateError(.config, "\(path): feeds config is not valid UTF-8")
        }
        return try parse(text, path: path, base: base)
    }

    /// Parses config text (see `load`); `path` names it in errors.
    public static func parse(_ text: String, path: String, base: FeedsConfig = .defaults()) throws(FeedUpdateError) -> FeedsConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw FeedUpdateError(.config, "\(path)\(describe(error))")
        } catch {
            throw FeedUpdateError(.config, "\(path): invalid YAML: \(error)")
        }
        guard let root else { return base }
        guard let top = root.mapping else { throw bad(path, root, "the feeds config must be a mapping with a `feeds:` list") }
        var config = base
        for (keyNode, value) in top {
            switch keyNode.string ?? "" {
            case "defaults":
                guard let flag = value.bool else { throw bad(path, value, "`defaults` must be true or false") }
                if !flag { config.feeds = [] }
            case "max-file-size": config.maxFileBytes = try size(value, path: path)
            case "max-total-size": config.maxTotalBytes = try size(value, path: path)
            case "max-files":
                guard let n = value.int, n > 0 else { throw bad(path, value, "`max-files` must be a positive integer") }
                config.maxFiles = n
            case "feeds": break
            default: throw bad(path, keyNode, "unknown key `\(keyNode.string ?? "?")` (expected feeds, defaults, max-file-size, max-total-size, max-files)")
            }
        }
        // `defaults: false` must take effect whatever its position, so feeds are applied last.
        if let feeds = top["feeds"] {
            guard let list = feeds.sequence else { throw bad(path, feeds, "`feeds` must be a list") }
            var seen = Set<String>()
            for entry in list {
                let spec = try feed(entry, path: path, base: config)
                guard seen.insert(spec.name).inserted else { throw bad(path, entry, "feed `\(spec.name)` is listed twice") }
                if let i = config.feeds.firstIndex(where: { $0.name == spec.name }) {
                    config.feeds[i] = spec
                } else {
                    config.feeds.append(spec)
                }
            }
        }
        return config
    }

    private static func feed(_ node: Node, path: String, base: FeedsConfig) throws(FeedUpdateError) -> FeedSpec {
        guard let map = node.mapping else { throw bad(path, node, "each feed must be a mapping with at least `name`") }
        guard let nameNode = map["name"], let name = nameNode.string, !name.isEmpty,
              name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }), !name.hasPrefix(".") else {
            throw bad(path, map["name"] ?? node, "a feed needs a `name` of letters, digits, `-`, `_` or `.`")
        }
        var spec = base.feeds.first(where: { $0.name == name }) ?? FeedSpec(name: name, urls: [])
        for (keyNode, value) in map {
            switch keyNode.string ?? "" {
            case "name": break
            case "url", "urls": spec.urls = try strings(value, path: path, key: keyNode.string ?? "urls")
            case "mirror": spec.mirror = try strings(value, path: path, key: "mirror")
            case "enabled":
                guard let flag = value.bool else { throw bad(path, value, "`enabled` must be true or false") }
                spec.enabled = flag
            case "format":
                guard let word = value.string else { throw bad(path, value, "`format` must be a string") }
                if word.isEmpty || word == "auto" {
                    spec.format = nil
                } else {
                    guard let format = FeedFormat(rawValue: word) else {
                        throw bad(path, value, "unknown format `\(word)` (one of: auto, \(FeedFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    spec.format = format
                }
            default:
                throw bad(path, keyNode, "unknown feed key `\(keyNode.string ?? "?")` (expected name, url, urls, mirror, format, enabled)")
            }
        }
        for url in spec.urls + spec.mirror where url.isEmpty {
            throw bad(path, node, "feed `\(name)` has an empty URL or mirror path")
        }
        for m in spec.mirror where m.hasPrefix("/") || m.split(separator: "/").contains("..") || m.contains("://") {
            throw bad(path, node, "feed `\(name)`: mirror path `\(m)` must be relative to the mirror, without `..`")
        }
        return spec
    }

    private static func strings(_ node: Node, path: String, key: String) throws(FeedUpdateError) -> [String] {
        if let s = node.scalar { return s.string.isEmpty ? [] : [s.string] }
        guard let list = node.sequence else { throw bad(path, node, "`\(key)` must be a string or a list of strings") }
        var out: [String] = []
        for item in list {
            guard let s = item.scalar?.string else { throw bad(path, item, "`\(key)` must be a string or a list of strings") }
            out.append(s)
        }
        return out
    }

    /// `512MiB`, `2GiB`, `100MB`, `4096` (bytes).
    static func size(_ node: Node, path: String) throws(FeedUpdateError) -> Int64 {
        guard let text = node.string?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            throw bad(path, node, "a size must look like 4096, 512MiB or 2GiB")
        }
        let units: [(String, Int64)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("KB", 1000), ("MB", 1_000_000),
                                        ("GB", 1_000_000_000), ("B", 1)]
        var number = text
        var factor: Int64 = 1
        for (suffix, f) in units where text.hasSuffix(suffix) {
            number = String(text.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            factor = f
            break
        }
        guard let n = Int64(number), n > 0, n <= Int64.max / factor else {
            throw bad(path, node, "a size must look like 4096, 512MiB or 2GiB (got `\(text)`)")
        }
        return n * factor
    }

    private static func bad(_ path: String, _ node: Node, _ message: String) -> FeedUpdateError {
        FeedUpdateError(.config, "\(path):\(node.mark?.line ?? 1): \(message)")
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return ":\(mark.line): invalid YAML: \(problem)"
        case let .duplicatedKeysInMapping(duplicates, context):
            return ":\(context.mark.line): invalid YAML: duplicate key(s) \(duplicates.joined(separator: ", "))"
        default:
            return ": invalid YAML: \(String(describing: error).split(separator: "\n").first ?? "")"
        }
    }

    /// The config as YAML, in the shape `load` reads (what `vigil db update --print-config` shows).
    public func yaml() -> String {
        var out = "# vigil db update feeds config. Entries override the built-in feeds by name;\n"
        out += "# `defaults: false` starts from none. See docs/vulndb.md.\n"
        out += "max-file-size: \(maxFileBytes)\nmax-total-size: \(maxTotalBytes)\nmax-files: \(maxFiles)\nfeeds:\n"
        func quote(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        for f in feeds {
            out += "  - name: \(f.name)\n"
            out += "    format: \(f.format?.rawValue ?? "auto")\n"
            if !f.enabled { out += "    enabled: false\n" }
            out += f.mirror.isEmpty ? "    mirror: []\n" : "    mirror:\n" + f.mirror.map { "      - \(quote($0))\n" }.joined()
            out += f.urls.isEmpty ? "    urls: []\n" : "    urls:\n" + f.urls.map { "      - \(quote($0))\n" }.joined()
        }
        return out
    }
}
