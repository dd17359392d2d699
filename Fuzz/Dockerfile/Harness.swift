// libFuzzer harness: the Dockerfile parser, the shell tokeniser behind the RUN checks, and every
// check (ConfigScanner.scan). Compiled with the ConfigScan sources over a JSONValue module by
// scripts/fuzz.sh. Small limits keep one input fast: 64 KiB, 2,000 instructions.

let options = ParseOptions(maxBytes: 64 << 10, buildArguments: ["A": "x"], maxInstructions: 2_000)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDockerfile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let result = try? ConfigScanner.scan(bytes, file: "Dockerfile", options: options) {
        _ = BuildPredictions(result.dockerfile)
    }
    return 0
}
