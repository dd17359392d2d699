// Parse+check throughput over a directory of Dockerfiles (made by Benchmarks/gen-dockerfiles.py).
//
//   config-bench DIR [ROUNDS]          prints files/s and MB/s for parse only and parse+check
//   config-bench --show FILE           prints the table, the Trivy Result JSON and the predictions
import ConfigScan
import Foundation
import JSONValue

let args = CommandLine.arguments
if args.count == 3, args[1] == "--show" {
    do {
        let result = try ConfigScanner.scan(path: args[2])
        print(result.table())
        print(JSONPrinter().render(result.trivyResult()), terminator: "")
        print(JSONPrinter().render(result.predictionsJSON()), terminator: "")
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        exit(1)
    }
    exit(0)
}
guard args.count >= 2 else {
    FileHandle.standardError.write(Data("usage: config-bench DIR [ROUNDS] | --show FILE\n".utf8))
    exit(2)
}
let dir = URL(fileURLWithPath: args[1])
let rounds = args.count > 2 ? Int(args[2]) ?? 5 : 5
let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".Dockerfile") }.sorted()
let files: [(String, [UInt8])] = try names.map { ($0, Array(try Data(contentsOf: dir.appendingPathComponent($0)))) }
let bytes = files.reduce(0) { $0 + $1.1.count }

func measure(_ label: String, _ body: () throws -> Int) rethrows {
    var best = Double.infinity
    var count = 0
    for _ in 0..<rounds {
        let start = DispatchTime.now().uptimeNanoseconds
        count = try body()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        best = min(best, seconds)
    }
    let line = String(format: "%-14@ %6d files  %8.1f ms  %9.0f files/s  %6.1f MB/s  (%d findings)", label as NSString,
                      files.count, best * 1000, Double(files.count) / best, Double(bytes) / best / 1e6, count)
    print(line)
}

print("files: \(files.count), \(bytes) bytes, best of \(rounds) rounds")
try measure("parse") {
    var n = 0
    for (name, data) in files { n += try DockerfileParser.parse(data, file: name).stages.count }
    return 0 * n
}
try measure("parse+check") {
    var n = 0
    for (name, data) in files { n += try ConfigScanner.scan(data, file: name).failures.count }
    return n
}
