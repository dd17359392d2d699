import Foundation
import Testing
import TestSupport
@testable import RuleEngine

@Suite struct ConditionParserTests {
    @Test(arguments: [
        ("a", "a"),
        ("a and b or c", "((a and b) or c)"),
        ("a.b=1 or b.b=2 and c", "(a.b = 1 or (b.b = 2 and c))"),
        ("not not a", "a"),
        ("not (a.a exists)", "not a.a exists"),
        ("evt.type in (open,openat)", "evt.type in (open, openat)"),
        ("proc.aname[2] = bash", "proc.aname[2] = bash"),
        ("evt.arg.flags contains O_CREAT", "evt.arg.flags contains O_CREAT"),
        ("test.str = 'test value'", "test.str = \"test value\""),
        ("tolower(proc.name) = val(proc.pname)", "tolower(proc.name) = val(proc.pname)"),
        ("proc.name == oneof (cat, nginx)", "proc.name == oneof (cat, nginx)"),
        ("proc.name == anyof and fd.name exists", "(proc.name == anyof and fd.name exists)"),
        ("join(\"-\", (fd.name, fd.directory)) = /tmp", "join(-, (fd.name, fd.directory)) = /tmp"),
        ("macro and not_macro", "(macro and not_macro)"),
    ])
    func normalisedForm(input: String, expected: String) throws {
        #expect(try ConditionParser.parse(input).description == expected)
    }

    @Test(arguments: [
        "a andb", "and a", "a.b = b = 1", "(a.b = 1", "test.op ===", "val(test.field) exists",
        "proc.name ==oneof (cat, nginx)", "test.list in (value,)", "test.str = 'missing end quote",
        "b64 (test.field) exists", "", "evt.arg[] = value",
    ])
    func rejects(input: String) {
        #expect(throws: ConditionSyntaxError.self) { try ConditionParser.parse(input) }
    }

    @Test func errorsCarryFalcoWordingAndPosition() {
        do {
            _ = try ConditionParser.parse("evt.arg[\"x\" = value")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.message == "expected a ']' token")
            #expect(error.position.line == 1)
            #expect(error.position.column == 12)
        }
    }

    @Test func depthLimit() {
        let deep = String(repeating: "(", count: 200) + "a" + String(repeating: ")", count: 200)
        #expect(throws: ConditionSyntaxError.self) { try ConditionParser.parse(deep) }
        #expect((try? ConditionParser.parse("((((((((((a))))))))))")) != nil)
    }

    /// The 545 cases of libsinsp's filter-parser test, from ../shared/conformance (skips when absent).
    @Test(.requiresFalcoConformance) func libsinspParserVectors() throws {
        let dir = try #require(SharedData.falcoConformance)
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/vectors/libsinsp_filter_parser_vectors.json"))
        let root = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let vectors = root["vectors"] as! [[String: Any]]
        #expect(vectors.count == 545)
        var failures: [String] = []
        for v in vectors {
            let filter = v["filter"] as! String
            let kind = v["kind"] as! String
            let accepted = (try? ConditionParser.parse(filter)) != nil
            if accepted != (kind != "reject") { failures.append("\(kind): \(filter)") }
        }
        #expect(failures.isEmpty, "\(failures)")
    }
}
