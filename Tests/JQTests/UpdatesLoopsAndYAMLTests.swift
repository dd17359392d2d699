import Testing
@testable import JQ

// Path updates done in place, loops and tail calls in constant stack, regexes with a retry
// limit, and the YAML codec. Expected values were checked against jq 1.6 at /usr/bin/jq where it
// agrees with jq 1.8 (updates, deletions, entries, loops).

@Test(arguments: [
    // updates never leak into other references to the same value
    (". as $x | .a = 1 | [$x, .]", #"{"a":0}"#, [#"[{"a":0},{"a":1}]"#]),
    (". as $x | .[0].b |= . + 1 | [$x, .]", #"[{"b":1}]"#, [#"[[{"b":1}],[{"b":2}]]"#]),
    ("[.[] = 1, .]", "[5,6]", ["[[1,1],[5,6]]"]),
    ("reduce range(3) as $i (.; .[$i] = $i) | ., length", "[]", ["[0,1,2]", "3"]),
    (". as $x | reduce range(2) as $i (.; . + [$i]) | [$x, .]", "[9]", ["[[9],[9,0,1]]"]),
    ("reduce .[] as $x ({}; .[$x.k] += $x.v)", #"[{"k":"a","v":1},{"k":"b","v":2},{"k":"a","v":3}]"#, [#"{"a":4,"b":2}"#]),
    ("reduce .[] as $x (null; .[$x] |= (. // 0) + 1)", #"["a","b","a"]"#, [#"{"a":2,"b":1}"#]),
    ("reduce (1,2) as $x (0; . + (10, 100))", "null", ["200"]),
    ("reduce (1,2) as $x ([]; .[0] = empty)", "null", ["null"]),
    // deletions grouped per container, with jq's semantics
    ("del(.[1,3,-1])", "[0,1,2,3,4,5]", ["[0,2,4]"]),
    ("del(.[] | select(. % 2 == 0))", "[0,1,2,3,4,5]", ["[1,3,5]"]),
    ("del(.a, .c.d, .c.e[0])", #"{"a":1,"b":2,"c":{"d":3,"e":[4,5]}}"#, [#"{"b":2,"c":{"e":[5]}}"#]),
    ("del(.[0], .[0].a)", #"[{"a":1},2]"#, ["[2]"]),
    ("del(.[1:3], .[0])", "[0,1,2,3]", ["[3]"]),
    ("delpaths([[\"a\",\"x\"],[\"b\"]])", #"{"a":{"x":1,"y":2},"b":3}"#, [#"{"a":{"y":2}}"#]),
    ("try del(.a) catch .", "[1]", [#""Cannot index array with string (\"a\")""#]),
    ("try delpaths([[\"a\"]]) catch .", "[1]", [#""Cannot delete field at object index of array""#]),
    ("try delpaths([[0]]) catch .", #"{"a":1}"#, [#""Cannot delete field at number index of object""#]),
    ("to_entries", "[7,8]", [#"[{"key":0,"value":7},{"key":1,"value":8}]"#]),
    ("from_entries", #"[{"k":"a","v":1},{"name":"b","value":null},{"key":false,"Value":2},{"Key":3}]"#, [#"{"a":1,"b":null,"false":2,"3":null}"#]),
    ("with_entries(.value += 1)", #"{"a":1,"b":2}"#, [#"{"a":2,"b":3}"#]),
    ("try from_entries catch .", "[1]", [#""Cannot index number with string (\"key\")""#]),
    ("[limit(3; .[] |= . * 2)]", "[1,2]", ["[[2,4]]"]),
    (".[2:4] = [\"x\"]", "[0,1,2,3,4]", [#"[0,1,"x",4]"#]),
    ("setpath([\"a\",0,\"b\"]; 1)", "null", [#"{"a":[{"b":1}]}"#]),
    ("try setpath([1e9]; 1) catch .", "[]", [#""Array index too large""#]),
])
func updatesInPlace(program: String, input: String, expected: [String]) throws {
    #expect(try run(program, input) == expected)
}

@Test(arguments: [
    // tail calls reuse the frame: far deeper than the 20,000-call guard
    ("def f: if . < 100000 then .+1 | f else . end; f", "0", ["100000"]),
    ("def f($n): if $n == 0 then . else . + 1 | f($n - 1) end; f(100000)", "0", ["100000"]),
    ("def f(g): if . < 100000 then g | f(g) else . end; f(.+1)", "0", ["100000"]),
    ("def r: ., (.+1 | if . < 100000 then r else empty end); [r] | length", "0", ["100000"]),
    ("until(. >= 100000; .+1)", "0", ["100000"]),
    ("[while(. < 100000; .+1)] | length", "0", ["100000"]),
    ("[recurse(if . < 100000 then .+1 else empty end)] | length", "0", ["100001"]),
    // order and multiple outputs as jq: depth first
    ("[recurse(if . < 3 then .+1, .+10 else empty end)]", "0", ["[0,1,2,3,12,11,10]"]),
    ("[.[] | until(. > 4; .+2, .+3)]", "[1]", ["[5,6,6,7]"]),
    ("[while(. < 4; .+1, .+2)]", "[1]", ["[]"]),
    ("[3 | while(. < 6; .+1, .+2)]", "null", ["[3,4,5,5]"]),
    ("[recurse(.[]?)]", "[[1],2]", ["[[[1],2],[1],1,2]"]),
    ("[recurse(.a; . != null)]", #"{"a":{"a":null}}"#, [#"[{"a":{"a":null}},{"a":null}]"#]),
    ("[paths]", #"{"a":[{"b":1}],"c":2}"#, [#"[["a"],["a",0],["a",0,"b"],["c"]]"#]),
    ("[..]", "[[1,[2]],3]", ["[[[1,[2]],3],[1,[2]],1,[2],2,3]"]),
    ("[label $out | recurse(if . > 2 then break $out else .+1 end)]", "0", ["[0,1,2,3]"]),
    ("[first(range(10;0;-1))], [limit(3; repeat(.))]", "1", ["[10]", "[1,1,1]"]),
    ("try (def f: error(\"x\"), f; f) catch .", "null", [#""x""#]),
])
func loopsAndTailCalls(program: String, input: String, expected: [String]) throws {
    #expect(try run(program, input) == expected)
}

@Test func nonTailRecursionIsStillBounded() {
    #expect(throws: (any Error).self) { try run("def f: [f]; f") }
}

@Test(arguments: [
    (#"[match("(a)(b)?"; "g") | [.offset, .length, .captures[1].offset, .captures[1].string]]"#, #""aab""#,
     ["[[0,1,-1,null],[1,2,2,\"b\"]]"]),
    (#"[match(""; "g") | .offset]"#, #""aé""#, ["[0,1,2]"]),
    (#"[match("a*"; "g") | .string]"#, #""aab""#, [#"["aa","",""]"#]),
    (#"capture("(?<y>\\d+)-(?<m>\\d+)")"#, #""2024-05""#, [#"{"y":"2024","m":"05"}"#]),
    (#"sub("(?<x>[a-z]+)"; "<\(.x)>"; "g")"#, #""ab 12 cd""#, [#""<ab> 12 <cd>""#]),
    (#"[scan("\\p{Lu}")]"#, #""aÉbC""#, [#"["É","C"]"#]),
    (#"test("ÉCOLE"; "i")"#, #""école""#, ["true"]),
    (#"try test("(") catch (. | startswith("( (at offset 0) is not a valid regex"))"#, #""x""#, ["true"]),
])
func regexesUseOniguruma(program: String, input: String, expected: [String]) throws {
    #expect(try run(program, input) == expected)
}

@Test func regexBacktrackingIsBounded() throws {
    // jq's answer (false) or Oniguruma's retry-limit error, never an endless search
    let r = try run(#"try test("(a+)+$") catch ."#, "\"" + String(repeating: "a", count: 40) + "!\"")
    #expect(r == ["false"] || r == [#""Regex failure: retry-limit-in-match over""#])
}

// MARK: YAML

func yamlValues(_ text: String) throws -> [String] {
    try YAMLCodec.documents(Array(text.utf8)).map(\.jsonText)
}

@Test func yamlMultiDocumentStream() throws {
    #expect(try yamlValues("a: 1\n---\n- x\n- y\n---\nplain\n") == [#"{"a":1}"#, #"["x","y"]"#, #""plain""#])
    #expect(try yamlValues("") == [])
}

@Test func yamlCoreSchemaScalars() throws {
    let doc = """
    n1: ~
    n2: null
    n3:
    b1: true
    b2: False
    s1: yes
    s2: off
    i1: 42
    i2: -0x1F
    i3: 0o17
    i4: 007
    f1: 1.5
    f2: .5
    f3: 1e3
    big: 123456789012345678901234567890
    q1: "42"
    q2: 'true'
    ver: 1.10
    """
    // the same document in JSON, read by the JSON reader
    let json = #"{"n1":null,"n2":null,"n3":null,"b1":true,"b2":false,"s1":"yes","s2":"off","i1":42,"i2":-31,"i3":15,"i4":7,"f1":1.5,"f2":0.5,"f3":1e3,"big":123456789012345678901234567890,"q1":"42","q2":"true","ver":1.10}"#
    #expect(try yamlValues(doc) == [try ValueReader.parseOne(json).jsonText])
    #expect(try yamlValues("[.inf, -.Inf, .nan]") == [Value.array([.number(.infinity), .number(-.infinity), .number(.nan)]).jsonText])
}

@Test func yamlAnchorsAliasesAndMergeKeys() throws {
    let doc = """
    base: &b {cpu: 1, mem: 2}
    list: &l [1, 2]
    copy: *b
    again: *l
    merged:
      <<: *b
      mem: 4
      extra: true
    multi:
      <<: [*b, {disk: 9}]
    """
    #expect(try yamlValues(doc) == [
        #"{"base":{"cpu":1,"mem":2},"list":[1,2],"copy":{"cpu":1,"mem":2},"again":[1,2],"merged":{"cpu":1,"mem":4,"extra":true},"multi":{"cpu":1,"mem":2,"disk":9}}"#,
    ])
}

@Test func yamlAliasBombIsRefused() {
    var doc = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for i in 1...9 {
        doc += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
    }
    #expect(throws: YAMLCodec.Failure.self) { try YAMLCodec.documents(Array(doc.utf8)) }
    do {
        _ = try YAMLCodec.documents(Array(doc.utf8))
    } catch {
        #expect(error.message.contains("too many values through aliases"))
    }
}

@Test func yamlTimestampsAndKeys() throws {
    // timestamps as gojq 0.12.11 prints them (checked with `gojq --yaml-input`)
    let doc = """
    a: 2001-12-14t21:59:43.10-05:00
    b: 2001-12-14 21:59:43.10 -5
    c: 2002-12-14T01:02:03Z
    d: "2002-12-14"
    date: 2002-12-14
    n: 2002-12-14T01:02:03.5+02:00
    tagged: !!timestamp 2002-1-2
    1: one
    true: yes
    1.5: x
    ~: nothing
    """
    #expect(try yamlValues(doc) == [
        #"{"a":"2001-12-14T21:59:43-05:00","b":"2001-12-14 21:59:43.10 -5","c":"2002-12-14T01:02:03Z","d":"2002-12-14","date":"2002-12-14T00:00:00Z","n":"2002-12-14T01:02:03+02:00","tagged":"2002-01-02T00:00:00Z","1":"one","true":"yes","1.5":"x","null":"nothing"}"#,
    ])
}

@Test func yamlErrorsNameTheLine() {
    do {
        _ = try YAMLCodec.documents(Array("a: 1\nb: [1, 2\nc: 3\n".utf8))
        Issue.record("no error")
    } catch {
        #expect(error.message.hasPrefix("invalid YAML at line"))
        #expect(!error.message.contains("\n"))
    }
}

@Test func yamlOutputRoundTrips() throws {
    let values: [Value] = try [
        ##"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","labels":{"app":"web"}},"data":{"a":"yes","b":"1.5","c":"null","d":"multi\nline\n","e":"","f":"- dash","g":"#hash","h":"2001-12-14","i":"<<","j":"on"}}"##,
        #"[1,-2.5,true,null,[],{},"ünïcode",[[1]],{"k":[{"x":1}]}]"#,
    ].map { try ValueReader.parseOne($0) }
    for v in values {
        let text = try YAMLCodec.document(v, sortKeys: false)
        let back = try YAMLCodec.documents(Array(text.utf8))
        #expect(back.map(\.jsonText) == [v.jsonText], "\(text)")
    }
}
