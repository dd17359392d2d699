import Testing
@testable import JQ

/// Runs `program` on `input` (JSON text) and returns the outputs as compact JSON texts.
func run(_ program: String, _ input: String = "null") throws -> [String] {
    try withLargeStack { try runOnThisThread(program, input) }
}

func runOnThisThread(_ program: String, _ input: String) throws -> [String] {
    let ev = Evaluator()
    let (node, env) = try ev.compile(program)
    let value = try ValueReader.parseOne(input)
    var out: [String] = []
    try ev.eval(node, env, value, nil) { v, _ in out.append(v.jsonText) }
    return out
}

@Test(arguments: [
    (".a", #"{"a":1}"#, ["1"]),
    (".[] | select(. > 1)", "[1,2,3]", ["2", "3"]),
    ("[.[] | . * 2]", "[1,2]", ["[2,4]"]),
    ("reduce .[] as $x (0; . + $x)", "[1,2,3]", ["6"]),
    ("[foreach .[] as $x (0; . + $x)]", "[1,2,3]", ["[1,3,6]"]),
    ("[limit(3; repeat(1))]", "null", ["[1,1,1]"]),
    ("def f(x): x * 2; f(.)", "3", ["6"]),
    ("[paths]", #"{"a":[1]}"#, [#"[["a"],["a",0]]"#]),
    (".a |= . + 1", #"{"a":1}"#, [#"{"a":2}"#]),
    ("del(.[0])", "[1,2]", ["[2]"]),
    ("to_entries", #"{"a":1}"#, [#"[{"key":"a","value":1}]"#]),
    ("group_by(.s) | map(length)", #"[{"s":"a"},{"s":"b"},{"s":"a"}]"#, ["[2,1]"]),
    (#"test("OVER"; "i")"#, #""stack overflow""#, ["true"]),
    (#"[match("a(b)"; "g") | .captures[0].string]"#, #""abab""#, [#"["b","b"]"#]),
    (#"gsub("a"; "x")"#, #""banana""#, [#""bxnxnx""#]),
    ("@csv", #"[1,"a\"b",null]"#, [#""1,\"a\"\"b\",""#]),
    ("@base64d", #""aGVsbG8=""#, [#""hello""#]),
    (". as [$a, {b: $c}] | $a + $c", #"[1,{"b":2}]"#, ["3"]),
    ("try error(\"x\") catch .", "null", [#""x""#]),
    ("label $out | 1, break $out, 2", "null", ["1"]),
    ("$__loc__", "null", [#"{"file":"<top-level>","line":1}"#]),
    ("\"a\\(1 + 2)b\"", "null", [#""a3b""#]),
    ("[.[] | tostring]", "[1.000, 100000000000000000001]", [#"["1.000","100000000000000000001"]"#]),
    ("strftime(\"%Y-%m-%d\")", "1700000000", [#""2023-11-14""#]),
    ("todate", "0", [#""1970-01-01T00:00:00Z""#]),
])
func evaluates(program: String, input: String, expected: [String]) throws {
    #expect(try run(program, input) == expected)
}

@Test func literalsPassThroughUnchanged() throws {
    #expect(try run(".", "[4.0, 13911860366432393, 1E+1000]") == ["[4.0,13911860366432393,1E+1000]"])
    #expect(try run(". + 1", "4.0") == ["5"])
}

@Test func compileErrorsAreReported() {
    #expect(throws: CompileError.self) { try run("nosuchfunction") }
    #expect(throws: CompileError.self) { try run(".a |") }
}

@Test func runtimeErrorsHaveJqMessages() {
    do {
        _ = try run(".a", "1")
        Issue.record("expected an error")
    } catch let e as JQError {
        #expect(e.messageText == #"Cannot index number with string ("a")"#)
    } catch {
        Issue.record("unexpected \(error)")
    }
}

@Test func hostileInputsAreBounded() throws {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(throws: JSONReadError.self) { try withLargeStack { try ValueReader.parseOne(deep) } }
    // invalid UTF-8 is replaced, not rejected
    let bytes: [UInt8] = [0x22, 0xFF, 0x61, 0x22]
    let v = try bytes.withUnsafeBufferPointer { b -> Value in
        var r = ValueReader(b)
        return try r.parseValue()
    }
    #expect(v.jsonText == "\"\u{FFFD}a\"")
    // unbounded recursion hits the depth limit instead of the stack guard
    #expect(throws: JQError.self) { try run("def f: 1 + f; f") }
}

@Test func writerFormatsLikeJq() {
    var w = ValueWriter()
    w.indent = 2
    let v = Value.object(JQObject(keys: ["a", "b"], values: [.array([.number(1)]), .string("é")]))
    #expect(w.render(v) == "{\n  \"a\": [\n    1\n  ],\n  \"b\": \"é\"\n}")
    w.asciiOutput = true
    w.indent = 0
    #expect(w.render(.string("é😀")) == #""\u00e9\ud83d\ude00""#)
    #expect(ValueWriter.formatDouble(1e17) == "1e+17")
    #expect(ValueWriter.formatDouble(3.0) == "3")
}
