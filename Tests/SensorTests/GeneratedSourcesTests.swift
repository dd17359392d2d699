import Foundation
import Testing
import TestSupport
@testable import Sensor

/// `Sources/Sensor/Generated` is written by scripts/generate-event-fields.sh from
/// scripts/event-fields/*.txt; these tests keep the committed files and the tables in step, and
/// check that what the tables define behaves as one list (every key decodes, encodes and merges).
@Suite struct GeneratedSourcesTests {
    /// The committed generated files are exactly the generator's output (edit the table, not them).
    @Test(.requiresExecutable("/usr/bin/python3", "runs the generator"))
    func generatedFilesMatchTheGenerator() throws {
        let run = try Run.program("/usr/bin/python3", [SharedData.repoRoot + "/scripts/event-fields/generate.py", "--check"])
        #expect(run.status == 0, "\(run.stderr)")
    }

    /// Every field the format has survives encode → decode → encode unchanged, with a distinct
    /// value per key, so a field missing from the encoder, the decoder or the storage shows here.
    @Test func everyKeyRoundTrips() throws {
        var members: [String] = []
        var seen = Set<String>()
        for (n, (key, field)) in EventDecoder.keyNames.enumerated() {
            // aliases (`name`, `target_uid`) decode to a field already written under its own key
            guard seen.insert("\(field)").inserted else { continue }
            if key == "type" { members.append(#""type":"execve""#); continue }
            // the value kind each key takes, found by asking the decoder
            func decodes(_ value: String) -> Bool { (try? EventDecoder.decode("{\"type\":\"x\",\"pid\":1,\"\(key)\":\(value)}")) != nil }
            let value = decodes("7") ? "\(100 + n)" : decodes("true") ? "\(n % 2 == 0)" : decodes("\"s\"") ? "\"v\(n)\"" : "[\"v\(n)\",\"w\(n)\"]"
            members.append("\"\(key)\":\(value)")
        }
        let line = "{" + members.joined(separator: ",") + "}"
        let decoded = try #require(try EventDecoder.decode(line))
        let encoded = EventEncoder.encode(decoded)
        for m in members {
            #expect(encoded.contains(m), "\(m) lost in \(encoded)")
        }
        let again = try #require(try EventDecoder.decode(encoded))
        #expect(EventEncoder.encode(again) == encoded)
    }

    /// A process-snapshot key set on an event reaches the process table.
    @Test func snapshotFieldsReachTheProcessTable() throws {
        let line = #"{"type":"execve","pid":7,"ppid":1,"comm":"c","loginuid":1000,"vpid":3,"cap_effective":"CAP_A","k8s_pod":"p","container_id":"abc","container_name":"n"}"#
        var state = SystemState(hostname: "h")
        var e = try #require(try EventDecoder.decode(line))
        #expect(e.carriesProcess)
        let p = state.apply(&e)
        #expect(p.loginuid == 1000 && p.vpid == 3 && p.capEffective == "CAP_A" && p.k8sPod == "p")
        #expect(p.containerID == "abc" && p.containerName == "n" && p.comm == "c")
    }
}
