@testable import Analyzers
import ContainerImage
import Foundation
import ImageFixtures
import Testing

/// One test per program of ``BinaryClassifier`` on the real binary Debian 12 ships, unpacked by
/// `scripts/fetch-unmanaged-fixtures.sh` into `.build/unmanaged-fixtures/pkgs` (skipped when
/// absent). The expected version comes from the package's own control `Version`, not from the
/// binary: epoch, Debian revision and repack suffixes removed (`1:2.39.5-0+deb12u3` → `2.39.5`,
/// `3.1.7+really3.1.2-0+deb12u1` → `3.1.2`).
///
/// Debian builds `node` and `sqlite3` as thin front ends over `libnode.so` and `libsqlite3.so`,
/// and links `openssl` with `libcrypto.so`: the library is then the file that carries the
/// version, and is the file tested.
@Suite(.enabled(if: RealDebianPackages.available)) struct BinaryClassifierRealTests {
    static let packages = RealDebianPackages.path

    /// `1:2.39.5-0+deb12u3` → `2.39.5`.
    static func upstream(_ debianVersion: String) -> String {
        var v = Substring(debianVersion.trimmingCharacters(in: .whitespacesAndNewlines))
        if let colon = v.firstIndex(of: ":") { v = v[v.index(after: colon)...] }
        if let dash = v.lastIndex(of: "-") { v = v[..<dash] }
        if let really = v.range(of: "+really") { v = v[really.upperBound...] }
        if let plus = v.firstIndex(of: "+") { v = v[..<plus] }
        if let tilde = v.firstIndex(of: "~") { v = v[..<tilde] }
        return String(v)
    }

    @Test(arguments: [
        ("php", "php8.2-cli", "usr/bin/php8.2", "usr/local/bin/php"),
        ("php", "php8.2-fpm", "usr/sbin/php-fpm8.2", "usr/local/sbin/php-fpm"),
        ("php", "libapache2-mod-php8.2", "usr/lib/apache2/modules/libphp8.2.so", "usr/local/apache2/modules/libphp8.2.so"),
        ("httpd", "apache2-bin", "usr/sbin/apache2", "usr/local/apache2/bin/httpd"),
        ("nginx", "nginx", "usr/sbin/nginx", "usr/local/nginx/sbin/nginx"),
        ("redis", "redis-tools", "usr/bin/redis-check-rdb", "usr/local/bin/redis-server"),
        ("openssl", "openssl", "usr/bin/openssl", "usr/local/ssl/bin/openssl"),
        ("openssl", "libssl3", "usr/lib/x86_64-linux-gnu/libcrypto.so.3", "usr/local/ssl/lib/libcrypto.so.3"),
        ("bash", "bash", "bin/bash", "usr/local/bin/bash"),
        ("busybox", "busybox", "bin/busybox", "usr/local/bin/busybox"),
        ("node", "libnode108", "usr/lib/x86_64-linux-gnu/libnode.so.108", "usr/local/lib/libnode.so.108"),
        ("python", "python3.11-minimal", "usr/bin/python3.11", "usr/local/bin/python3.11"),
        ("python", "libpython3.11", "usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0", "usr/local/lib/libpython3.11.so.1.0"),
        ("perl", "perl-base", "usr/bin/perl", "usr/local/bin/perl"),
        ("ruby", "libruby3.1", "usr/lib/x86_64-linux-gnu/libruby-3.1.so.3.1.2", "usr/local/lib/libruby-3.1.so.3.1"),
        ("curl", "curl", "usr/bin/curl", "usr/local/bin/curl"),
        ("curl", "libcurl4", "usr/lib/x86_64-linux-gnu/libcurl.so.4.8.0", "usr/local/lib/libcurl.so.4"),
        ("sqlite", "libsqlite3-0", "usr/lib/x86_64-linux-gnu/libsqlite3.so.0.8.6", "usr/local/lib/libsqlite3.so.0"),
        ("postgresql", "postgresql-15", "usr/lib/postgresql/15/bin/postgres", "usr/local/pgsql/bin/postgres"),
        ("mariadb", "mariadb-server-core", "usr/sbin/mariadbd", "usr/local/mysql/bin/mariadbd"),
        ("haproxy", "haproxy", "usr/sbin/haproxy", "usr/local/sbin/haproxy"),
        ("memcached", "memcached", "usr/bin/memcached", "usr/local/bin/memcached"),
        ("git", "git", "usr/bin/git", "usr/local/bin/git"),
    ])
    func realDebianBinary(program: String, package: String, source: String, installedAs: String) throws {
        let expected = Self.upstream(try String(contentsOfFile: Self.packages + "/\(package).version", encoding: .utf8))
        // A root filesystem with the binary copied (hard-linked: same bytes) outside any package manager.
        let scratch = ScratchDirectory()
        let target = scratch.path + "/root/" + installedAs
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if link(Self.packages + "/\(package)/" + source, target) != 0 {
            try FileManager.default.copyItem(atPath: Self.packages + "/\(package)/" + source, toPath: target)
        }
        let inventory = try InventoryBuilder.build(DirectoryFileSystem(root: scratch.path + "/root", request: InventoryBuilder.request))
        #expect(inventory.unmanaged.map { "\($0.name) \($0.version) \($0.path)" } == ["\(program) \(expected) \(installedAs)"])
        #expect(inventory.warnings.isEmpty)
    }

    /// The Debian `node` and `sqlite3` front ends carry no version of their own: nothing is reported
    /// for them rather than a guess.
    @Test(arguments: [("nodejs", "usr/bin/node", "usr/local/bin/node"), ("sqlite3", "usr/bin/sqlite3", "usr/local/bin/sqlite3")])
    func frontEndWithoutVersionIsNotGuessed(package: String, source: String, installedAs: String) throws {
        // fetch-unmanaged-fixtures.sh notes a package apt cannot download here (a machine whose
        // nodejs comes from another repository); that case is reported, not failed
        guard FileManager.default.fileExists(atPath: Self.packages + "/\(package)/" + source) else {
            withKnownIssue("\(package) was not downloadable by apt on this machine") { throw CocoaError(.fileNoSuchFile) }
            return
        }
        let scratch = ScratchDirectory()
        let target = scratch.path + "/root/" + installedAs
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.packages + "/\(package)/" + source, toPath: target)
        let inventory = try InventoryBuilder.build(DirectoryFileSystem(root: scratch.path + "/root", request: InventoryBuilder.request))
        #expect(inventory.unmanaged.isEmpty)
    }
}

/// Where `scripts/fetch-unmanaged-fixtures.sh` unpacks the real Debian packages.
enum RealDebianPackages {
    static let path: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path + "/.build/unmanaged-fixtures/pkgs"
    }()

    static var available: Bool {
        let ok = FileManager.default.fileExists(atPath: path + "/bash.version")
        if !ok { print("skipping: run scripts/fetch-unmanaged-fixtures.sh for the real Debian binaries") }
        return ok
    }
}
