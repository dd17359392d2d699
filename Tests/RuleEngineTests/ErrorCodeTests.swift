import Foundation
import RuleEngine
import Sensor
import Testing
import VigilCore

/// Rules and recordings read through SystemIO keep their wording; codes are stable.
@Suite struct RuleEngineErrorCodeTests {
    @Test func anUnreadableRulesFile() {
        let dir = NSTemporaryDirectory()
        let error = #expect(throws: RuleEngineError.self) { try RuleSet.load(files: [dir]) }
        #expect(error?.code == "rules.io")
        #expect(error?.description == "\(dir): cannot read rules file: is a directory, not a file")
    }

    @Test func rulesFilesStopAtSixteenMiB() {
        let error = #expect(throws: RuleEngineError.self) { try RuleSet.load(files: ["/dev/zero"]) }
        #expect(error?.description == "/dev/zero: cannot read rules file: more than the 16 MiB limit")
    }

    @Test func aRecordingThatIsADirectory() {
        let dir = NSTemporaryDirectory()
        let error = #expect(throws: FileIO.Failure.self) { try EventReplay(path: dir) }
        #expect(error?.code == "io.not-a-file")
        #expect(error?.description == "\(dir): is a directory, not a file")
    }

    @Test func aBadEventLineCarriesTheReplayCode() throws {
        let path = NSTemporaryDirectory() + "vigil-bad-\(UUID().uuidString).jsonl"
        try Data("{\"type\": \"execve\"\n".utf8).write(to: URL(fileURLWithPath: path))
        var replay = try EventReplay(path: path)
        let error = #expect(throws: EventSourceError.self) { try replay.next() }
        #expect(error?.code == "events.invalid-event")
        #expect(error?.description.hasPrefix("\(path):1: invalid event: ") == true)
    }

    @Test func reasonCodes() {
        #expect(RuleEngineError(.syntax, "m").code == "rules.syntax")
        #expect(RuleEngineError(.output, "write failed", location: "alerts.json").description == "alerts.json: write failed")
    }
}
