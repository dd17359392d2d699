import Testing
@testable import RuleEngine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ByteMatcher` replaces `Set<String>`, `hasPrefix`-style tests and `fnmatch` on the rule hot
/// path; these compare it with the reference behaviour on random inputs.
@Suite struct ByteMatcherTests {
    static let alphabet: [Character] = ["a", "b", "/", ".", "*", "?", "é"]

    static func random(_ rng: inout some RandomNumberGenerator, max: Int, from alphabet: [Character]) -> String {
        String((0..<Int.random(in: 0...max, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
    }

    @Test func globsAgreeWithFnmatch() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let pattern = Self.random(&rng, max: 7, from: Self.alphabet)
            let value = Self.random(&rng, max: 8, from: ["a", "b", "/", ".", "é"])
            let matcher = ByteMatcher.make(op: .glob, strings: [pattern], needles: [Array(pattern.utf8)])!
            #expect(matcher.matches(value) == (fnmatch(pattern, value, 0) == 0), "glob \(pattern) on \(value)")
        }
    }

    @Test func setsAndAffixesAgreeWithStringOperations() {
        var rng = SystemRandomNumberGenerator()
        let letters: [Character] = ["a", "b", "/", "é"]
        for _ in 0..<5_000 {
            let operands = (0..<Int.random(in: 1...5, using: &rng)).map { _ in Self.random(&rng, max: 4, from: letters) }
            let value = Self.random(&rng, max: 5, from: letters)
            let needles = operands.map { Array($0.utf8) }
            let bytes = Array(value.utf8)
            func has(_ n: [UInt8], at start: Int) -> Bool { start >= 0 && start + n.count <= bytes.count && Array(bytes[start..<(start + n.count)]) == n }
            #expect(ByteMatcher.make(op: .inSet, strings: operands, needles: needles)!.matches(value) == operands.contains(value))
            #expect(ByteMatcher.make(op: .startswith, strings: operands, needles: needles)!.matches(value) == needles.contains { has($0, at: 0) })
            #expect(ByteMatcher.make(op: .endswith, strings: operands, needles: needles)!.matches(value) == needles.contains { has($0, at: bytes.count - $0.count) })
            #expect(ByteMatcher.make(op: .contains, strings: operands, needles: needles)!.matches(value) == needles.contains { n in (0...bytes.count).contains { has(n, at: $0) } })
        }
    }

    /// Long operands (compared as first/last 8-byte words plus the middle): values that are an
    /// operand, an operand with one byte changed (in the first word, the last, or the middle),
    /// an operand's prefix or extension, or unrelated.
    @Test func longOperandsAgreeWithStringOperations() {
        var rng = SystemRandomNumberGenerator()
        let letters: [Character] = ["a", "b", "/", "é"]
        for _ in 0..<5_000 {
            let operands = (0..<Int.random(in: 1...4, using: &rng)).map { _ in Self.random(&rng, max: 30, from: letters) }
            var value = operands.randomElement(using: &rng)!
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: break
            case 1:
                var b = Array(value.utf8)
                if !b.isEmpty { b[Int.random(in: 0..<b.count, using: &rng)] ^= 0x01 }
                value = String(decoding: b, as: UTF8.self)
            case 2: value = String(value.prefix(Int.random(in: 0...value.count, using: &rng)))
            case 3: value += Self.random(&rng, max: 12, from: letters)
            default: value = Self.random(&rng, max: 30, from: letters)
            }
            let needles = operands.map { Array($0.utf8) }
            let bytes = Array(value.utf8)
            func has(_ n: [UInt8], at start: Int) -> Bool { start >= 0 && start + n.count <= bytes.count && Array(bytes[start..<(start + n.count)]) == n }
            #expect(ByteMatcher.make(op: .inSet, strings: operands, needles: needles)!.matches(value) == operands.contains(value), "\(value) in \(operands)")
            #expect(ByteMatcher.make(op: .startswith, strings: operands, needles: needles)!.matches(value) == needles.contains { has($0, at: 0) })
            #expect(ByteMatcher.make(op: .endswith, strings: operands, needles: needles)!.matches(value) == needles.contains { has($0, at: bytes.count - $0.count) })
        }
    }

    @Test func pathComponentsMatchDirectoryAndBasename() {
        for path in ["/", "/etc", "/etc/shadow", "etc/x", "x", "", "/a/b/", "//x"] {
            let dir = Paths.withComponent(path, directory: true) { String(decoding: $0, as: UTF8.self) }
            let base = Paths.withComponent(path, directory: false) { String(decoding: $0, as: UTF8.self) }
            #expect(dir == Paths.directory(path), "directory of \(path)")
            #expect(base == Paths.basename(path), "basename of \(path)")
        }
    }
}
