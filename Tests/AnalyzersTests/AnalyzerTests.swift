@testable import Analyzers
import ContainerImage
import Foundation
import GRDB
import ImageFixtures
import Testing

/// A filesystem view over files in memory (one layer).
struct MemoryFS: FileSystemView {
    var files: [String: String]
    func file(at path: String) throws(ContainerImageError) -> FoundFile? {
        files[path].map { FoundFile(path: path, bytes: Array($0.utf8), layer: 0) }
    }
    func files(in directory: String) throws(ContainerImageError) -> [FoundFile] {
        files.keys.filter { ArchivePath.split($0).parent == directory }.sorted().compactMap { try? file(at: $0) }
    }
    func history(of path: String) throws(ContainerImageError) -> [FoundFile] {
        try file(at: path).map { [$0] } ?? []
    }
    func files(matching patterns: [FileNamePattern]) throws(ContainerImageError) -> [FoundFile] {
        files.keys.filter { path in patterns.contains { $0.matches(path) } }.sorted().compactMap { try? file(at: $0) }
    }
}

@Suite struct DpkgAnalyzerTests {
    static let status = """
        Package: libc6
        Status: install ok installed
        Architecture: amd64
        Source: glibc
        Version: 2.36-9+deb12u4
        Description: GNU C Library
         multi-line description
         .
         more

        Package: bsdutils
        Status: install ok installed
        Architecture: amd64
        Source: util-linux (2.38.1-5)
        Version: 1:2.38.1-5+b1

        Package: removed-pkg
        Status: deinstall ok config-files
        Version: 1.0-1

        Package: wget
        Status: install ok installed
        Version: 1.16-1
        """

    @Test func parsesInstalledPackagesWithSources() throws {
        let pkgs = try DpkgAnalyzer.parse(Array(Self.status.utf8), path: "var/lib/dpkg/status")
        #expect(pkgs.map(\.name) == ["libc6", "bsdutils", "wget"])
        #expect(pkgs[0].sourceName == "glibc")
        #expect(pkgs[0].sourceVersion == "2.36-9+deb12u4")
        #expect(pkgs[1].sourceName == "util-linux")
        #expect(pkgs[1].sourceVersion == "2.38.1-5")
        #expect(pkgs[1].epoch == 1)
        #expect(pkgs[1].upstreamVersion == "2.38.1")
        #expect(pkgs[1].release == "5+b1")
        #expect(pkgs[2].sourceName == "wget")
    }

    @Test func malformedLineNamesFileAndLine() {
        let e = #expect(throws: AnalyzerError.self) {
            _ = try DpkgAnalyzer.parse(Array("Package: a\nVersion: 1\nthis is not a field\n".utf8), path: "var/lib/dpkg/status")
        }
        #expect(e?.description == "var/lib/dpkg/status: line 3: expected 'Field: value', got 'this is not a field'")
    }

    @Test func statusDirectoryOfDistroless() throws {
        let fs = MemoryFS(files: [
            "var/lib/dpkg/status.d/base": "Package: base-files\nVersion: 12.4\nArchitecture: amd64\n",
            "var/lib/dpkg/status.d/base.md5sums": "abc  etc/issue\n",
            "var/lib/dpkg/status.d/tzdata": "Package: tzdata\nVersion: 2024a-0+deb12u1\n",
        ])
        #expect(try DpkgAnalyzer.analyze(fs).map(\.name) == ["base-files", "tzdata"])
    }
}

@Suite struct ApkAnalyzerTests {
    static let installed = """
        C:Q1abc=
        P:libssl1.1
        V:1.1.1c-r0
        A:x86_64
        L:OpenSSL
        o:openssl
        m:Timo Teras <timo.teras@iki.fi>

        P:musl
        V:1.1.22-r3
        A:x86_64
        L:MIT
        o:musl

        """

    @Test func parsesOriginAndLicense() throws {
        let pkgs = try ApkAnalyzer.parse(Array(Self.installed.utf8), path: "lib/apk/db/installed")
        #expect(pkgs.count == 2)
        #expect(pkgs[0].name == "libssl1.1")
        #expect(pkgs[0].sourceName == "openssl")
        #expect(pkgs[0].version == "1.1.1c-r0")
        #expect(pkgs[0].licenses == ["OpenSSL"])
        #expect(pkgs[1].sourceName == "musl")
    }

    @Test func recordWithoutVersionIsAnError() {
        let e = #expect(throws: AnalyzerError.self) {
            _ = try ApkAnalyzer.parse(Array("P:foo\nA:x86_64\n\nP:bar\nV:1-r0\n".utf8), path: "lib/apk/db/installed")
        }
        #expect(e?.description.contains("line 1") == true)
        #expect(e?.description.contains("'foo'") == true)
    }
}

@Suite struct OSDetectorTests {
    @Test(arguments: [
        (["etc/alpine-release": "3.10.4\n", "etc/os-release": "ID=alpine\nVERSION_ID=3.10.4\n"], "alpine", "3.10.4", "3.10"),
        (["etc/os-release": "ID=debian\nVERSION_ID=\"12\"\n", "etc/debian_version": "12.5\n"], "debian", "12.5", "12"),
        (["etc/debian_version": "8.11\n"], "debian", "8.11", "8"),
        (["etc/lsb-release": "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=14.04\n", "etc/debian_version": "jessie/sid\n"], "ubuntu", "14.04", "14.04"),
        (["usr/lib/os-release": "NAME=\"Ubuntu\"\nID=ubuntu\nVERSION_ID=\"18.04\"\n"], "ubuntu", "18.04", "18.04"),
        (["etc/redhat-release": "CentOS Linux release 7.6.1810 (Core)\n"], "centos", "7.6.1810", "7"),
        (["etc/os-release": "ID=mariner\nVERSION_ID=\"2.0\"\n"], "cbl-mariner", "2.0", "2.0"),
    ])
    func detects(files: [String: String], family: String, name: String, release: String) throws {
        let os = try #require(try OSDetector.detect(MemoryFS(files: files)))
        #expect(os.family == family)
        #expect(os.name == name)
        #expect(os.advisoryRelease == release)
    }

    @Test func endOfLifeFlag() throws {
        let now = ISO8601DateFormatter().date(from: "2026-01-01T00:00:00Z")!
        let old = try OSDetector.detect(MemoryFS(files: ["etc/alpine-release": "3.10.4"]), now: now)
        #expect(old?.endOfLife == true)
        #expect(old?.endOfLifeDate == "2021-05-01")
        let current = try OSDetector.detect(MemoryFS(files: ["etc/os-release": "ID=debian\nVERSION_ID=\"12\"\n", "etc/debian_version": "12.5"]), now: now)
        #expect(current?.endOfLife == false)
    }

    @Test func nothingDetected() throws {
        #expect(try OSDetector.detect(MemoryFS(files: [:])) == nil)
    }
}

@Suite struct RpmHeaderTests {
    /// Builds a header blob with string and int32 entries.
    static func blob(strings: [UInt32: String], ints: [UInt32: Int]) -> [UInt8] {
        var store: [UInt8] = []
        var index: [(UInt32, UInt32, UInt32, UInt32)] = []
        for (tag, value) in strings.sorted(by: { $0.key < $1.key }) {
            index.append((tag, 6, UInt32(store.count), 1))
            store += Array(value.utf8) + [0]
        }
        for (tag, value) in ints.sorted(by: { $0.key < $1.key }) {
            while store.count % 4 != 0 { store.append(0) }
            index.append((tag, 4, UInt32(store.count), 1))
            store += [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
        }
        func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        var out = be(UInt32(index.count)) + be(UInt32(store.count))
        for e in index { out += be(e.0) + be(e.1) + be(e.2) + be(e.3) }
        return out + store
    }

    @Test func readsTags() throws {
        let b = Self.blob(strings: [1000: "openssl-libs", 1001: "1.0.2k", 1002: "16.el7", 1022: "x86_64", 1044: "openssl-1.0.2k-16.el7.src.rpm"],
                          ints: [1003: 1])
        let h = try RpmHeader(b, context: "test")
        #expect(h.string(RpmHeader.Tag.name) == "openssl-libs")
        #expect(h.int(RpmHeader.Tag.epoch) == 1)
        #expect(RpmAnalyzer.parseSourceRPM("openssl-1.0.2k-16.el7.src.rpm")! == ("openssl", "1.0.2k", "16.el7"))
    }

    @Test func truncatedHeaderIsAnError() {
        let b = Self.blob(strings: [1000: "bash"], ints: [:])
        #expect(throws: AnalyzerError.self) { _ = try RpmHeader(Array(b.prefix(b.count - 3)), context: "test") }
    }

    @Test func sqliteDatabaseFromMemory() throws {
        // A real SQLite file in rpm's layout, made with GRDB through the analyzer's own reader.
        let path = NSTemporaryDirectory() + "rpmdb-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let blob = Self.blob(strings: [1000: "bash", 1001: "5.1.8", 1002: "1.cm2", 1022: "x86_64", 1044: "bash-5.1.8-1.cm2.src.rpm"], ints: [:])
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)")
            try db.execute(sql: "INSERT INTO Packages (blob) VALUES (?)", arguments: [Data(blob)])
            try db.execute(sql: "INSERT INTO Packages (blob) VALUES (?)", arguments: [Data(Self.blob(strings: [1000: "gpg-pubkey", 1001: "1"], ints: [:]))])
        }
        try queue.close()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let pkgs = try RpmAnalyzer.parseDatabase(bytes, path: path)
        #expect(pkgs.count == 1)
        #expect(pkgs[0].version == "5.1.8-1.cm2")
        #expect(pkgs[0].sourceName == "bash")
    }

    @Test func notSQLite() {
        #expect(throws: AnalyzerError.self) { _ = try RpmAnalyzer.parseDatabase([UInt8](repeating: 1, count: 200), path: "rpmdb.sqlite") }
    }
}

@Suite struct LayerAttributionTests {
    @Test func packageKeepsTheLayerOfItsCurrentVersion() throws {
        func status(_ pkgs: [(String, String)]) -> String {
            pkgs.map { "Package: \($0.0)\nStatus: install ok installed\nVersion: \($0.1)\n" }.joined(separator: "\n")
        }
        var l0 = TarBuilder(), l1 = TarBuilder(), l2 = TarBuilder()
        l0.file("etc/debian_version", text: "12.5\n")
        l0.file("var/lib/dpkg/status", text: status([("a", "1.0-1"), ("b", "2.0-1")]))
        l1.file("var/lib/dpkg/status", text: status([("a", "1.0-1"), ("b", "2.0-2"), ("c", "3.0-1")]))
        l2.file("usr/bin/unrelated", text: "x")
        let dir = NSTemporaryDirectory() + "vigil-attr-" + UUID().uuidString + ".tar"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        FileManager.default.createFile(atPath: dir, contents: Data(ImageArchiveBuilder(layers: [l0.finished(), l1.finished(), l2.finished()]).dockerArchive()))
        let image = try ImageLoader(request: InventoryBuilder.request).load(path: dir)
        let inv = try InventoryBuilder.build(image.fileSystem)
        let layers = Dictionary(uniqueKeysWithValues: inv.packages.map { ($0.name, $0.layer) })
        #expect(layers == ["a": 0, "b": 1, "c": 1])
    }
}

@Suite struct HostileDatabaseTests {
    @Test func crlfStatusAndInstalledFiles() throws {
        let status = "Package: a\r\nStatus: install ok installed\r\nVersion: 1.0-1\r\n\r\nPackage: b\r\nStatus: install ok installed\r\nVersion: 2.0-1\r\n"
        #expect(try DpkgAnalyzer.parse(Array(status.utf8), path: "s").map(\.version) == ["1.0-1", "2.0-1"])
        let installed = "P:musl\r\nV:1.2.4-r2\r\no:musl\r\n\r\nP:zlib\r\nV:1.3-r0\r\n"
        #expect(try ApkAnalyzer.parse(Array(installed.utf8), path: "i").map(\.name) == ["musl", "zlib"])
    }

    @Test func rpmPackagesViewIsRefused() throws {
        let path = NSTemporaryDirectory() + "rpmview-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                CREATE VIEW Packages AS WITH RECURSIVE r(hnum, blob) AS (SELECT 1, x'00' UNION ALL SELECT hnum + 1, x'00' FROM r)
                SELECT hnum, blob FROM r
                """)
        }
        try queue.close()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let e = #expect(throws: AnalyzerError.self) { _ = try RpmAnalyzer.parseDatabase(bytes, path: "var/lib/rpm/rpmdb.sqlite") }
        #expect(e?.description == "var/lib/rpm/rpmdb.sqlite: Packages is a view, not a table")
    }
}
