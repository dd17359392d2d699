/// The table of programs Vigil recognises in binaries that no package manager installed: one
/// entry per program, with the file names it goes by, the byte patterns that carry its version,
/// and the NVD CPE products and PURL name it is reported as.
///
/// The evidence is the kind syft's binary classifiers use, checked here against Debian 12's real
/// binaries (see Tests/AnalyzersTests/BinaryClassifierRealTests.swift). Only files whose base name
/// matches an entry's glob are read at all.
public struct BinaryClassifier: Sendable {
    /// One program.
    struct Entry: Sendable {
        /// The program's name in reports and PURLs (`php`, `httpd`).
        var name: String
        var globs: [BaseNameGlob]
        /// Tried in order; the first that matches anywhere in the file wins.
        var evidence: [VersionEvidence]
        /// Every CPE product NVD files this program under (nginx: `f5:nginx` and `nginx:nginx`).
        var products: [CPEProduct]
        /// NVD writes this program's last version component as the CPE update with this prefix
        /// (bash `5.2.15` is `5.2` update `patch15`).
        var patchAsUpdate: String? = nil
    }

    /// Binaries above this size are not read (a 2 GB file named `php` is not PHP): a warning says so.
    public static let maxFileSize = 512 << 20
    /// Longest run of version characters accepted after a literal (a 10 MB "version" is refused).
    static let maxVersionLength = 48

    /// `php`, `php5`, `php7.4`, `php8.10`, the same for `php-fpm` and `php-cgi`, and `libphp*.so`
    /// (not `php*`: `php8.2-cli.list` and `phpize` are not PHP).
    static let phpGlobs: [BaseNameGlob] = {
        var names: [String] = []
        for base in ["php", "php-fpm", "php-cgi"] {
            names += [base, base + "[0-9]", base + "[0-9].[0-9]", base + "[0-9].[0-9][0-9]"]
        }
        return (names + ["libphp*.so"]).map(BaseNameGlob.init)
    }()

    static let entries: [Entry] = [
        Entry(name: "php", globs: phpGlobs,
              evidence: [VersionEvidence("X-Powered-By: PHP/")], products: [CPEProduct("php", "php")]),
        Entry(name: "httpd", globs: ["httpd", "apache2"].map(BaseNameGlob.init),
              evidence: [VersionEvidence("Apache/", terminators: " \0")], products: [CPEProduct("apache", "http_server")]),
        Entry(name: "nginx", globs: ["nginx"].map(BaseNameGlob.init),
              evidence: [VersionEvidence("nginx version: nginx/"), VersionEvidence("nginx/", terminators: "\0 \n\r")],
              products: [CPEProduct("f5", "nginx"), CPEProduct("nginx", "nginx")]),
        Entry(name: "redis", globs: ["redis-server"].map(BaseNameGlob.init),
              evidence: [VersionEvidence("", anchor: .buildID)], products: [CPEProduct("redis", "redis"), CPEProduct("redislabs", "redis")]),
        Entry(name: "openssl", globs: ["openssl", "libcrypto.so*", "libssl.so*"].map(BaseNameGlob.init),
              evidence: [VersionEvidence("OpenSSL ", letterSuffix: true, terminators: " ")], products: [CPEProduct("openssl", "openssl")]),
        Entry(name: "bash", globs: ["bash"].map(BaseNameGlob.init),
              evidence: [VersionEvidence("@(#)Bash version ", minComponents: 2, terminators: "(")], products: [CPEProduct("gnu", "bash")],
              patchAsUpdate: "patch"),
        Entry(name: "busybox", globs: ["busybox"].map(BaseNameGlob.init),
              evidence: [VersionEvidence("BusyBox v", terminators: " \0")], products: [CPEProduct("busybox", "busybox")]),
        Entry(name: "node", globs: ["node", "nodejs", "libnode.so*"].map(BaseNameGlob.init),
              evidence: [VersionEvidence("node.js/v")], products: [CPEProduct("nodejs", "node.js")]),
        Entry(name: "python", globs: ["python[23].[0-9]*", "libpython[23].[0-9]*.so*"].map(BaseNameGlob.init),
              evidence: [VersionEvidence("\0", headFromName: true, terminators: "\0")], products: [CPEProduct("python", "python")]),
        Entry(name: "perl", globs: ["perl", "perl5*", "libperl.so*"].map(BaseNameGlob.init),
              evidence: [VersionEvidence("\0v", head: "5.", terminators: "\0")], products: [CPEProduct("perl", "perl")]),
        Entry(name: "ruby", globs: ["ruby", "ruby[0-9]*", "libruby*.so*"].map(BaseNameGlob.init),
              evidence: [VersionEvidence("ruby ", terminators: "p (")], products: [CPEProduct("ruby-lang", "ruby")]),
        Entry(name: "curl", globs: ["curl", "libcurl.so*"].map(BaseNameGlob.init),
              evidence: [VersionEvidence("curl/", terminators: "\0 ")], products: [CPEProduct("haxx", "curl")]),
        Entry(name: "sqlite", globs: ["sqlite3", "libsqlite3.so*"].map(BaseNameGlob.init),
              evidence: [VersionEvidence("\0", head: "3.", terminators: "\0")], products: [CPEProduct("sqlite", "sqlite")]),
        Entry(name: "postgresql", globs: ["postgres"].map(BaseNameGlob.init),
              evidence: [VersionEvidence("(PostgreSQL) ", minComponents: 2)], products: [CPEProduct("postgresql", "postgresql")]),
        Entry(name: "mariadb", globs: ["mariadbd", "mysqld"].map(BaseNameGlob.init),
              evidence: [VersionEvidence("-MariaDB\0", anchor: .after)], products: [CPEProduct("mariadb", "mariadb")]),
        Entry(name: "haproxy", globs: ["haproxy"].map(BaseNameGlob.init),
              evidence: [VersionEvidence(" version ", minComponents: 2, confirm: ", released ")], products: [CPEProduct("haproxy", "haproxy")]),
        Entry(name: "memcached", globs: ["memcached"].map(BaseNameGlob.init),
              evidence: [VersionEvidence("memcached ", terminators: "\0\n")], products: [CPEProduct("memcached", "memcached")]),
        Entry(name: "git", globs: ["git"].map(BaseNameGlob.init),
              evidence: [VersionEvidence("git/", terminators: "\0")], products: [CPEProduct("git-scm", "git")]),
    ]

    /// Every program the classifier recognises with the NVD products it is matched as, so other
    /// engines (source-archive predictions of `vigil config`) name the same products.
    public static var programs: [(name: String, products: [CPEProduct])] { entries.map { ($0.name, $0.products) } }

    /// Globs by the first byte of their literal prefix (every glob here starts with a literal),
    /// so the per-file test looks at a handful of globs, not the whole table.
    static let globsByFirstByte: [[(glob: BaseNameGlob, entry: Int)]] = {
        var buckets = [[(glob: BaseNameGlob, entry: Int)]](repeating: [], count: 256)
        for (index, entry) in entries.enumerated() {
            for glob in entry.globs {
                guard let first = glob.literalPrefix.first else { preconditionFailure("glob \(glob) must start with a literal") }
                buckets[Int(first)].append((glob, index))
            }
        }
        return buckets
    }()

    /// The entry whose glob matches `baseName`.
    static func entry(forBaseName baseName: Substring) -> Int? {
        guard let first = baseName.utf8.first else { return nil }
        for candidate in globsByFirstByte[Int(first)] where candidate.glob.matches(baseName.utf8) { return candidate.entry }
        return nil
    }
}
