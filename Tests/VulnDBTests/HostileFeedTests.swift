import Foundation
import Testing
@testable import VulnDB

/// A temporary directory removed when the value goes away.
private final class Scratch {
    let path = NSTemporaryDirectory() + "vigil-hostile-" + UUID().uuidString
    init() { try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let full = path + "/" + name
        try? FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: full, contents: Data(bytes))
        return full
    }
}

/// Feed-import findings of the 2026-12 hostile-input report (0, D1, E2, F7, C4), named after them.
@Suite struct HostileFeedTests {
    static func osv(id: String, details: String = "d") -> String {
        #"{"id":"\#(id)","schema_version":"1.4.0","details":"\#(details)","affected":[{"package":{"ecosystem":"PyPI","name":"foo"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0"}]}]}]}"#
    }

    /// C4: a record's text is cut to the limit, so a feed of huge `details` does not stay in memory.
    @Test func c4RecordTextIsBounded() throws {
        let huge = String(repeating: "é", count: VulnerabilityRecord.maximumTextLength)  // 2 bytes each
        let parsed = try FeedImporter.parse(path: "a.json", data: Array(Self.osv(id: "GHSA-big", details: huge).utf8))
        let record = try #require(parsed.vulnerabilities.first).boundingText()
        let text = try #require(record.description)
        #expect(text.hasSuffix("…"))
        #expect(text.utf8.count <= VulnerabilityRecord.maximumTextLength + 3)
        #expect(text.dropLast().allSatisfy { $0 == "é" })
    }

    /// Short text is kept as it is.
    @Test func c4ShortTextIsUnchanged() {
        let r = VulnerabilityRecord(id: "x", title: "t", description: "d", source: "s")
        #expect(r.boundingText() == r)
    }

    /// F7: JSON that does not parse is reported with the parser's words; well-formed JSON of an
    /// unknown shape and non-JSON text are not "damaged".
    @Test func f7DamagedJSONIsDetected() {
        #expect(FeedImporter.damagedJSON(Array("{bad".utf8)) != nil)
        #expect(FeedImporter.damagedJSON(Array(#"[{"id": 1}"#.utf8)) != nil)
        #expect(FeedImporter.damagedJSON(Array(#"{"not":"a feed"}"#.utf8)) == nil)
        #expect(FeedImporter.damagedJSON(Array("Candidate: x".utf8)) == nil)
    }

    /// F7: the builder fails on the damaged file and leaves the destination absent.
    @Test func f7BuilderFailsOnDamagedFeed() throws {
        let scratch = Scratch()
        scratch.write("feeds/a.json", Array(Self.osv(id: "GHSA-a").utf8))
        scratch.write("feeds/zz.json", Array("{bad".utf8))
        let db = scratch.path + "/t.db"
        #expect {
            _ = try DatabaseBuilder(destination: db).build(paths: [scratch.path + "/feeds"])
        } throws: { error in
            "\(error)".contains("zz.json: malformed JSON")
        }
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    /// 0, D1: a destination that is a directory or a FIFO is refused by the builder itself.
    @Test func section0BuilderRefusesNonRegularDestination() throws {
        let scratch = Scratch()
        let feed = scratch.write("feeds/a.json", Array(Self.osv(id: "GHSA-a").utf8))
        let fifo = scratch.path + "/fifo"
        #expect(mkfifo(fifo, 0o644) == 0)
        for target in [scratch.path, fifo] {
            #expect(throws: VulnDBError.self) { _ = try DatabaseBuilder(destination: target).build(paths: [feed]) }
        }
        // A symlink is replaced (its target untouched); a missing path is created.
        #expect(throws: Never.self) { try DatabaseBuilder.checkDestination(scratch.path + "/new.db") }
    }

    /// E2: a device as a feed is named as one.
    @Test func e2DeviceFeedIsNamed() {
        #expect {
            _ = try DatabaseBuilder.feedFiles(under: "/dev/zero")
        } throws: { error in
            "\(error)" == "/dev/zero: is a character device, not a feed file or directory"
        }
    }
}
