import ContainerImage
import ImageFixtures
import Testing
import Foundation
import VigilCore

@Suite struct TarReaderTests {
    func entries(_ bytes: [UInt8]) throws -> [(TarHeader, [UInt8])] {
        let reader = TarReader(MemorySource(bytes), name: "t.tar")
        var out: [(TarHeader, [UInt8])] = []
        while let h = try reader.next() {
            out.append((h, try reader.readContent(limit: 1 << 20)))
        }
        return out
    }

    @Test func readsFilesLinksAndDirectories() throws {
        var t = TarBuilder()
        t.directory("etc")
        t.file("etc/os-release", text: "ID=alpine\n")
        t.symlink("etc/alias", to: "os-release")
        t.hardLink("etc/hard", to: "etc/os-release")
        let e = try entries(t.finished())
        #expect(e.map(\.0.rawName) == ["etc/", "etc/os-release", "etc/alias", "etc/hard"])
        #expect(e.map(\.0.kind) == [.directory, .file, .symlink, .hardLink])
        #expect(e[1].1 == Array("ID=alpine\n".utf8))
        #expect(e[2].0.linkName == "os-release")
    }

    @Test func paxLongNames() throws {
        let long = String(repeating: "d/", count: 70) + "file.txt"
        var t = TarBuilder()
        t.file(long, text: "x")
        let e = try entries(t.finished())
        #expect(e.count == 1)
        #expect(e[0].0.rawName == long)
    }

    @Test func skipsUnreadData() throws {
        var t = TarBuilder()
        t.file("a", [UInt8](repeating: 7, count: 1000))
        t.file("b", text: "second")
        let reader = TarReader(MemorySource(t.finished()), name: "t.tar")
        _ = try reader.next()
        let b = try reader.next()
        #expect(b?.rawName == "b")
        #expect(try reader.readContent(limit: 100) == Array("second".utf8))
        #expect(try reader.next() == nil)
    }

    @Test func truncatedEntryIsAnError() throws {
        var t = TarBuilder()
        t.lyingFile("big", claimedSize: 4096, actual: [UInt8](repeating: 1, count: 100))
        let reader = TarReader(MemorySource(t.bytes), name: "t.tar")
        _ = try reader.next()
        let error = #expect(throws: ContainerImageError.self) { try reader.next() }
        #expect(error?.reason == .truncated)
        #expect(error?.description.contains("'big'") == true)
    }

    @Test func hugeBase256SizeIsTruncatedNotAllocated() throws {
        var t = TarBuilder()
        t.lyingFile("sparse", claimedSize: 10 << 30, actual: [UInt8](repeating: 0, count: 512))
        let reader = TarReader(MemorySource(t.bytes), name: "t.tar")
        let h = try reader.next()
        #expect(h?.size == 10 << 30)
        #expect(throws: ContainerImageError.self) { _ = try reader.readContent(limit: 1 << 20) }
        #expect(throws: ContainerImageError.self) { _ = try reader.next() }
    }

    @Test func corruptHeaderChecksum() throws {
        var bytes = TarBuilder().finished()
        bytes = [UInt8](repeating: 0x41, count: 512) + bytes
        let reader = TarReader(MemorySource(bytes), name: "t.tar")
        let error = #expect(throws: ContainerImageError.self) { _ = try reader.next() }
        #expect(error?.reason == .malformedArchive)
    }

    @Test(arguments: [
        ("../etc/passwd", true), ("/etc/passwd", true), ("a/../../b", true),
        ("./etc//os-release", false), ("a/b/../c", false),
    ])
    func pathCleaning(name: String, refused: Bool) throws {
        if refused {
            let e = #expect(throws: ContainerImageError.self) { _ = try ArchivePath.clean(name) }
            #expect(e?.reason == .pathTraversal)
        } else {
            let cleaned = try ArchivePath.clean(name)
            #expect(!cleaned.hasPrefix("/") && !cleaned.contains(".."))
        }
    }
}

/// Regressions from hostile-input testing: each must be one clean error, never a trap.
@Suite struct TarReaderHostileTests {
    /// A header with a raw 12-byte size field.
    func header(name: String, sizeField: [UInt8], type: UInt8 = UInt8(ascii: "0")) -> [UInt8] {
        var t = TarBuilder()
        t.file(name, [])
        var h = Array(t.bytes.prefix(512))
        for i in 0..<12 { h[124 + i] = sizeField[i] }
        h[156] = type
        for i in 148..<156 { h[i] = UInt8(ascii: " ") }
        let sum = h.reduce(0) { $0 + Int($1) }
        let s = Array(String(sum, radix: 8).utf8)
        for i in 0..<6 { h[148 + i] = i < 6 - s.count ? UInt8(ascii: "0") : s[i - (6 - s.count)] }
        h[154] = 0
        return h
    }

    @Test func intMaxSizeIsRefused() {
        let field: [UInt8] = [0x80, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        let reader = TarReader(MemorySource(header(name: "usr/big", sizeField: field) + [UInt8](repeating: 0, count: 1024)), name: "t.tar")
        let e = #expect(throws: ContainerImageError.self) { _ = try reader.next() }
        #expect(e?.reason == .malformedArchive)
    }

    @Test(arguments: ["2 ", "3 a", "9223372036854775807 path=x\n", "4 x=\n", "6 path"])
    func malformedPAXRecords(record: String) {
        var data = Array(record.utf8)
        let size = data.count
        let field = Array(String(format: "%011o", size).utf8) + [0]
        data += [UInt8](repeating: 0, count: (512 - size % 512) % 512)
        let bytes = header(name: "PaxHeader/x", sizeField: field, type: UInt8(ascii: "x")) + data + TarBuilder().finished()
        let reader = TarReader(MemorySource(bytes), name: "t.tar")
        #expect(throws: ContainerImageError.self) { _ = try reader.next() }
    }

    @Test func budgetStopsManyLargeWantedFiles() {
        var t = TarBuilder()
        for i in 0..<4 { t.file("var/lib/dpkg/status.d/p\(i)", [UInt8](repeating: 0x41, count: 4096)) }
        let request = FileRequest(directories: ["var/lib/dpkg/status.d"])
        let e = #expect(throws: ContainerImageError.self) {
            _ = try LayerScanner.scan(MemorySource(t.finished()), name: "layer 1", request: request, budget: 10_000)
        }
        #expect(e?.reason == .tooLarge)
        #expect(e?.description.contains("p2") == true)
    }

    @Test func perFileLimitsSurviveMerging() {
        let merged = FileRequest(paths: ["etc/os-release"], maxFileSize: 1 << 20)
            .merging(FileRequest(paths: ["var/lib/rpm/rpmdb.sqlite"], maxFileSize: 512 << 20))
        #expect(merged.limit(for: "etc/os-release") == 1 << 20)
        #expect(merged.limit(for: "var/lib/rpm/rpmdb.sqlite") == 512 << 20)
        #expect(merged.limit(for: "etc/passwd") == nil)
    }
}
