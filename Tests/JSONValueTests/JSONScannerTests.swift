import JSONValue
import Testing

/// Records what the scanner hands a builder (keys, duplicate flags) as a flat description.
private struct TraceBuilder: JSONBuilder {
    func null() -> String { "null" }
    func bool(_ value: Bool) -> String { "\(value)" }
    func number(_ text: UnsafeBufferPointer<UInt8>, integer: Int64?) -> String {
        integer.map { "i\($0)" } ?? "n" + String(decoding: text, as: UTF8.self)
    }
    func number(_ value: Double) -> String { "d\(value)" }
    func string(_ value: String) -> String { "s" + value }
    func array(_ elements: UnsafeMutableBufferPointer<String>) -> String { "[" + elements.moveToArray().joined(separator: ",") + "]" }
    func object(keys: [String], values: UnsafeMutableBufferPointer<String>, hasDuplicateKeys: Bool) -> String {
        let v = values.moveToArray()
        return (hasDuplicateKeys ? "dup{" : "{") + zip(keys, v).map { "\($0):\($1)" }.joined(separator: ",") + "}"
    }
}

@Suite struct JSONScannerTests {
    private func scan(_ text: String, _ syntax: JSONSyntax = .jq) throws(JSONSyntaxError) -> [String] {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { (buf) throws(JSONSyntaxError) -> [String] in
            var s = JSONScanner(buf, syntax: syntax, builder: TraceBuilder())
            var out: [String] = []
            while !s.atEnd() { out.append(try s.readValue()) }
            return out
        }
    }

    @Test func interningKeepsDistinctKeysAndValuesApart() throws {
        // Same shape repeated, values that share a cache slot length, keys differing in one byte.
        let text = #"{"alpha":"sha256:0001","alphb":"x"} {"alpha":"sha256:0002","alphb":"x"} {"alphb":"x","alpha":"y"}"#
        #expect(try scan(text) == ["{alpha:ssha256:0001,alphb:sx}", "{alpha:ssha256:0002,alphb:sx}", "{alphb:sx,alpha:sy}"])
    }

    @Test func interningOnLargeInputs() throws {
        // Above 16 KiB the interning tables are on: repeated shapes and values, colliding lengths.
        var text = "", expected: [String] = []
        for i in 0..<3000 {
            let dup = i % 5 == 0
            text += #"{"alpha":"sha256:000\#(i % 7)","alphb":\#(i),"k\#(i % 300)":"v\#(i % 11)"\#(dup ? #","alpha":null"# : "")} "#
            expected.append((dup ? "dup{" : "{") + "alpha:ssha256:000\(i % 7),alphb:i\(i),k\(i % 300):sv\(i % 11)" + (dup ? ",alpha:null}" : "}"))
        }
        #expect(text.utf8.count > 16 << 10)
        #expect(try scan(text) == expected)
    }

    @Test func duplicateKeysAreFlaggedExactly() throws {
        #expect(try scan(#"{"a":1,"b":2,"a":3}"#) == ["dup{a:i1,b:i2,a:i3}"])
        #expect(try scan(#"{"a":{"a":1},"b":{"b":2}}"#) == ["{a:{a:i1},b:{b:i2}}"])
        // keys with escapes are not interned and are compared as strings
        #expect(try scan(#"{"\u0061":1,"a":2}"#) == ["dup{a:i1,a:i2}"])
        #expect(try scan(#"{"\u0061":1,"b":2}"#) == ["{a:i1,b:i2}"])
    }

    @Test func numbersAndLiterals() throws {
        #expect(try scan("12 -0 4.0 1e2 1234567890123456 nan -Infinity") == ["i12", "i0", "n4.0", "n1e2", "n1234567890123456", "dnan", "d-inf"])
        #expect(try scan("007") == ["n007"])
        #expect(throws: JSONSyntaxError.self) { _ = try scan("007", .strict) }
        #expect(throws: JSONSyntaxError.self) { _ = try scan("nan", .strict) }
    }

    @Test func stringsAcrossTheEightByteScan() throws {
        let long = String(repeating: "abcdefgh", count: 20)
        #expect(try scan("\"\(long)\" \"\(long)x\\n\" \"é\u{1}\"") == ["s" + long, "s" + long + "x\n", "sé\u{1}"])
        #expect(throws: JSONSyntaxError.self) { _ = try scan("\"é\u{1}\"", .strict) }
    }

    @Test func errorsCarryKindAndPosition() {
        let e = #expect(throws: JSONSyntaxError.self) { _ = try scan("[1,\n 2 3]") }
        #expect(e?.kind == .expectedSeparator && e?.line == 2 && e?.column == 3)
        let u = #expect(throws: JSONSyntaxError.self) { _ = try scan(#"["\q"]"#) }
        #expect(u?.kind == .invalidEscape)
    }

    @Test func invalidUTF8IsRepairedOrRejected() throws {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x22]
        let repaired = try bytes.withUnsafeBufferPointer { (buf) throws(JSONSyntaxError) -> String in
            var s = JSONScanner(buf, syntax: .jq, builder: TraceBuilder())
            return try s.readValue()
        }
        #expect(repaired == "sa\u{FFFD}")
        #expect(throws: JSONParseError.self) { _ = try JSONParser.parse(bytes) }
    }
}
