@testable import AlertDelivery
import Foundation
import Testing

@Suite struct WebhookDeliveryTests {
    static func tempDir() -> String {
        let d = NSTemporaryDirectory() + "vigil-spool-" + UUID().uuidString
        return d
    }

    static func line(_ i: Int) -> [UInt8] { Array("{\"output\":\"alert \(i)\",\"n\":\(i)}".utf8) }

    @Test func deliversEveryAlertOnceInOrder() throws {
        let receiver = HTTPReceiver()
        try receiver.start()
        defer { receiver.stop() }
        let delivery = WebhookDelivery(endpoint: try HTTPEndpoint(url: "http://127.0.0.1:\(receiver.port)/"),
                                       spool: try AlertSpool(directory: Self.tempDir(), maxBytes: 1 << 20))
        try delivery.start()
        for i in 0..<500 { #expect(try delivery.submit(Self.line(i))) }
        let s = delivery.finish(graceSeconds: 30)
        #expect(s.delivered == 500 && s.pending == 0 && s.dropped == 0)
        #expect(receiver.requests.map(\.body) == (0..<500).map { String(decoding: Self.line($0), as: UTF8.self) })
        #expect(Set(receiver.requests.map(\.id)).count == 500)
    }

    /// `vigil watch --server`: NDJSON batches across spool segments; every alert once, in order,
    /// each batch under the id of its first line.
    @Test func batchesCarryEveryAlertOnceInOrder() throws {
        let receiver = HTTPReceiver()
        try receiver.start()
        defer { receiver.stop() }
        let delivery = WebhookDelivery(endpoint: try HTTPEndpoint(url: "http://127.0.0.1:\(receiver.port)/"),
                                       spool: try AlertSpool(directory: Self.tempDir(), maxBytes: 1 << 20, segmentBytes: 4 << 10),
                                       batchLines: 50)
        try delivery.start()
        for i in 0..<1000 { #expect(try delivery.submit(Self.line(i))) }
        let s = delivery.finish(graceSeconds: 30)
        #expect(s.delivered == 1000 && s.pending == 0 && s.dropped == 0)
        let lines = receiver.requests.flatMap { $0.body.split(separator: "\n").map(String.init) }
        #expect(lines == (0..<1000).map { String(decoding: Self.line($0), as: UTF8.self) })
        #expect(receiver.requests.count < 1000 && receiver.requests.allSatisfy { $0.body.split(separator: "\n").count <= 50 })
    }

    /// A batch that is not acknowledged is offered again from the same line, with the same id.
    @Test func anUnacknowledgedBatchIsOfferedAgainUnderTheSameID() throws {
        let spool = try AlertSpool(directory: Self.tempDir(), maxBytes: 1 << 20)
        for i in 0..<5 { #expect(try spool.append(Self.line(i))) }
        let first = try #require(spool.nextBatch(maxLines: 3, maxBytes: 1 << 20))
        #expect(first.lines == (0..<3).map(Self.line))
        let again = try #require(spool.nextBatch(maxLines: 4, maxBytes: 1 << 20))
        #expect(again.id == first.id && again.lines == (0..<4).map(Self.line))
        spool.acknowledge(batch: first.lines)
        let rest = try #require(spool.nextBatch(maxLines: 10, maxBytes: 1 << 20))
        #expect(rest.lines == (3..<5).map(Self.line) && rest.id != first.id)
    }

    /// The acceptance scenario: the receiver is stopped for 30 s while 10,000 alerts are raised,
    /// then restarted; every alert arrives exactly once (count and ids), in order.
    @Test func receiverDownFor30SecondsLosesNothing() throws {
        let receiver = HTTPReceiver()
        try receiver.start()
        let port = receiver.port
        receiver.stop()
        let dir = Self.tempDir()
        let delivery = WebhookDelivery(endpoint: try HTTPEndpoint(url: "http://127.0.0.1:\(port)/alerts"),
                                       spool: try AlertSpool(directory: dir, maxBytes: 64 << 20, segmentBytes: 64 << 10))
        try delivery.start()
        let started = Date()
        for i in 0..<10_000 {
            #expect(try delivery.submit(Self.line(i)))
            if i % 1000 == 999 { usleep(100_000) }
        }
        let downFor = 30 - Date().timeIntervalSince(started)
        if downFor > 0 { usleep(UInt32(downFor * 1e6)) }
        try receiver.start()
        defer { receiver.stop() }
        let s = delivery.finish(graceSeconds: 120)
        let got = receiver.requests
        #expect(s.delivered == 10_000 && s.pending == 0 && s.dropped == 0 && s.retries > 0)
        #expect(got.count == 10_000)
        #expect(Set(got.map(\.id)).count == 10_000)
        #expect(got.map(\.body) == (0..<10_000).map { String(decoding: Self.line($0), as: UTF8.self) })
        // Segments are deleted as they are read past.
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".jsonl") }
        #expect(left.count <= 1)
    }

    @Test func spoolIsBoundedAndOverflowIsCounted() throws {
        let dir = Self.tempDir()
        let spool = try AlertSpool(directory: dir, maxBytes: 64 << 10)
        var accepted = 0
        for i in 0..<10_000 where try spool.append(Self.line(i)) { accepted += 1 }
        #expect(accepted > 1000 && accepted < 10_000)
        #expect(spool.dropped == 10_000 - accepted)
        #expect(spool.pendingBytes <= 64 << 10)
        #expect(spool.pendingLines() == accepted)
        let usage = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".jsonl") }
            .map { try FileManager.default.attributesOfItem(atPath: dir + "/" + $0)[.size] as! Int }.reduce(0, +)
        #expect(usage <= 64 << 10)
    }

    /// Alerts pending when one run ends are sent by the next, after what it had acknowledged.
    @Test func aLaterRunResumesTheSpool() throws {
        let dir = Self.tempDir()
        do {
            let spool = try AlertSpool(directory: dir, maxBytes: 1 << 20)
            for i in 0..<10 { try spool.append(Self.line(i)) }
            let first = try #require(spool.next())
            spool.acknowledge(first.line)
            let second = try #require(spool.next())
            spool.acknowledge(second.line)
        }
        let receiver = HTTPReceiver()
        try receiver.start()
        defer { receiver.stop() }
        let delivery = WebhookDelivery(endpoint: try HTTPEndpoint(url: "http://127.0.0.1:\(receiver.port)/"),
                                       spool: try AlertSpool(directory: dir, maxBytes: 1 << 20))
        #expect(delivery.spool.pendingLines() == 8)
        try delivery.start()
        try delivery.submit(Self.line(10))
        let s = delivery.finish(graceSeconds: 30)
        #expect(s.delivered == 9)
        #expect(receiver.requests.map(\.body) == (2...10).map { String(decoding: Self.line($0), as: UTF8.self) })
    }

    @Test func tornLastLineIsSkippedNotStalled() throws {
        let dir = Self.tempDir()
        do {
            let spool = try AlertSpool(directory: dir, maxBytes: 1 << 20)
            try spool.append(Self.line(1))
        }
        // a crash mid-write leaves half a line
        let fh = try #require(FileHandle(forWritingAtPath: dir + "/000000000001.jsonl"))
        fh.seekToEndOfFile()
        fh.write(Data("{\"output\":\"half".utf8))
        try fh.close()
        let spool = try AlertSpool(directory: dir, maxBytes: 1 << 20)
        try spool.append(Self.line(2))
        let a = try #require(spool.next())
        #expect(a.line == Self.line(1))
        spool.acknowledge(a.line)
        // the torn bytes stay alone in the old segment: skipped and counted, the next line intact
        let b = try #require(spool.next())
        #expect(b.line == Self.line(2))
        spool.acknowledge(b.line)
        #expect(spool.next() == nil)
        #expect(spool.pendingBytes == 0)
        #expect(spool.dropped == 1)
    }

    @Test func receiverRejectionIsCountedNotRetriedForever() throws {
        let receiver = HTTPReceiver()
        receiver.status = 400
        try receiver.start()
        defer { receiver.stop() }
        let delivery = WebhookDelivery(endpoint: try HTTPEndpoint(url: "http://127.0.0.1:\(receiver.port)/"),
                                       spool: try AlertSpool(directory: Self.tempDir(), maxBytes: 1 << 20))
        try delivery.start()
        for i in 0..<5 { try delivery.submit(Self.line(i)) }
        let s = delivery.finish(graceSeconds: 10)
        #expect(s.rejected == 5 && s.delivered == 0 && s.pending == 0)
    }

    @Test(arguments: ["https://example.com/hook", "ftp://x/", "http://", "http://:80/", "http://h:0/", "http://h:99999/", "http://h/a b"])
    func badURLsAreRefused(url: String) {
        #expect(throws: AlertDeliveryError.self) { try HTTPEndpoint(url: url) }
    }

    @Test func spoolDirectoryThatIsAFileIsAnError() throws {
        let path = NSTemporaryDirectory() + "vigil-spool-file-" + UUID().uuidString
        FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
        #expect(throws: AlertDeliveryError.self) { try AlertSpool(directory: path, maxBytes: 1 << 20) }
    }
}
