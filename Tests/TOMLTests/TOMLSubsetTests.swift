import Testing
import TOML

@Suite struct TOMLSubsetTests {
    /// `[[x]]` appends an element; `[x.sub]` and `x`'s keys go to the element last appended, and a
    /// sub-table may be defined again for the next element.
    @Test func arraysOfTablesAndTheirSubTables() throws {
        let text = """
        version = 3

        [[package]]
        name = "a"
        version = "1.0"

        [package.dependencies]
        version = "not a's version"

        [[package]]
        name = "b"
        version = '2.0'

        [package.dependencies]
        x = ">=1"
        """
        let document = try TOMLSubset.parseDocument(Array(text.utf8))
        guard case .array(let packages)? = document.root["package"] else { Issue.record("no package array"); return }
        #expect(packages.map { $0.table?["name"]?.string } == ["a", "b"])
        #expect(packages.map { $0.table?["version"]?.string } == ["1.0", "2.0"])
        #expect(packages[0].table?["dependencies"]?.table?["version"]?.string == "not a's version")
        #expect(document.root["version"] == .integer(3))
        #expect(document.arrayTableLines["package"] == [3, 10])
    }

    @Test func rejectsWhatIsNotTOML() {
        let duplicate = #expect(throws: TOMLSubset.Failure.self) { try TOMLSubset.parse(Array("[a]\nx = 1\n[a]\n".utf8)) }
        #expect(duplicate?.line == 3)
        let unclosed = #expect(throws: TOMLSubset.Failure.self) { try TOMLSubset.parse(Array("[[package]\nname = \"a\"\n".utf8)) }
        #expect(unclosed?.message == "expected ']]' to close the array-of-tables header")
        let notArray = #expect(throws: TOMLSubset.Failure.self) { try TOMLSubset.parse(Array("package = 1\n[[package]]\n".utf8)) }
        #expect(notArray?.message == "key 'package' is not an array of tables")
    }
}
