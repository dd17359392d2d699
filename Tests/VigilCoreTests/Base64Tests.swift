import Foundation
import Testing
import VigilCore

@Suite struct Base64Tests {
    /// Foundation's encoder is the independent reference: every length mod 3, random bytes.
    @Test(arguments: 0..<40) func encodesAsFoundationDoes(length: Int) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = Base64.encode(bytes)
        #expect(text == Data(bytes).base64EncodedString())
        #expect(Base64.decode(text.utf8, padding: .endsData, rejectsLoneCharacter: true) == bytes)
        #expect(Base64.decode(text.utf8, padding: .isSkipped, rejectsLoneCharacter: false) == bytes)
    }

    /// jq ends the data at the first `=` and rejects a lone trailing character; libsinsp skips
    /// every `=` and drops the lone six bits.
    @Test func paddingAndLoneCharacters() {
        #expect(Base64.decode("YWJj=ZGVm".utf8, padding: .endsData, rejectsLoneCharacter: true) == Array("abc".utf8))
        #expect(Base64.decode("YWJj=ZGVm".utf8, padding: .isSkipped, rejectsLoneCharacter: false) == Array("abcdef".utf8))
        #expect(Base64.decode("YWJjZ".utf8, padding: .endsData, rejectsLoneCharacter: true) == nil)
        #expect(Base64.decode("YWJjZ".utf8, padding: .isSkipped, rejectsLoneCharacter: false) == Array("abc".utf8))
        #expect(Base64.decode("YW*j".utf8, padding: .isSkipped, rejectsLoneCharacter: false) == nil)
    }
}

@Suite struct HTMLTextTests {
    @Test func escapesTheFiveCharacters() {
        #expect(HTMLText.escape("<a href=\"x\">Tom & Jerry's</a>") == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
        #expect(HTMLText.escape("it's", apostrophe: "&apos;") == "it&apos;s")
        #expect(HTMLText.escape("plain ü text") == "plain ü text")
    }
}

@Suite struct SeverityTests {
    @Test func namesOrderAndTrivyNumbers() {
        #expect(Severity.allCases.map(\.description) == ["UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"])
        #expect(Severity.allCases.map(\.rawValue) == [0, 1, 2, 3, 4])
        #expect(Severity(name: "high") == .high && Severity(name: "severe") == nil)
        #expect(Severity.low < .critical)
    }
}
