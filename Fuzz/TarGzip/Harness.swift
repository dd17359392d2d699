// libFuzzer harness: the tar reader, over a gzip source when the input is gzip (as image layers
// are read). Compiled together with the ContainerImage sources it needs by scripts/fuzz.sh.

/// Small limits so one input cannot take seconds or gigabytes (libFuzzer's -rss_limit_mb is 2 GB).
let limits = DecompressionLimits(ratioCheckAfter: 1 << 20, maxRatio: 200, maxOutput: 64 << 20)

/// Reads every entry and its content, as a layer scan does for wanted files.
func drain<B: ByteSource>(_ tar: TarReader<B>) throws(ContainerImageError) {
    while let header = try tar.next() {
        _ = try ArchivePath.clean(header.rawName)
        if header.kind == .file { _ = try tar.readContent(limit: 1 << 20) }
    }
}

/// Writes a valid checksum into every 512-byte block. A mutated header almost never keeps a
/// valid checksum, so without this the fuzzer spends its time on "invalid checksum" and never
/// reaches the fields behind it (a planted off-by-one in base-256 sizes went unfound for 90 s).
func repairChecksums(_ bytes: inout [UInt8]) {
    var start = 0
    while start + 512 <= bytes.count {
        var sum = 0
        for i in start..<(start + 512) { sum += (148..<156).contains(i - start) ? 32 : Int(bytes[i]) }
        let octal = Array(String(sum, radix: 8).utf8)
        let digits = [UInt8](repeating: UInt8(ascii: "0"), count: max(0, 6 - octal.count)) + octal.suffix(6)
        for (k, b) in (digits + [0, UInt8(ascii: " ")]).enumerated() { bytes[start + 148 + k] = b }
        start += 512
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTarGzip(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // Inputs ending in 0xFF have their header checksums repaired (real archives end in zero
    // blocks, so the seeds and their near mutations still test the checksum check itself).
    if bytes.last == 0xFF, bytes.first != 0x1F { repairChecksums(&bytes) }
    do {
        if bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B {
            try drain(TarReader(try GzipSource(MemorySource(bytes), name: "fuzz", limits: limits), name: "fuzz"))
        } else {
            try drain(TarReader(MemorySource(bytes), name: "fuzz"))
        }
    } catch {
        // Errors are the expected answer to bad input; only crashes, hangs and leaks are findings.
        _ = error.description
    }
    return 0
}
