import Analyzers
import ContainerImage
import Foundation
import ImageFixtures
import Testing
import TestSupport

/// Builds real root filesystems, `docker save` archives and OCI layouts from the real package
/// databases in `../shared/data/inventories`, scans each, and checks OS and packages one by one
/// against an independent oracle (dpkg-query, the inventory's own package list).
@Suite(.enabled(if: SharedData.available)) struct InventoryImageTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// Files to place in the image: path in image → shared path or literal text.
        var files: [(String, Source)]
        var family: String
        var osName: String
        var testDescription: String { name }
    }

    enum Source: Sendable {
        case shared(String)
        case text(String)
    }

    static let cases: [Case] = [
        Case(name: "debian-12", files: [
            ("var/lib/dpkg/status", .shared("data/inventories/debian-12/status")),
            ("usr/lib/os-release", .shared("data/inventories/debian-12/os-release")),
            ("etc/debian_version", .shared("data/inventories/debian-12/debian_version")),
        ], family: "debian", osName: "12.15"),
        Case(name: "debian-12-extended", files: [
            ("var/lib/dpkg/status", .shared("data/inventories/debian-12-extended/status")),
            ("etc/os-release", .shared("data/inventories/debian-12-extended/os-release")),
        ], family: "debian", osName: "12"),
        Case(name: "ubuntu-18.04", files: [
            ("var/lib/dpkg/status", .shared("data/inventories/ubuntu-18.04/status")),
            ("etc/lsb-release", .text("DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=18.04\nDISTRIB_CODENAME=bionic\n")),
        ], family: "ubuntu", osName: "18.04"),
        Case(name: "alpine-3.16", files: [
            ("lib/apk/db/installed", .shared("data/inventories/alpine-3.16-syft/installed")),
            ("etc/os-release", .shared("data/inventories/alpine-os-release/os-release-3.16")),
        ], family: "alpine", osName: "3.16.0"),
        Case(name: "alpine-3.19", files: [
            ("lib/apk/db/installed", .shared("data/inventories/alpine-3.19-syft/installed")),
            ("etc/alpine-release", .text("3.19.1\n")),
        ], family: "alpine", osName: "3.19.1"),
        Case(name: "cbl-mariner-2.0", files: [
            ("var/lib/rpm/rpmdb.sqlite", .shared("data/inventories/rpm/cbl-mariner-2.0/rpmdb.sqlite")),
            ("etc/os-release", .text("NAME=\"Common Base Linux Mariner\"\nID=mariner\nVERSION_ID=\"2.0\"\n")),
        ], family: "cbl-mariner", osName: "2.0"),
    ]

    func contents(_ c: Case) throws -> [(String, [UInt8])] {
        try c.files.map { path, source in
            switch source {
            case .shared(let rel): return (path, try SharedData.bytes(rel))
            case .text(let t): return (path, Array(t.utf8))
            }
        }
    }

    /// "name version source-name source-version" lines, the oracle's shape.
    func lines(_ inventory: Inventory) -> [String] {
        inventory.packages.map { "\($0.name) \($0.version) \($0.sourceName) \($0.sourceVersion)" }.sorted()
    }

    /// The expected package list, from a tool that is not Vigil.
    func oracle(_ c: Case, scratch: ScratchDirectory) throws -> [String] {
        if c.family == "debian" || c.family == "ubuntu" {
            let status = try contents(c).first { $0.0 == "var/lib/dpkg/status" }!.1
            let admin = scratch.write("admin/status", status)
            let run = try Run.program("/usr/bin/dpkg-query", [
                "--admindir=" + (admin as NSString).deletingLastPathComponent, "-W",
                "-f=${db:Status-Status} ${Package} ${Version} ${source:Package} ${source:Version}\n",
            ])
            #expect(run.status == 0, "dpkg-query: \(run.stderr)")
            return run.stdout.split(separator: "\n").filter { $0.hasPrefix("installed ") }.map { String($0.dropFirst(10)) }.sorted()
        }
        if c.family == "alpine" {
            // Independent reading of the apk format: P/V/o per blank-line record.
            let text = String(decoding: try contents(c).first { $0.0 == "lib/apk/db/installed" }!.1, as: UTF8.self)
            return text.components(separatedBy: "\n\n").compactMap { record -> String? in
                var f: [Character: String] = [:]
                for line in record.split(separator: "\n") where line.count > 2 { f[line.first!] = String(line.dropFirst(2)) }
                guard let p = f["P"], let v = f["V"] else { return nil }
                return "\(p) \(v) \(f["o"] ?? p) \(v)"
            }.sorted()
        }
        // rpm: packages.tsv (name, epoch:version-release, arch, srpm), written by rpm itself.
        let tsv = try SharedData.text("data/inventories/rpm/cbl-mariner-2.0/packages.tsv")
        return tsv.split(separator: "\n").compactMap { line -> String? in
            let f = line.split(separator: "\t").map(String.init)
            guard f.count >= 4, f[0] != "gpg-pubkey" else { return nil }
            let evr = f[1].hasPrefix("0:") ? String(f[1].dropFirst(2)) : f[1]
            let src = RpmAnalyzer.parseSourceRPM(f[3])!
            let srcVersion = (f[1].hasPrefix("0:") ? "" : String(f[1].prefix { $0 != ":" }) + ":") + src.version + "-" + src.release
            return "\(f[0]) \(evr) \(src.name) \(srcVersion)"
        }.sorted()
    }

    @Test(arguments: cases)
    func rootfsArchiveAndLayoutAgreeWithOracle(_ c: Case) throws {
        let scratch = ScratchDirectory()
        let files = try contents(c)
        let expected = try oracle(c, scratch: scratch)
        #expect(expected.count > 3)

        // 1. rootfs directory
        for (path, bytes) in files { scratch.write("rootfs/" + path, bytes) }
        let fromDir = try InventoryBuilder.build(DirectoryFileSystem(root: scratch.path + "/rootfs"))

        // 2. docker save archive (gzip), OS files in a base layer, package DB in a second layer
        var base = TarBuilder(), upper = TarBuilder()
        for (path, bytes) in files {
            if path.contains("dpkg") || path.contains("apk") || path.contains("rpm") { upper.file(path, bytes) } else { base.file(path, bytes) }
        }
        let builder = ImageArchiveBuilder(layers: [base.finished(), upper.finished()], repoTag: "vigil/\(c.name):test")
        let archive = scratch.write("image.tar.gz", builder.dockerArchive(gzipped: true))
        let image = try ImageLoader(request: InventoryBuilder.request).load(path: archive)
        let fromArchive = try InventoryBuilder.build(image.fileSystem)

        // 3. OCI layout directory
        for (p, bytes) in builder.ociLayoutFiles() { scratch.write("oci/" + p, bytes) }
        let fromLayout = try InventoryBuilder.build(ImageLoader(request: InventoryBuilder.request).load(path: scratch.path + "/oci").fileSystem)

        for (label, inv) in [("rootfs", fromDir), ("docker-archive", fromArchive), ("oci-layout", fromLayout)] {
            #expect(inv.os?.family == c.family, "\(label)")
            #expect(inv.os?.name == c.osName, "\(label)")
            let got = lines(inv)
            #expect(got.count == expected.count, "\(label): \(got.count) packages, oracle has \(expected.count)")
            for (g, e) in zip(got, expected) where g != e {
                Issue.record("\(label) \(c.name): got '\(g)', oracle '\(e)'")
            }
        }
        #expect(fromArchive.packages.allSatisfy { $0.layer == 1 }, "packages come from the second layer")
    }
}
