@testable import Analyzers
import ContainerImage
import Foundation
import ImageFixtures
import Testing

/// cargo-auditable binaries: `uv` from its PyPI wheel (a real cargo-auditable build), and
/// hand-made `.dep-v0` sections added with `objcopy --add-section` to a copy of Debian's
/// `/bin/true` (a real ELF) for what no real binary here shows: build-kind packages, a section
/// that inflates without end, lying section headers. Expected packages are read back by
/// `objcopy --dump-section` and Python's zlib and json, not by Vigil's code.
@Suite(.enabled(if: LangBinaryFixtures.tool("/usr/bin/objcopy") && LangBinaryFixtures.tool("/usr/bin/python3")))
struct RustAuditableTests {
    /// `name version` of the runtime packages in `binary`'s `.dep-v0`, decoded by Python.
    static func expected(_ binary: String, scratch: String) throws -> [String] {
        let dump = scratch + "/dep-v0.bin"
        let copy = try LangBinaryFixtures.run("/usr/bin/objcopy", ["--dump-section", ".dep-v0=" + dump, binary, scratch + "/discard"])
        try #require(copy.status == 0, "objcopy: \(copy.err)")
        let py = "import json, sys, zlib\n"
            + "for p in json.loads(zlib.decompress(open(sys.argv[1], 'rb').read()))['packages']:\n"
            + "    if p.get('kind', 'runtime') == 'runtime': print(p['name'], p['version'])\n"
        let run = try LangBinaryFixtures.run("/usr/bin/python3", ["-c", py, dump])
        try #require(run.status == 0, "\(run.err)")
        return run.out.split(separator: "\n").map(String.init).sorted()
    }

    static func inventory(_ root: String) throws -> Inventory {
        try InventoryBuilder.build(DirectoryFileSystem(root: root, request: InventoryBuilder.request))
    }

    static let uv: String? = {
        let dir = LangBinaryFixtures.repoRoot + "/.build/lang-binary-fixtures/wheels/uv"
        guard let data = try? FileManager.default.contentsOfDirectory(atPath: dir).first(where: { $0.hasSuffix(".data") }) else { return nil }
        return dir + "/" + data + "/scripts/uv"
    }()

    @Test(.enabled(if: uv != nil, "run scripts/fetch-lang-binary-fixtures.sh for uv's wheel"))
    func realCargoAuditableBinary() throws {
        let scratch = ScratchDirectory()
        let expected = try Self.expected(Self.uv!, scratch: scratch.path)
        #expect(expected.count > 50)
        try LangBinaryFixtures.place(Self.uv!, in: scratch.path + "/root", as: "usr/local/bin/uv")
        let inventory = try Self.inventory(scratch.path + "/root")
        let app = inventory.applications.first { $0.type == .rustbinary && $0.filePath == "usr/local/bin/uv" }
        #expect(app?.packages.map { "\($0.name) \($0.version)" }.sorted() == expected)
        #expect(inventory.warnings.isEmpty)
    }

    /// Compresses `json` with zlib (Python) and adds it as `.dep-v0` to a copy of /bin/true.
    static func handMade(_ json: String, name: String, in scratch: String, zlibInput: String? = nil) throws -> String {
        let raw = scratch + "/\(name).json.z"
        let py = "import sys, zlib; open(sys.argv[1], 'wb').write(zlib.compress(sys.argv[2].encode() if sys.argv[2] else bytes(64 << 20), 9))"
        let z = try LangBinaryFixtures.run("/usr/bin/python3", ["-c", py, raw, zlibInput ?? json])
        try #require(z.status == 0, "\(z.err)")
        let out = scratch + "/\(name)"
        let add = try LangBinaryFixtures.run("/usr/bin/objcopy", ["--add-section", ".dep-v0=" + raw, "/bin/true", out])
        try #require(add.status == 0, "objcopy: \(add.err)")
        chmod(out, 0o755)
        return out
    }

    @Test func handMadeSectionsAndHostileOnes() throws {
        let scratch = ScratchDirectory()
        let json = """
        {"packages":[{"name":"probe","version":"0.1.0","source":"local","dependencies":[1,2],"root":true},
        {"name":"smallvec","version":"1.6.0","source":"crates.io"},{"name":"cc","version":"1.0.79","source":"crates.io","kind":"build"},
        {"name":"time","version":"0.1.45","source":"crates.io","kind":"runtime"}]}
        """
        let good = try Self.handMade(json, name: "probe", in: scratch.path)
        let expected = try Self.expected(good, scratch: scratch.path)
        #expect(expected == ["probe 0.1.0", "smallvec 1.6.0", "time 0.1.45"])
        // 64 MiB of zeros behind zlib: inflates past the 8 MiB bound.
        let bomb = try Self.handMade("", name: "bomb", in: scratch.path, zlibInput: "")
        // Section headers pointing past the end of the file.
        var lying = Array(try Data(contentsOf: URL(fileURLWithPath: good)))
        lying[0x28 + 4] = 0x40
        let root = scratch.path + "/root"
        try LangBinaryFixtures.place(good, in: root, as: "opt/probe")
        try LangBinaryFixtures.place(bomb, in: root, as: "opt/bomb")
        try LangBinaryFixtures.place(good, in: root, as: "opt/lying")
        try Data(lying).write(to: URL(fileURLWithPath: root + "/opt/lying"))
        let inventory = try Self.inventory(root)
        #expect(inventory.applications.filter { $0.type == .rustbinary }.map(\.filePath) == ["opt/probe"])
        #expect(inventory.applications.first { $0.filePath == "opt/probe" }?.packages.map { "\($0.name) \($0.version)" } == expected)
        #expect(inventory.warnings.sorted() == [
            "opt/bomb: the .dep-v0 section inflates past 8 MiB; not read",
            "opt/lying: section headers (\(try Self.sectionCount(good)) at offset \(try Self.shoff(lying))) run past the end of the \(lying.count)-byte file; not read for Rust dependency info",
        ])
    }

    static func shoff(_ bytes: [UInt8]) throws -> Int { (0..<8).reduce(0) { $0 | Int(bytes[0x28 + $1]) << (8 * $1) } }
    static func sectionCount(_ path: String) throws -> Int {
        let b = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        return Int(b[0x3C]) | Int(b[0x3D]) << 8
    }
}
