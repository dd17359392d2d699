import JSONValue
import Testing
import TestSupport

@Suite struct JSONTests {
    @Test func keepsKeyOrderAndNumberLiterals() throws {
        let text = #"{"b":1,"a":[4.0,100000000000000000001,-0.5e10],"c":{"z":null,"y":true}}"#
        let value = try JSONParser.parse(text)
        #expect(value.objectValue?.map(\.0) == ["b", "a", "c"])
        #expect(JSONPrinter(indent: 0).render(value) == text + "\n")
    }

    @Test func printsLikeGoMarshalIndent() throws {
        let value = JSON.object([
            ("URL", .string("https://x/?a=1&b=<2>")),
            ("Empty", .array([])),
            ("Obj", .object([])),
            ("Line", .string("a\u{2028}b\n\t\"q\"\\")),
            ("N", .double(5)),
            ("F", .double(5.3)),
        ])
        let expected = """
            {
              "URL": "https://x/?a=1\\u0026b=\\u003c2\\u003e",
              "Empty": [],
              "Obj": {},
              "Line": "a\\u2028b\\n\\t\\"q\\"\\\\",
              "N": 5,
              "F": 5.3
            }

            """
        #expect(JSONPrinter().render(value) == expected)
    }

    @Test func unicodeEscapesAndSurrogates() throws {
        let v = try JSONParser.parse(#""caf\u00e9 \ud83d\ude00 \u0041""#)
        #expect(v.stringValue == "café 😀 A")
    }

    @Test(arguments: [
        ("{\"a\":1,}", 1), ("[1,2", 1), ("{\n\"a\": tru}", 2), ("\"\u{01}\"", 1), ("01", 1), ("[1] x", 1), ("", 1),
    ])
    func rejectsMalformed(text: String, line: Int) {
        let e = #expect(throws: JSONParseError.self) { _ = try JSONParser.parse(text) }
        #expect(e?.line == line)
    }

    @Test func depthLimit() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { _ = try JSONParser.parse(deep) }
    }

    @Test(.requiresShared("reference/trivy-json-examples/trivy-alpine-310.image.json"))
    func roundTripOfTrivyReference() throws {
        let data = try SharedData.bytes("reference/trivy-json-examples/trivy-alpine-310.image.json")
        // Trivy's own output printed back byte for byte: same indentation and escaping.
        #expect(JSONPrinter().render(try JSONParser.parse(data)) == String(decoding: data, as: UTF8.self))
    }
}

#if canImport(Glibc)
import Glibc
#endif

@Suite struct JSONEmitterTests {
    @Test func jqAndGoEscapingDiffer() {
        let s = "<\u{8}\u{7F}\u{2028}é"
        var jq: [UInt8] = [], go: [UInt8] = [], ascii: [UInt8] = []
        JSONEmitter(style: JSONStyle(indent: 0, escaping: .jq)).string(s, &jq)
        JSONEmitter(style: JSONStyle(indent: 0, escaping: .go(escapeHTML: true))).string(s, &go)
        JSONEmitter(style: JSONStyle(indent: 0, escaping: .jq, asciiOnly: true)).string("é😀", &ascii)
        #expect(String(decoding: jq, as: UTF8.self) == "\"<\\b\\u007f\u{2028}é\"")
        #expect(String(decoding: go, as: UTF8.self) == "\"\\u003c\\u0008\u{7F}\\u2028é\"")
        #expect(String(decoding: ascii, as: UTF8.self) == #""\u00e9\ud83d\ude00""#)
    }
}
