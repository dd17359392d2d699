import Foundation
import Testing
import TestSupport

/// The `vigil watch` DaemonSet (deploy/kubernetes/watch.yaml) runs unprivileged with a list of
/// added capabilities. This runs the real sensor with exactly that list as its bounding set
/// (setpriv), and checks that the two the loader needs are each necessary: the manifest's claim
/// that `privileged: true` is not needed is tested, not assumed.
@Suite(.enabled(if: SensorCapabilityLab.skipReason == nil, "needs root, BTF, setpriv and the built sensor"), .serialized)
struct DaemonSetCapabilitiesTests {
    static let manifest = SharedData.repoRoot + "/deploy/kubernetes/watch.yaml"


    /// The capabilities the manifest adds (`add: [BPF, PERFMON, …]`), lowercased as setpriv names them.
    static func manifestCapabilities() throws -> [String] {
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        let lines = text.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("add: [") }
        try #require(lines.count == 1, "watch.yaml must add capabilities on one `add: [...]` line")
        let inner = lines[0].split(separator: "[", maxSplits: 1)[1].split(separator: "]")[0]
        return inner.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    /// Runs `vigil watch` for a moment with `caps` as the whole bounding set; its stderr.
    func watch(with caps: [String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-caps-\(getpid())-\(caps.count)")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let errors = dir.appendingPathComponent("stderr").path
        let bounding = (["-all"] + caps.map { "+" + $0 }).joined(separator: ",")
        let run = try Background.start("/usr/bin/setpriv", ["--bounding-set", bounding, "--inh-caps", "-all", "--",
                                                            SharedData.vigilBinary!, "watch", "--stats", "1"], stderr: errors)
        defer { run.terminate() }
        _ = Background.waitFor(file: errors, containing: "vigil:", seconds: 30)
        _ = Background.waitFor(file: errors, containing: "stats:", seconds: 5)
        return Background.read(errors)
    }

    @Test func theManifestsCapabilitiesLoadTheSensorAndEachLoaderCapabilityIsNeeded() throws {
        let caps = try Self.manifestCapabilities()
        #expect(caps.contains("bpf") && caps.contains("perfmon"))
        #expect(!caps.contains("sys_admin"), "CAP_SYS_ADMIN is as good as privileged")
        let granted = try watch(with: caps)
        #expect(granted.contains("kernel programs attached"), "\(granted)")
        for missing in ["bpf", "perfmon"] {
            let refused = try watch(with: caps.filter { $0 != missing })
            #expect(refused.contains("the kernel refused the sensor program"), "without \(missing): \(refused)")
        }
        #expect(try String(contentsOfFile: Self.manifest, encoding: .utf8).contains("privileged: false"))
    }
}

/// Whether the capability test can run here.
enum SensorCapabilityLab {
    static let skipReason: String? = {
        guard let vigil = SharedData.vigilBinary else { return "the vigil binary is not built" }
        if geteuid() != 0 { return "not root" }
        if !FileManager.default.fileExists(atPath: "/sys/kernel/btf/vmlinux") { return "the kernel has no BTF" }
        if !FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") { return "setpriv (util-linux) missing" }
        let object = URL(fileURLWithPath: vigil).deletingLastPathComponent().appendingPathComponent("vigil.bpf.o").path
        if !FileManager.default.fileExists(atPath: object) { return "\(object) missing: run scripts/build-bpf.sh" }
        return nil
    }()
}
