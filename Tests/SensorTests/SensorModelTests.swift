import Foundation
import Sensor
import Testing
import TestSupport

/// The pieces of the live sensor that need no kernel: container ids from cgroup paths, open flags
/// as Falco prints them, and the recording format written by `--record`.
@Suite struct SensorModelTests {
    static let cgroupVectors = "conformance/falco/vectors/container_plugin_cgroup_matcher_vectors.json"

    @Test(arguments: [
        ("/libpod_parent/libpod-4ac86b39c9517e86ad0bed7c3acd464f9ea57f89716df04ca4f2b64f06378d7a", "4ac86b39c951"),
        ("/machine.slice/libpod-4ac86b39c9517e86ad0bed7c3acd464f9ea57f89716df04ca4f2b64f06378d7a.scope/container", nil),
        ("/docker/7951fb549ab99e0722a949b6c121634e1f3a36b5bacbe5392991e3b12251e6b8", "7951fb549ab9"),
        ("/", nil),
        ("/libpod_parent/conmon", nil),
        ("/user.slice/user-0.slice/session-1.scope", nil),
    ] as [(String, String?)])
    func containerIDs(path: String, id: String?) {
        #expect(CgroupContainerID.containerID(cgroupPath: path) == id)
    }

    /// Falco's container plugin matcher vectors (../shared/conformance). Where the expected id is
    /// not in the cgroup's last component the upstream test expects no match (it keeps its preset id).
    @Test(.requiresShared(Self.cgroupVectors)) func falcoCgroupMatcherVectors() throws {
        let file = SharedData.path(Self.cgroupVectors)
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as! [String: Any]
        let vectors = doc["vectors"] as! [[String: Any]]
        var passed = 0
        for v in vectors {
            let path = v["cgroup"] as! String, expected = v["expected_container_id"] as! String
            let got = CgroupContainerID.containerID(cgroupPath: path)
            let leaf = path.split(separator: "/").last.map(String.init) ?? ""
            let unmatched = expected == "abcdef123456" && !path.hasSuffix("/abcdef123456") || !leaf.contains(expected)
            if unmatched ? got == nil : got == expected { passed += 1 } else {
                Issue.record("\(v["name"]!): \(path) -> \(got ?? "nil"), expected \(unmatched ? "no match" : expected)")
            }
        }
        print("cgroup matcher vectors: \(passed)/\(vectors.count) passed")
        #expect(passed == vectors.count)
    }

    @Test func openFlags() {
        #expect(OpenFlags.falcoString(0) == "O_RDONLY")
        #expect(OpenFlags.falcoString(0o1101) == "O_WRONLY|O_CREAT|O_TRUNC")
        #expect(OpenFlags.falcoString(0o2000002) == "O_RDWR|O_CLOEXEC")
        #expect(OpenFlags.falcoString(0o20200002) == "O_RDWR|O_TMPFILE")
    }

    @Test func recordingRoundTrips() throws {
        var e = Event(type: "openat", pid: 42)
        e.ts = 1_700_000_000_000_000_001
        e.res = 3
        e.comm = "cat"
        e.args = ["a \"quoted\" arg", "tab\there", "nl\n", "\u{1}"]
        e.path = "/etc/shadow"
        e.flags = "O_RDONLY|O_CLOEXEC"
        e.containerID = "4ac86b39c951"
        e.containerName = "web"
        e.vpid = 7
        let line = EventEncoder.encode(e)
        let back = try #require(try EventDecoder.decode(line))
        #expect(back.type.name == "openat")
        #expect(back.ts == e.ts && back.pid == 42 && back.res == 3 && back.vpid == 7)
        #expect(back.args == e.args)
        #expect(back.path == e.path && back.flags == e.flags)
        #expect(back.containerID == e.containerID && back.containerName == "web")
        // state lines seed the table but are not events
        let state = EventEncoder.encode(e, typeOverride: "state")
        #expect(state.hasPrefix("{\"type\":\"state\""))
    }

    @Test func stateLinesSeedTheTableWithoutBeingEvents() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-state-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("r.jsonl").path
        try """
        {"type":"state","pid":10,"comm":"runc"}
        {"type":"execve","pid":11,"ppid":10,"comm":"sh","exe":"sh","args":["-c","id"],"container_id":"4ac86b39c951"}
        """.write(toFile: file, atomically: true, encoding: .utf8)
        var replay = try EventReplay(path: file)
        defer { replay.close() }
        let first = try #require(try replay.nextEvent())
        #expect(first.num == 1 && first.type.name == "execve")
        let p = try #require(replay.state.process(11))
        #expect(replay.state.parent(of: p)?.comm == "runc")
        #expect(try replay.nextEvent() == nil)
    }
}
