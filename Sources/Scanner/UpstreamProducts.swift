import Analyzers

/// Source-archive name → the NVD CPE vendor:product pairs that name the same software, for
/// matching `bash-4.3.tar.gz` against `cpe:2.3:a:gnu:bash` ranges. NVD renamed some vendors over
/// time (`nginx:nginx` → `f5:nginx`), so a name may map to several pairs; all are queried.
///
/// The table lists common upstreams built from source in Dockerfiles. A name not listed is tried
/// as `<name>:<name>` (NVD's convention for projects named after themselves: `openssl:openssl`,
/// `redis:redis`). Documented in docs/config-checks.md.
public enum UpstreamProducts {
    public static let table: [String: [(vendor: String, product: String)]] = [
        // GNU
        "bash": [("gnu", "bash")], "wget": [("gnu", "wget")], "tar": [("gnu", "tar")], "glibc": [("gnu", "glibc")],
        "coreutils": [("gnu", "coreutils")], "gzip": [("gnu", "gzip")], "make": [("gnu", "make")],
        "binutils": [("gnu", "binutils")], "gcc": [("gnu", "gcc")], "grep": [("gnu", "grep")], "patch": [("gnu", "patch")],
        "gnutls": [("gnu", "gnutls")], "libtasn1": [("gnu", "libtasn1")], "screen": [("gnu", "screen")],
        "wget2": [("gnu", "wget2")], "emacs": [("gnu", "emacs")], "cpio": [("gnu", "cpio")],
        // TLS, compression, network
        "openssl": [("openssl", "openssl")], "libressl": [("openbsd", "libressl")], "openssh": [("openbsd", "openssh")],
        "openssh-portable": [("openbsd", "openssh")], "curl": [("haxx", "curl")], "libcurl": [("haxx", "libcurl")],
        "zlib": [("zlib", "zlib")], "xz": [("tukaani", "xz")], "bzip2": [("bzip", "bzip2")], "libxml2": [("xmlsoft", "libxml2")],
        "libxslt": [("xmlsoft", "libxslt")], "expat": [("libexpat_project", "libexpat")], "libpng": [("libpng", "libpng")],
        "sudo": [("sudo_project", "sudo")], "busybox": [("busybox", "busybox")], "dnsmasq": [("thekelleys", "dnsmasq")],
        "bind": [("isc", "bind")], "ntp": [("ntp", "ntp")], "rsync": [("samba", "rsync")], "samba": [("samba", "samba")],
        // Servers and runtimes
        "nginx": [("f5", "nginx"), ("nginx", "nginx")], "httpd": [("apache", "http_server")],
        "apache-tomcat": [("apache", "tomcat")], "tomcat": [("apache", "tomcat")], "haproxy": [("haproxy", "haproxy")],
        "redis": [("redis", "redis")], "memcached": [("memcached", "memcached")], "postgresql": [("postgresql", "postgresql")],
        "mysql": [("oracle", "mysql")], "mariadb": [("mariadb", "mariadb")], "sqlite": [("sqlite", "sqlite")],
        "sqlite-autoconf": [("sqlite", "sqlite")], "node": [("nodejs", "node.js")], "python": [("python", "python")],
        "Python": [("python", "python")], "ruby": [("ruby-lang", "ruby")], "php": [("php", "php")], "perl": [("perl", "perl")],
        "go": [("golang", "go")], "git": [("git-scm", "git")], "lua": [("lua", "lua")], "imagemagick": [("imagemagick", "imagemagick")],
        "ImageMagick": [("imagemagick", "imagemagick")], "wordpress": [("wordpress", "wordpress")], "ffmpeg": [("ffmpeg", "ffmpeg")], "jq": [("jqlang", "jq"), ("jq_project", "jq")],
    ]

    /// The pairs to query for an archive's project name: the table's, joined with the products
    /// the binary classifier matches the same program as (`redis` is also `redislabs:redis`), so
    /// a Dockerfile that downloads `redis-5.0.3.tar.gz` predicts what a scan of the built binary
    /// reports. WordPress (`wordpress-4.6.1.tar.gz`) is `wordpress:wordpress`.
    public static func candidates(for name: String) -> [(vendor: String, product: String)] {
        let lower = name.lowercased()
        var pairs = table[name] ?? table[lower] ?? []
        let program = classifierNames[lower] ?? lower
        for p in BinaryClassifier.programs where p.name == program {
            for product in p.products where !pairs.contains(where: { $0 == (product.vendor, product.product) }) {
                pairs.append((product.vendor, product.product))
            }
        }
        return pairs.isEmpty ? [(lower, lower)] : pairs
    }

    /// Archive names whose classifier program is named differently (`httpd-2.4.23.tar.gz` → httpd,
    /// `node-v18.tar.gz` → node, `sqlite-autoconf-…` → sqlite, `Python-3.6.tgz` → python).
    static let classifierNames: [String: String] = ["sqlite-autoconf": "sqlite", "openssh-portable": "openssh", "redis-stable": "redis"]
}
