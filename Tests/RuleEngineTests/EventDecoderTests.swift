import Testing
import Sensor

@Suite struct EventDecoderTests {
    @Test func decodesFlatEvents() throws {
        let e = try #require(try EventDecoder.decode(#"{"ts":12,"type":"renameat2","pid":5,"oldpath":"/tmp/a\"b","newpath":"/root/\u00e9","res":0,"extra":{"nested":[1,2]},"args":["x","y"]}"#))
        #expect(e.type.name == "renameat2")
        #expect(e.type.code != 0)
        #expect(e.oldpath == "/tmp/a\"b")
        #expect(e.newpath == "/root/é")
        #expect(e.args == ["x", "y"])
    }

    @Test func skipsBlankAndCommentLines() throws {
        #expect(try EventDecoder.decode("") == nil)
        #expect(try EventDecoder.decode("# comment") == nil)
    }

    @Test(arguments: [#"{"pid":1}"#, #"{"type":"execve","pid":"x"}"#, #"{"type":"execve",}"#, #"[1]"#, #"{"type":"open"} x"#])
    func rejectsMalformed(line: String) {
        #expect(throws: EventDecodingError.self) { try EventDecoder.decode(line) }
    }

    @Test func unknownEventTypesKeepTheirName() throws {
        let e = try #require(try EventDecoder.decode(#"{"type":"newsyscall","pid":1}"#))
        #expect(e.type.code == 0)
        #expect(e.type.name == "newsyscall")
    }
}
