@testable import Analyzers
import ContainerImage
import Foundation
import ImageFixtures
import Testing

/// The classifier's byte matching on small synthetic inputs: chunk boundaries, shapes that must
/// be refused, hostile sizes. Real binaries are in BinaryClassifierRealTests.
@Suite struct BinaryClassifierTests {
    /// Streams `bytes` through the reader for `path` in chunks of `chunk` bytes.
    static func sample(_ path: String, _ bytes: [UInt8], chunk: Int = 7) -> String {
        guard var reader = BinarySampler().reader(for: path, size: bytes.count) else { return "not a candidate" }
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunk)
            let more = bytes[offset..<end].withUnsafeBytes { reader.consume($0) }
            offset = end
            if !more { break }
        }
        return String(decoding: reader.finish(), as: UTF8.self)
    }

    /// `text` inside ELF-looking filler; `|` stands for a NUL byte.
    static func elfLike(_ text: String) -> [UInt8] {
        [0x7F, 0x45, 0x4C, 0x46] + [UInt8](repeating: 0, count: 300) + text.utf8.map { $0 == UInt8(ascii: "|") ? 0 : $0 } + [0]
            + [UInt8](repeating: 0xAA, count: 300)
    }

    @Test(arguments: [
        ("usr/local/bin/php", "X-Powered-By: PHP/5.6.28", "M\tphp\t5.6.28"),
        ("usr/local/lib/php/libphp7.so", "X-Powered-By: PHP/7.0.33", "M\tphp\t7.0.33"),
        ("usr/local/sbin/php-fpm", "X-Powered-By: PHP/8.1.2", "M\tphp\t8.1.2"),
        ("usr/local/apache2/bin/httpd", "Apache/2|Apache/2.4|Apache/2.4.23 (Unix)", "M\thttpd\t2.4.23"),
        ("usr/sbin/nginx", "nginx version: nginx/1.10.3\n", "M\tnginx\t1.10.3"),
        ("usr/local/ssl/bin/openssl", "OpenSSL 1.0.2k  26 Jan 2017", "M\topenssl\t1.0.2k"),
        ("usr/local/bin/bash", "@(#)Bash version 4.3.30(1) release GNU", "M\tbash\t4.3.30"),
        ("opt/mariadb/bin/mysqld", "|-0+deb9u1|10.1.48-MariaDB|x86_64", "M\tmariadb\t10.1.48"),
        ("usr/local/sbin/haproxy", " version 1.7.5-2, released 2017/05/17", "M\thaproxy\t1.7.5"),
        ("usr/local/bin/python3.6", "|pymalloc|3.6.15|strict|3.2.0|", "M\tpython\t3.6.15"),
        ("usr/local/bin/redis-server", "|err|3.2.9|c11|3.2.0|A3.2.9buildhost-1496000000000000000|", "M\tredis\t3.2.9"),
    ])
    func matchesAcrossChunkBoundaries(path: String, text: String, expected: String) {
        for chunk in [1, 5, 64, 1 << 16] {
            #expect(Self.sample(path, Self.elfLike(text), chunk: chunk) == expected, "chunk \(chunk)")
        }
    }

    @Test(arguments: [
        ("usr/local/bin/php", "X-Powered-By: PHP/%s"),
        ("usr/local/apache2/bin/httpd", "Apache/2.4"),
        ("usr/sbin/nginx", "nginx version: nginx/"),
        ("usr/local/bin/python3.6", "|3.2.0|"),
        ("usr/local/bin/redis-server", "|3.2.9|"),
        ("usr/bin/perl", "|v6.1.0|"),
    ])
    func noVersionWithoutItsShape(path: String, text: String) {
        #expect(Self.sample(path, Self.elfLike(text)) == "")
    }

    @Test func namesDecideWhatIsRead() {
        #expect(BinarySampler().reader(for: "usr/share/doc/php/README", size: 10) == nil)
        #expect(BinaryClassifier.entry(forBaseName: "phpize") == nil)
        #expect(BinaryClassifier.entry(forBaseName: "php8.2-cli.list") == nil)
        #expect(BinaryClassifier.entry(forBaseName: "php-fpm7.4").map { BinaryClassifier.entries[$0].name } == "php")
        #expect(BinaryClassifier.entry(forBaseName: "libssl.so.1.1").map { BinaryClassifier.entries[$0].name } == "openssl")
        #expect(BinaryClassifier.entry(forBaseName: "libphp8.2.so").map { BinaryClassifier.entries[$0].name } == "php")
        #expect(BinaryClassifier.entry(forBaseName: "python3").map { BinaryClassifier.entries[$0].name } == nil)
    }

    @Test func tenMegabyteVersionIsRefusedWithAWarning() {
        var bytes = Array("X-Powered-By: PHP/".utf8) + [UInt8](repeating: UInt8(ascii: "9"), count: 10 << 20) + [0]
        bytes += Array("X-Powered-By: PHP/5.6.28\0".utf8)
        let sample = Self.sample("usr/local/bin/php", bytes, chunk: 1 << 18)
        #expect(sample == "M\tphp\t5.6.28\nW\tusr/local/bin/php: version text after 'X-Powered-By: PHP/' is longer than 48 bytes; ignored")
    }

    @Test func twoGigabyteSparsePhpIsNotReadAndSaysSo() throws {
        let scratch = ScratchDirectory()
        let dir = scratch.path + "/root/usr/local/bin"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let fd = open(dir + "/php", O_CREAT | O_WRONLY, 0o755)
        #expect(ftruncate(fd, 2 << 30) == 0)
        close(fd)
        let inventory = try InventoryBuilder.build(DirectoryFileSystem(root: scratch.path + "/root", request: InventoryBuilder.request))
        #expect(inventory.unmanaged.isEmpty)
        #expect(inventory.warnings == ["usr/local/bin/php: 2147483648 bytes, larger than the 512 MiB limit for a 'php' binary; not classified"])
    }

    @Test func ownedByDpkgUnderMergedUsrIsNotReported() throws {
        var base = TarBuilder()
        base.file("usr/bin/bash", Self.elfLike("@(#)Bash version 5.2.15(1) release GNU"), mode: 0o755)
        base.symlink("bin", to: "usr/bin")
        base.file("var/lib/dpkg/info/bash.list", text: "/.\n/bin\n/bin/bash\n")
        var local = TarBuilder()
        local.file("usr/local/bin/bash", Self.elfLike("@(#)Bash version 4.3.30(1) release GNU"), mode: 0o755)
        let inventory = try WordPressDetectionTests.inventory([base, local])
        #expect(inventory.unmanaged.map { "\($0.path) \($0.version) \($0.cpeVersion) \($0.cpeUpdate)" } == ["usr/local/bin/bash 4.3.30 4.3 patch30"])
    }

    /// A package list whose name looks like a program (`php8.2-cli.list`) is still read as a list.
    @Test func listNamedLikeAProgramStillOwnsItsFiles() throws {
        var tar = TarBuilder()
        tar.file("usr/bin/php8.2", Self.elfLike("X-Powered-By: PHP/8.2.36"), mode: 0o755)
        tar.file("var/lib/dpkg/info/php8.2-cli.list", text: "/.\n/usr/bin\n/usr/bin/php8.2\n")
        #expect(try WordPressDetectionTests.inventory([tar]).unmanaged.isEmpty)
    }

    @Test func apkOwnedFilesAreNotReported() throws {
        var tar = TarBuilder()
        tar.file("lib/apk/db/installed", text: "P:busybox\nV:1.30.1-r3\nF:bin\nR:busybox\n\n")
        tar.file("etc/alpine-release", text: "3.10.4\n")
        tar.file("bin/busybox", Self.elfLike("BusyBox v1.30.1 (2019-10-26 11:23:07 UTC)"), mode: 0o755)
        tar.file("opt/bb/busybox", Self.elfLike("BusyBox v1.30.1 (2019-10-26 11:23:07 UTC)"), mode: 0o755)
        let inventory = try WordPressDetectionTests.inventory([tar])
        #expect(inventory.unmanaged.map(\.path) == ["opt/bb/busybox"])
    }

    @Test(arguments: [("php", "php", true), ("php[0-9].[0-9]", "php8.2", true), ("php[0-9]", "phpize", false),
                      ("libphp*.so", "libphp8.2.so", true), ("libphp*.so", "libphp8.2.so.1", false), ("libcrypto.so*", "libcrypto.so.3", true),
                      ("python[23].[0-9]*", "python3.11", true), ("python[23].[0-9]*", "python3", false), ("a?c", "abc", true)])
    func globs(pattern: String, name: String, matches: Bool) {
        #expect(BaseNameGlob(pattern).matches(name[...].utf8) == matches)
    }
}
