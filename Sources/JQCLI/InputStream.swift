import JQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

struct InputError: Error { var message: String }

/// Supplies input values from stdin or files, in order: JSON texts, raw lines, slurped or
/// streamed, exactly as jq reads them. Raw lines continue across file boundaries (jq reads the
/// files as one byte stream); a file that cannot be opened or read is reported ("Could not
/// open …"), counted in `failures` (jq then exits 2) and skipped.
final class InputStream {
    let files: [String]
    let raw: Bool
    let slurp: Bool
    let stream: Bool
    let seq: Bool
    /// `--yaml-input`: each source is a stream of YAML documents.
    var yaml = false
    /// Receives one error line per file that could not be opened or read.
    let report: (String) -> Void
    /// Files that could not be opened or read.
    private(set) var failures = 0
    /// The file being read (nil for stdin).
    private(set) var currentName: String?

    private var fileIndex = 0
    private var stdinDone = false
    /// The current source when it was read rather than mapped.
    private var data: [UInt8] = []
    private var mapped: (UnsafeMutableRawPointer, Int)?
    private var reader: ValueReader?
    /// Raw mode: read position in the current source, or nil when no source is open.
    private var rawPos: Int?
    /// Raw mode: the unterminated end of the previous source, continued by the next one.
    private var carry: [UInt8]?
    private var slurped = false
    private var pendingStream: [Value] = []
    private var pendingIndex = 0
    private var documents: [Value] = []
    private var documentIndex = 0

    var location: String {
        "\(currentName ?? "<stdin>"):\(reader?.line ?? 0)"
    }

    init(files: [String], raw: Bool, slurp: Bool, stream: Bool, seq: Bool, report: @escaping (String) -> Void) {
        self.files = files
        self.raw = raw
        self.slurp = slurp
        self.stream = stream
        self.seq = seq
        self.report = report
    }

    deinit { unmap() }

    private func unmap() {
        if let (p, n) = mapped { munmap(p, n) }
        mapped = nil
    }

    /// The bytes of the current source.
    private func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let (p, n) = mapped {
            return try body(UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: n))
        }
        return try data.withUnsafeBufferPointer(body)
    }

    private func closeSource() {
        unmap()
        data = []
        reader = nil
        rawPos = nil
    }

    /// Opens the next source (stdin when no files were named); false when none remain.
    private func openNext() -> Bool {
        closeSource()
        if files.isEmpty {
            if stdinDone { return false }
            stdinDone = true
            currentName = nil
            guard let b = readFD(0) else {
                report("jq: error: Could not read <stdin>: \(String(cString: strerror(errno)))")
                failures += 1
                return false
            }
            load(b)
            return true
        }
        while fileIndex < files.count {
            let f = files[fileIndex]
            fileIndex += 1
            currentName = f
            if f == "-" {
                guard let b = readFD(0) else {
                    report("jq: error: Could not read <stdin>: \(String(cString: strerror(errno)))")
                    failures += 1
                    continue
                }
                currentName = "<stdin>"
                load(b)
                return true
            }
            let fd = open(f, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                report("jq: error: Could not open \(f): \(String(cString: strerror(errno)))")
                failures += 1
                continue
            }
            defer { close(fd) }
            var st = stat()
            guard fstat(fd, &st) == 0 else {
                report("jq: error: Could not open \(f): \(String(cString: strerror(errno)))")
                failures += 1
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                report("jq: error: Could not open \(f): \(String(cString: strerror(EISDIR)))")
                failures += 1
                continue
            }
            // Large regular files are mapped: JSON parsing reads them in place and hands
            // consumed pages back to the kernel; raw and --seq input read the mapping directly.
            if (st.st_mode & S_IFMT) == S_IFREG, st.st_size > 0,
               let p = mmap(nil, Int(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED {
                _ = madvise(p, Int(st.st_size), MADV_SEQUENTIAL)
                mapped = (p, Int(st.st_size))
                if seq {
                    data = Array(UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: Int(st.st_size)))
                    unmap()
                    load(data)
                    return true
                }
                rawPos = 0
                var r = withBytes { ValueReader($0) }
                r.releaseConsumed = !raw
                reader = r
                return true
            }
            guard let b = readFD(fd) else {
                report("jq: error: Could not read \(f): \(String(cString: strerror(errno)))")
                failures += 1
                continue
            }
            load(b)
            return true
        }
        return false
    }

    private func load(_ bytes: [UInt8]) {
        // --seq: the record separator only delimits texts
        data = seq ? bytes.map { $0 == 0x1E ? 0x20 : $0 } : bytes
        rawPos = 0
        reader = data.withUnsafeBufferPointer { ValueReader($0) }
    }

    func next() throws -> Value? {
        if slurp {
            if slurped { return nil }
            slurped = true
            if raw {
                var all: [UInt8] = []
                while openNext() {
                    withBytes { all.append(contentsOf: $0) }
                    if all.count > maxReadBytes {
                        throw InputError(message: "raw input larger than the \(maxReadBytes >> 20) MiB limit")
                    }
                }
                return .string(String(decoding: all, as: UTF8.self))
            }
            var vals: [Value] = []
            while let v = try nextValue() { vals.append(v) }
            return .array(vals)
        }
        if raw { return nextLine() }
        return try nextValue()
    }

    /// The next line across sources; a final line without a newline is still a line.
    private func nextLine() -> Value? {
        while true {
            if let pos = rawPos {
                let line: [UInt8]? = withBytes { b in
                    var i = pos
                    while i < b.count && b[i] != 0x0A { i += 1 }
                    if i < b.count {
                        rawPos = i + 1
                        if var c = carry {
                            carry = nil
                            c.append(contentsOf: b[pos..<i])
                            return c
                        }
                        return Array(b[pos..<i])
                    }
                    if pos < b.count {
                        carry = (carry ?? []) + Array(b[pos..<b.count])
                    }
                    return nil
                }
                if let line { return .string(String(decoding: line, as: UTF8.self)) }
                rawPos = nil
            }
            if !openNext() {
                guard let c = carry else { return nil }
                carry = nil
                return .string(String(decoding: c, as: UTF8.self))
            }
        }
    }

    private func nextDocument() throws -> Value? {
        while documentIndex >= documents.count {
            if !openNext() { return nil }
            let bytes = withBytes { Array($0) }
            closeSource()
            documentIndex = 0
            do {
                documents = try YAMLCodec.documents(bytes)
            } catch {
                documents = []
                throw InputError(message: error.message)
            }
        }
        let v = documents[documentIndex]
        documentIndex += 1
        if stream {
            pendingStream = streamEvents(v)
            pendingIndex = 1
            return pendingStream[0]
        }
        return v
    }

    private func nextValue() throws -> Value? {
        if pendingIndex < pendingStream.count {
            defer { pendingIndex += 1 }
            return pendingStream[pendingIndex]
        }
        if yaml { return try nextDocument() }
        while true {
            if reader == nil {
                if !openNext() { return nil }
            }
            let v: Value
            var start = 0
            do {
                let parsed: Value? = try withBytes { buf in
                    var r = reader!
                    r.rebase(buf)
                    defer { reader = r }
                    if r.atEnd() { return nil }
                    start = r.pos
                    return try r.parseValue()
                }
                guard let parsed else {
                    closeSource()
                    continue
                }
                v = parsed
            } catch let e as JSONReadError {
                // jq reads the files as one stream: a text cut off at the end of one file
                // continues in the next
                if e.atEnd, !files.isEmpty, fileIndex < files.count {
                    let tail = withBytes { Array($0[start...]) }
                    if openNext() {
                        let next = withBytes { Array($0) }
                        let name = currentName
                        closeSource()
                        currentName = name
                        load(tail + next)
                        continue
                    }
                }
                throw InputError(message: e.message)
            }
            if stream {
                pendingStream = streamEvents(v)
                pendingIndex = 1
                return pendingStream[0]
            }
            return v
        }
    }
}
