import Foundation
import Testing
@testable import ConfigScan

/// The config findings of the 2026-12 hostile-input report (B4, C1, B5), named after them.
struct StageAndInstructionLimitTests {
    /// C1: more instructions than the limit end in one error at the first one past it.
    @Test func c1InstructionCountIsBounded() {
        let text = "FROM alpine:3.18\n" + String(repeating: "RUN a\n", count: 60)
        #expect {
            _ = try ConfigScanner.scan(Array(text.utf8), file: "Dockerfile", options: ParseOptions(maxInstructions: 50))
        } throws: { error in
            "\(error)" == "Dockerfile:51: more than 50 instructions; refusing the Dockerfile"
        }
        #expect(throws: Never.self) {
            _ = try ConfigScanner.scan(Array(text.utf8), file: "Dockerfile", options: ParseOptions(maxInstructions: 61))
        }
    }

    /// B4: `FROM <name>` finds the latest stage of that name (now through a dictionary), and
    /// SHELL is inherited down a long chain (now carried stage to stage, not re-walked).
    @Test func b4StageChainsResolveAndInheritShell() throws {
        var text = "FROM alpine:3.18 AS s0\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n"
        for i in 1..<3_000 { text += "FROM s\(i - 1) AS s\(i)\n" }
        text += "RUN a | b\nFROM alpine:3.18 AS s0\nFROM s0\nRUN c | d\n"
        let result = try ConfigScanner.scan(Array(text.utf8), file: "Dockerfile")
        let stages = result.dockerfile.stages
        #expect(stages[2_999].parentStage == 2_998)
        // The redefined s0 is the parent of the last stage.
        #expect(stages.last?.parentStage == 3_000)
        // The pipe in the chain runs under the inherited pipefail shell; the last one does not.
        let pipefail = result.failures.filter { $0.rule.id == RuleCatalog.pipefail.id }
        #expect(pipefail.map(\.startLine) == [stages.last!.instructions.last!.startLine])
    }

    /// B5: a FIFO named as the Dockerfile is refused without blocking.
    @Test func b5FIFOIsRefused() throws {
        let path = NSTemporaryDirectory() + "vigil-fifo-\(UUID().uuidString)"
        #expect(mkfifo(path, 0o644) == 0)
        defer { unlink(path) }
        #expect {
            _ = try ConfigScanner.scan(path: path)
        } throws: { error in
            "\(error)" == "\(path): is a FIFO or socket, not a regular file"
        }
    }

    /// Fuzz finding (Dockerfile harness, first minute): `ENV` before the first `FROM` trapped
    /// with "Index out of range"; it is BuildKit's "no build stage" error now.
    @Test func fuzzEnvBeforeFromIsAnError() {
        for text in ["ENV A=b\nFROM alpine\n", "# expect: 3 4\u{0B}FROM alpine:3.19\nENV S=x\n"] {
            #expect {
                _ = try ConfigScanner.scan(Array(text.utf8), file: "Dockerfile")
            } throws: { error in
                "\(error)".hasSuffix("ENV before the first FROM: no build stage in current context")
            }
        }
    }
}
