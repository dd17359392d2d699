import SystemIO
import VigilCore

#if canImport(Glibc)
import Glibc
#endif

/// A bounded on-disk queue of alert lines between the event loop (which appends) and one
/// delivery thread (which reads, sends and acknowledges), so a receiver that is down loses
/// nothing and an alert burst never blocks event processing.
///
/// Layout in `directory`: segment files `000000000001.jsonl`, … (one alert per line, appended
/// with `O_APPEND`), and `cursor` (`segment offset`, rewritten after every acknowledged line).
/// A segment is deleted once read past; a spool left by an earlier run is resumed where its
/// cursor points, so alerts pending at exit are delivered by the next `vigil watch`.
/// Bounded by `maxBytes` of unacknowledged lines: past it new lines are dropped and counted
/// (`dropped`), never silently.
public final class AlertSpool: @unchecked Sendable {
    public let directory: String
    public let maxBytes: Int
    let segmentBytes: Int
    let monitor = Monitor()

    // Guarded by `monitor`.
    private var segmentSizes: [UInt64: Int] = [:]
    private var writeSegment: UInt64 = 1
    private var readSegment: UInt64 = 1
    private var readOffset = 0
    private var pending = 0
    private var droppedCount = 0
    private var closing = false

    // Event loop only.
    private var writeFD: Int32 = -1
    // Delivery thread only.
    private var readFD: Int32 = -1
    private var readFDSegment: UInt64 = 0
    private let cursorFD: Int32
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// The longest alert line kept; longer lines are dropped and counted (an alert is a few KB).
    public static let maxLineBytes = 1 << 20

    public init(directory: String, maxBytes: Int, segmentBytes: Int = 4 << 20) throws(AlertDeliveryError) {
        guard maxBytes >= 4096 else { throw AlertDeliveryError(.usage, "spool size must be at least 4096 bytes, not \(maxBytes)") }
        self.directory = directory
        self.maxBytes = maxBytes
        self.segmentBytes = max(4096, segmentBytes)
        try Self.makeDirectories(directory)
        var st = stat()
        guard lstat(directory, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw AlertDeliveryError(.spool, "not a directory", location: directory)
        }
        cursorFD = open(directory + "/cursor", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard cursorFD >= 0 else { throw AlertDeliveryError(.spool, "cannot open cursor: \(String(cString: strerror(errno)))", location: directory) }
        try resume()
    }

    deinit {
        if writeFD >= 0 { _ = Glibc.close(writeFD) }
        if readFD >= 0 { _ = Glibc.close(readFD) }
        _ = Glibc.close(cursorFD)
    }

    static func makeDirectories(_ path: String) throws(AlertDeliveryError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o700) != 0, errno != EEXIST {
                throw AlertDeliveryError(.spool, "cannot create directory: \(String(cString: strerror(errno)))", location: prefix)
            }
        }
    }

    func segmentPath(_ n: UInt64) -> String {
        let digits = String(n)
        return directory + "/" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits + ".jsonl"
    }

    /// Reads the segments and the cursor an earlier run left, or starts an empty spool.
    private func resume() throws(AlertDeliveryError) {
        // Runs in init, before any other thread sees the spool.
        guard let dir = opendir(directory) else {
            throw AlertDeliveryError(.spool, "cannot list: \(String(cString: strerror(errno)))", location: directory)
        }
        var found: [UInt64] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name.hasSuffix(".jsonl"), let n = UInt64(name.dropLast(6)), n > 0 else { continue }
            found.append(n)
        }
        closedir(dir)
        found.sort()
        var cursorText = [UInt8](repeating: 0, count: 64)
        let n = pread(cursorFD, &cursorText, 64, 0)
        let fields = n > 0 ? String(decoding: cursorText[0..<n], as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\0" }) : []
        var cursorSegment = found.first ?? 1, cursorOffset = 0
        if fields.count >= 2, let s = UInt64(fields[0]), let o = Int(fields[1]), o >= 0, found.contains(s) {
            cursorSegment = s
            cursorOffset = o
        }
        for s in found where s < cursorSegment { unlink(segmentPath(s)) }
        for s in found where s >= cursorSegment {
            var st = stat()
            guard stat(segmentPath(s), &st) == 0 else { continue }
            segmentSizes[s] = Int(st.st_size)
        }
        readSegment = cursorSegment
        readOffset = min(cursorOffset, segmentSizes[cursorSegment] ?? 0)
        writeSegment = found.last.map { max($0, cursorSegment) } ?? 1
        pending = segmentSizes.reduce(0) { $0 + $1.value } - readOffset
        // A run that died mid-write leaves a last line without its newline: append in a fresh
        // segment, so the torn bytes stay alone (the reader skips and counts them).
        if let size = segmentSizes[writeSegment], size > 0 {
            let fd = open(segmentPath(writeSegment), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            var last: UInt8 = 0x0A
            if fd >= 0 {
                _ = pread(fd, &last, 1, off_t(size - 1))
                _ = Glibc.close(fd)
            }
            if last != 0x0A { writeSegment += 1 }
        }
        try openWriteSegment()
    }

    private func openWriteSegment() throws(AlertDeliveryError) {
        if writeFD >= 0 { _ = Glibc.close(writeFD) }
        let path = segmentPath(writeSegment)
        writeFD = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard writeFD >= 0 else { throw AlertDeliveryError(.spool, "cannot open segment: \(String(cString: strerror(errno)))", location: path) }
        monitor.locked { if segmentSizes[writeSegment] == nil { segmentSizes[writeSegment] = 0 } }
    }

    /// Appends one alert line (the newline is added). False when the spool is full or the line
    /// too long: the line is dropped and counted.
    @discardableResult
    public func append(_ line: [UInt8]) throws(AlertDeliveryError) -> Bool {
        let size = line.count + 1
        let rotate: Bool? = monitor.locked {
            if size > Self.maxLineBytes || pending + size > maxBytes {
                droppedCount += 1
                return nil
            }
            let current = segmentSizes[writeSegment] ?? 0
            return current > 0 && current + size > segmentBytes
        }
        guard let rotate else { return false }
        if rotate {
            monitor.locked { writeSegment += 1 }
            try openWriteSegment()
        }
        var bytes = line
        bytes.append(0x0A)
        let failure = DescriptorIO.writeAll(writeFD, bytes)
        if failure != 0 {
            throw AlertDeliveryError(.spool, "write failed: \(String(cString: strerror(failure)))", location: segmentPath(writeSegment))
        }
        monitor.locked {
            segmentSizes[writeSegment, default: 0] += size
            pending += size
        }
        monitor.broadcast()
        return true
    }

    /// The next unacknowledged line and its stable id (`segment-offset`), or nil when none is
    /// complete yet. Delivery thread only.
    func next() -> (line: [UInt8], id: String)? {
        while true {
            let (segment, offset, available, last) = monitor.locked {
                (readSegment, readOffset, (segmentSizes[readSegment] ?? 0) - readOffset, readSegment >= writeSegment)
            }
            if available <= 0 {
                if last { return nil }
                advanceSegment(from: segment)
                continue
            }
            if readFDSegment != segment || readFD < 0 {
                if readFD >= 0 { _ = Glibc.close(readFD) }
                readFD = open(segmentPath(segment), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
                readFDSegment = segment
                if readFD < 0 {  // a segment removed under us: nothing in it can be sent
                    monitor.locked { readOffset = segmentSizes[segment] ?? 0; pending -= available }
                    continue
                }
            }
            var line: [UInt8] = []
            var pos = offset
            var remaining = available
            while remaining > 0, line.count <= Self.maxLineBytes {
                let want = min(buffer.count, remaining)
                let n = buffer.withUnsafeMutableBytes { pread(readFD, $0.baseAddress, want, off_t(pos)) }
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                if let nl = buffer[0..<n].firstIndex(of: 0x0A) {
                    line.append(contentsOf: buffer[0..<nl])
                    return (line, "\(segment)-\(offset)")
                }
                line.append(contentsOf: buffer[0..<n])
                pos += n
                remaining -= n
            }
            // No newline in the complete bytes: a torn last line from a crash, or a segment
            // truncated on disk. Skip it so the queue cannot stall.
            monitor.locked {
                readOffset += available
                pending -= available
                droppedCount += 1
            }
        }
    }

    /// Up to `maxLines` consecutive unacknowledged lines (at most about `maxBytes`) and the id of
    /// the first, for a receiver that takes several alerts per request. The first line is what
    /// `next()` returns; the rest are read ahead in the same segment without moving the cursor, so
    /// a batch that fails is offered again from the same line (with the same id). Delivery thread only.
    func nextBatch(maxLines: Int, maxBytes: Int) -> (lines: [[UInt8]], id: String)? {
        guard let first = next() else { return nil }
        var lines = [first.line]
        var pos = monitor.locked { readOffset } + first.line.count + 1
        var total = first.line.count + 1
        let end = monitor.locked { segmentSizes[readFDSegment] ?? 0 }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        read: while lines.count < maxLines, total < maxBytes, pos < end {
            var line: [UInt8] = []
            var at = pos
            while at < end, line.count <= Self.maxLineBytes {
                let want = min(chunk.count, end - at)
                let n = chunk.withUnsafeMutableBytes { pread(readFD, $0.baseAddress, want, off_t(at)) }
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break read }
                if let nl = chunk[0..<n].firstIndex(of: 0x0A) {
                    line.append(contentsOf: chunk[0..<nl])
                    lines.append(line)
                    pos += line.count + 1
                    total += line.count + 1
                    continue read
                }
                line.append(contentsOf: chunk[0..<n])
                at += n
            }
            break  // a torn or oversized line: next() deals with it once the batch before it is sent
        }
        return (lines, first.id)
    }

    /// Marks the lines `nextBatch` returned as delivered. Delivery thread only.
    func acknowledge(batch lines: [[UInt8]]) {
        let size = lines.reduce(0) { $0 + $1.count + 1 }
        monitor.locked {
            readOffset += size
            pending -= size
        }
        saveCursor()
        monitor.broadcast()
    }

    private func advanceSegment(from segment: UInt64) {
        monitor.locked {
            guard readSegment == segment, segment < writeSegment else { return }
            segmentSizes[segment] = nil
            readSegment = segment + 1
            readOffset = 0
        }
        unlink(segmentPath(segment))
        saveCursor()
    }

    /// Marks the line `next()` returned as delivered. Delivery thread only.
    func acknowledge(_ line: [UInt8]) {
        monitor.locked {
            readOffset += line.count + 1
            pending -= line.count + 1
        }
        saveCursor()
        monitor.broadcast()
    }

    private func saveCursor() {
        let (s, o) = monitor.locked { (readSegment, readOffset) }
        var text = Array("\(s) \(o)\n".utf8)
        text += [UInt8](repeating: 0x20, count: max(0, 40 - text.count))
        _ = text.withUnsafeBytes { pwrite(cursorFD, $0.baseAddress, $0.count, 0) }
    }

    /// Bytes appended and not yet acknowledged.
    public var pendingBytes: Int { monitor.locked { pending } }

    /// Lines dropped because the spool was full, a line too long, or a torn line skipped.
    public var dropped: Int { monitor.locked { droppedCount } }

    /// Complete lines not yet acknowledged (counted from the files).
    public func pendingLines() -> Int {
        let (segments, start) = monitor.locked { (segmentSizes.keys.sorted(), (readSegment, readOffset)) }
        var lines = 0
        for s in segments where s >= start.0 {
            let fd = open(segmentPath(s), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            guard fd >= 0 else { continue }
            var pos = s == start.0 ? start.1 : 0
            var buf = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(pos)) }
                if n <= 0 { break }
                lines += buf[0..<n].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                pos += n
            }
            _ = Glibc.close(fd)
        }
        return lines
    }

    /// Sleeps the delivery thread until a line arrives, `close` is called or `seconds` pass.
    func waitForData(seconds: Double) {
        monitor.locked {
            if !closing { monitor.wait(seconds: seconds) }
        }
    }

    /// Sleeps the delivery thread for `seconds` (a retry back-off); new lines do not wake it.
    func pause(seconds: Double) {
        let deadline = MonotonicSeconds.now() + seconds
        monitor.locked {
            while true {
                let left = deadline - MonotonicSeconds.now()
                if left <= 0 { break }
                monitor.wait(seconds: left)
            }
        }
    }

    var isClosing: Bool { monitor.locked { closing } }

    func beginClosing() {
        monitor.locked { closing = true }
        monitor.broadcast()
    }
}
