import Foundation
import Testing
@testable import ConfigScan

/// Hostile input ends in one `FILE:LINE: …` error (or a clean result) in bounded time and memory.
struct HostileInputTests {
    func error(_ bytes: [UInt8], options: ParseOptions = .init()) -> ConfigScanError? {
        do {
            _ = try ConfigScanner.scan(bytes, file: "Dockerfile", options: options)
            return nil
        } catch {
            return error
        }
    }

    @Test func hundredMegabyteFileIsRefusedBeforeReading() throws {
        let dir = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("Dockerfile").path
        // Sparse: 100 MB on paper, nothing on disk; the scanner must refuse it by size.
        #expect(FileManager.default.createFile(atPath: path, contents: Data("FROM a\n".utf8)))
        #expect(truncate(path, 100 * 1024 * 1024) == 0)
        #expect(throws: ConfigScanError.self) { try ConfigScanner.scan(path: path) }
        do {
            _ = try ConfigScanner.scan(path: path)
        } catch {
            #expect(error.reason == .tooLarge)
            #expect(error.description == "\(path): 104857600 bytes is larger than the 8388608-byte limit for a Dockerfile")
        }
    }

    @Test func largeValidFileParsesAndChecks() throws {
        // 20k instructions (~0.8 MB): linear parse and check, every RUN seen.
        var text = "FROM alpine:3.19\n"
        for i in 0..<20_000 { text += "RUN echo \(i) && apk add --no-cache pkg\(i)=1.\(i)-r0\n" }
        let result = try ConfigScanner.scan(Array(text.utf8), file: "Dockerfile")
        #expect(result.dockerfile.stages[0].instructions.count == 20_001)
        #expect(result.failures.filter { $0.rule.id == "VGL-DF-007" }.isEmpty)
        #expect(result.failures.contains { $0.rule.id == "DS002" })
    }

    @Test func overLimitBytesAreRefused() {
        let e = error(Array(repeating: UInt8(ascii: "#"), count: 1025), options: ParseOptions(maxBytes: 1024))
        #expect(e?.reason == .tooLarge)
    }

    @Test func nulBytesAndInvalidUTF8() {
        let nul = error(Array("FROM a\nRUN echo\u{0}x\n".utf8))
        #expect(nul?.reason == .binary && nul?.line == 2)
        #expect(nul?.description == "Dockerfile:2: NUL byte: binary data, not a Dockerfile")
        let junk = error(Array("FROM a\nRUN ok\n".utf8) + [0xFF, 0xFE, 0x80, 0x0A])
        #expect(junk?.reason == .binary && junk?.line == 3)
        var random = SystemRandomNumberGenerator()
        let noise = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) }
        #expect(error(noise) != nil)
    }

    @Test func tenThousandDeepArgChainIsLinear() throws {
        var text = "ARG A0=base\n"
        for i in 1...10_000 { text += "ARG A\(i)=$A\(i - 1)\n" }
        text += "FROM alpine:$A10000\nARG A10000\nRUN echo ${A10000}\n"
        let df = try DockerfileParser.parse(text, file: "Dockerfile")
        #expect(df.metaArguments.count == 10_001)
        #expect(df.stages[0].baseImage == "alpine:base")
        #expect(df.stages[0].instructions[2].variables == ["A10000": "base"])
    }

    @Test func doublingChainHitsTheExpansionLimit() {
        var text = "ARG A0=xxxxxxxxxxxxxxxx\n"
        for i in 1...40 { text += "ARG A\(i)=${A\(i - 1)}${A\(i - 1)}\n" }
        text += "FROM a\n"
        let e = error(Array(text.utf8))
        #expect(e?.reason == .expansion)
        #expect(e?.description.hasPrefix("Dockerfile:18: ARG: value longer than") == true)
    }

    @Test func deeplyNestedDefaultsAreRefused() {
        let nested = String(repeating: "${X:-", count: 5_000) + "v" + String(repeating: "}", count: 5_000)
        let e = error(Array("FROM a\nENV Y=\(nested)\n".utf8))
        #expect(e?.reason == .expansion && e?.line == 2)
        #expect(e?.description.contains("nested deeper than") == true)
    }

    @Test func unterminatedQuotes() {
        let env = error(Array("FROM a\nENV A=\"open\n".utf8))
        #expect(env?.description == "Dockerfile:2: ENV: unexpected end of statement while looking for matching double-quote")
        let run = error(Array("FROM a\nRUN echo ok && \\\n  echo 'open\n".utf8))
        #expect(run?.description == "Dockerfile:3: RUN: unterminated single quote")
        let flag = error(Array("FROM a\nCOPY --chown=\"a b c d\n".utf8))
        #expect(flag?.description == "Dockerfile:2: COPY: unterminated quote in a flag")
        let json = error(Array("FROM a\nENTRYPOINT [\"/bin/sh\", \"-c\"\n".utf8))
        #expect(json?.line == 2 && json?.description.contains("malformed JSON array") == true)
        let subst = error(Array("FROM a\nRUN echo $(date\n".utf8))
        #expect(subst?.line == 2 && subst?.description.contains("unterminated $(") == true)
    }

    @Test func manyContinuationsAndHugeLines() throws {
        var text = "FROM a\nRUN echo start"
        for _ in 0..<20_000 { text += " \\\n  && true" }
        text += "\n"
        let df = try DockerfileParser.parse(text, file: "Dockerfile")
        #expect(df.stages[0].instructions[1].endLine == 20_002)
        let long = "FROM a\nLABEL x=\"" + String(repeating: "a", count: 900_000) + "\"\n"
        #expect(try DockerfileParser.parse(long, file: "Dockerfile").stages[0].instructions[1].pairs.first?.value?.count == 900_000)
        let tooLong = "FROM a\nLABEL x=\"" + String(repeating: "a", count: 2_000_000) + "\"\n"
        #expect(error(Array(tooLong.utf8))?.description == "Dockerfile:2: LABEL: value longer than 1024 KiB after expansion")
    }
}
