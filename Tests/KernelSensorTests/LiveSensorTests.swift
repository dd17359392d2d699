import Foundation
import Testing
import TestSupport

/// The live eBPF sensor against a real podman container (issue "vigil watch: live eBPF sensor").
/// Needs root, a kernel with BTF, podman and the test image that scripts/container-lab.sh builds
/// (scripts/test.sh runs it); skips with the reason when one of them is truly absent.
@Suite(.enabled(if: LiveLab.skipReason == nil), .serialized)
struct LiveSensorTests {
    let vigil = SharedData.vigilBinary!

    /// One attack and what its alert must say.
    struct Attack {
        var command: [String]
        var rule: String
        var process: String
        var files: [String] = []
    }

    static let attacks = [
        Attack(command: ["sh", "-c", "id"], rule: "Shell Spawned in Container", process: "sh"),
        Attack(command: ["cat", "/etc/shadow"], rule: "Sensitive File Read", process: "cat", files: ["/etc/shadow"]),
        Attack(command: ["useradd", "-M", "mallory"], rule: "User or Group Management", process: "useradd"),
        Attack(command: ["adduser", "--disabled-password", "--gecos", "", "eve"], rule: "User or Group Management", process: "adduser"),
        Attack(command: ["touch", "/dropped", "/root/dropped"], rule: "File Created Under Root Directory", process: "touch",
               files: ["/dropped", "/root/dropped"]),
    ]

    @Test func containerAttacksAlertWithinASecondAndReplayIdentically() throws {
        let lab = try LiveLab.start()
        defer { lab.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-live-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let alerts = dir.appendingPathComponent("alerts.jsonl").path
        let recording = dir.appendingPathComponent("events.jsonl").path
        let errors = dir.appendingPathComponent("stderr.txt").path

        let watch = try Background.start(vigil, ["watch", "--format", "json", "-o", alerts, "--record", recording],
                                         stderr: errors)
        defer { watch.terminate() }
        try #require(Background.waitFor(file: errors, containing: "watching containers", seconds: 30),
                     "vigil watch did not start: \(Background.read(errors))")

        var seen = 0
        for attack in Self.attacks {
            try lab.exec(attack.command)
            let returned = Date()
            let expected = max(1, attack.files.count)
            var lines: [[String: Any]] = []
            while Date().timeIntervalSince(returned) < 1.0 {
                lines = Self.alerts(alerts)
                if lines.count >= seen + expected { break }
                usleep(10_000)
            }
            let latency = Date().timeIntervalSince(returned)
            let new = Array(lines.dropFirst(seen))
            print("live sensor: \(attack.rule) (\(attack.command.joined(separator: " "))): \(new.count) alert(s) \(String(format: "%.3f", latency)) s after the command returned")
            #expect(new.count == expected, "\(attack.command): \(new.map { $0["output"] ?? "" })")
            for (i, alert) in new.enumerated() {
                let f = alert["output_fields"] as? [String: Any] ?? [:]
                #expect(alert["rule"] as? String == attack.rule)
                #expect(f["container.id"] as? String == lab.shortID)
                #expect(f["container.name"] as? String == lab.name)
                #expect(f["container.image"] as? String == LiveLab.image)
                #expect(f["proc.name"] as? String == attack.process)
                #expect((f["proc.pname"] as? String)?.isEmpty == false, "no parent in \(alert["output"] ?? "")")
                if i < attack.files.count { #expect(f["fd.name"] as? String == attack.files[i]) }
            }
            seen = lines.count
        }

        // benign container activity and host activity raise nothing
        for benign in [["apt-get", "--version"], ["ls", "/"], ["cat", "/etc/hostname"]] { try lab.exec(benign) }
        _ = try Run.program("/bin/sh", ["-c", "cat /etc/shadow >/dev/null; touch /tmp/vigil-host-file-$$; rm -f /tmp/vigil-host-file-$$; id >/dev/null"])
        usleep(1_500_000)
        let after = Self.alerts(alerts)
        #expect(after.count == seen, "unexpected alerts: \(after.dropFirst(seen).map { $0["output"] ?? "" })")

        watch.interrupt()
        let status = watch.wait(seconds: 10)
        #expect(status == 0, "vigil watch exited \(String(describing: status)): \(Background.read(errors))")
        let summary = Background.read(errors)
        print(summary.split(separator: "\n").suffix(2).joined(separator: "\n"))
        #expect(summary.contains(" 0 dropped"), "kernel drops: \(summary)")

        // the recording replays to the same alerts
        let replay = try Run.program(vigil, ["watch", "--replay", recording, "--format", "json"])
        #expect(replay.status == 0, "\(replay.stderr)")
        let live = Self.alerts(alerts).compactMap { $0["output"] as? String }
        let replayed = replay.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }.compactMap { $0["output"] as? String }
        #expect(live == replayed)
    }

    /// The sensor captures each exec's environment: a Shellshock payload handed to bash in the
    /// container raises the Shellshock rule naming the container, image, process and variable; an
    /// ordinary variable does not. (The image's bash is patched, so the payload does not run: the
    /// rule sees the attempt, which is what matters whatever bash version is inside.)
    @Test func shellshockPayloadInAnExecEnvironmentAlerts() throws {
        let lab = try LiveLab.start()
        defer { lab.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-shellshock-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let alerts = dir.appendingPathComponent("alerts.jsonl").path
        let errors = dir.appendingPathComponent("stderr.txt").path
        let watch = try Background.start(vigil, ["watch", "--format", "json", "-o", alerts], stderr: errors)
        defer { watch.terminate() }
        try #require(Background.waitFor(file: errors, containing: "watching containers", seconds: 30),
                     "vigil watch did not start: \(Background.read(errors))")

        try lab.exec(["env", "X=hello", "bash", "-c", "true"])
        try lab.exec(["env", "X=() { :; }; /bin/id", "bash", "-c", "true"])
        var shellshock: [[String: Any]] = []
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline {
            shellshock = Self.alerts(alerts).filter { $0["rule"] as? String == "Shellshock Exploit Attempt" }
            if !shellshock.isEmpty { break }
            usleep(20_000)
        }
        usleep(500_000)
        shellshock = Self.alerts(alerts).filter { $0["rule"] as? String == "Shellshock Exploit Attempt" }
        try #require(shellshock.count == 1, "\(Self.alerts(alerts).map { $0["output"] ?? "" })")
        let f = shellshock[0]["output_fields"] as? [String: Any] ?? [:]
        #expect(shellshock[0]["priority"] as? String == "Critical")
        #expect(f["vigil.proc.env_function"] as? String == "X=() { :; }; /bin/id")
        #expect(f["container.id"] as? String == lab.shortID)
        #expect(f["container.name"] as? String == lab.name)
        #expect(f["container.image"] as? String == LiveLab.image)
        #expect(f["proc.name"] as? String == "bash")
        #expect((shellshock[0]["tags"] as? [String])?.contains("CVE-2014-6271") == true)
    }

    /// `actions: [kill]`: with --enable-actions the matching process in the container is killed
    /// within 100 ms of its event and an audit line says so; a host process matching the same rule
    /// is left alone (the rule does not say host: true); without --enable-actions nothing is killed.
    @Test func killActionOnlyWithEnableActionsAndNeverOnTheHost() throws {
        let lab = try LiveLab.start()
        defer { lab.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-actions-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = dir.appendingPathComponent("kill.yaml").path
        try """
        - rule: Kill marked sleep
          desc: a test process that must not run
          condition: evt.type in (execve, execveat) and proc.name = sleep and proc.args contains "4242"
          output: marked sleep started (pid=%proc.pid container=%container.id)
          priority: WARNING
          actions: [kill]
        """.write(toFile: rules, atomically: true, encoding: .utf8)

        // 1. without --enable-actions: alerted, not killed
        var errors = dir.appendingPathComponent("off.err").path
        var watch = try Background.start(vigil, ["watch", "--rules", rules, "--format", "json", "-o", dir.appendingPathComponent("off.jsonl").path],
                                         stderr: errors)
        try #require(Background.waitFor(file: errors, containing: "watching containers", seconds: 30), "\(Background.read(errors))")
        try lab.execDetached(["sleep", "4242"])
        usleep(1_000_000)
        #expect(try lab.count(commandLine: "sleep 4242") == 1, "killed without --enable-actions")
        #expect(Self.alerts(dir.appendingPathComponent("off.jsonl").path).contains { $0["rule"] as? String == "Kill marked sleep" })
        watch.interrupt()
        _ = watch.wait(seconds: 10)
        try lab.exec(["sh", "-c", "for p in /proc/[0-9]*; do c=$(tr '\\0' ' ' < $p/cmdline 2>/dev/null); [ \"$c\" = 'sleep 4242 ' ] && kill ${p#/proc/}; done; true"])

        // 2. with --enable-actions (and --host, so the host process is seen too)
        let audit = dir.appendingPathComponent("audit.jsonl").path
        errors = dir.appendingPathComponent("on.err").path
        watch = try Background.start(vigil, ["watch", "--host", "--rules", rules, "--enable-actions", "--actions-log", audit,
                                             "--format", "json", "-o", dir.appendingPathComponent("on.jsonl").path], stderr: errors)
        defer { watch.terminate() }
        try #require(Background.waitFor(file: errors, containing: "watching containers", seconds: 30), "\(Background.read(errors))")
        #expect(Background.read(errors).contains("actions enabled for 1 rule(s): Kill marked sleep"))
        try lab.execDetached(["sleep", "4242"])
        try #require(Background.waitFor(file: audit, containing: "\"killed\"", seconds: 5), "no kill audited: \(Background.read(audit)) \(Background.read(errors))")
        usleep(200_000)
        #expect(try lab.count(commandLine: "sleep 4242") == 0, "the process survived")
        let lines = Background.read(audit).split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.dropFirst("vigil: action: ".count).utf8))) as? [String: Any]
        }
        let killed = try #require(lines.first { $0["result"] as? String == "killed" })
        #expect(killed["rule"] as? String == "Kill marked sleep" && killed["action"] as? String == "kill")
        #expect(killed["container.id"] as? String == lab.shortID && killed["proc.name"] as? String == "sleep")
        let ms = try #require(killed["ms_after_event"] as? Double)
        print("kill action: process killed \(ms) ms after its exec event")
        #expect(ms < 100, "kill took \(ms) ms after the event")

        // a host process matching the rule is not touched
        let host = try Background.start("/bin/sleep", ["4242"], stderr: "/dev/null")
        defer { host.terminate() }
        try #require(Background.waitFor(file: audit, containing: "skipped: a host process", seconds: 5), "\(Background.read(audit))")
        #expect(host.isRunning, "a host process was killed")
    }

    /// Without --record, read-only opens of paths no rule names stay in the kernel; the paths the
    /// rules name still alert, however they are spelled (`//`, `..`, relative to the cwd).
    @Test func kernelOpenFilterKeepsOnlyReadsTheRulesName() throws {
        let lab = try LiveLab.start()
        defer { lab.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-openfilter-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let alerts = dir.appendingPathComponent("alerts.jsonl").path
        let errors = dir.appendingPathComponent("stderr.txt").path
        let watch = try Background.start(vigil, ["watch", "--format", "json", "-o", alerts, "--dedup-window", "0"], stderr: errors)
        defer { watch.terminate() }
        // a directory opened without O_DIRECTORY, then used as the dirfd of openat(): the kernel
        // must report that open (the descriptor number was a reported file's just before)
        let source = dir.appendingPathComponent("dirfd.c").path
        try """
            #include <fcntl.h>
            #include <unistd.h>
            int main(void) {
                int t = open("/tmp/vigil-fd-reuse", O_WRONLY | O_CREAT, 0600);
                close(t);
                int d = open("/etc", O_RDONLY);
                int f = openat(d, "shadow", O_RDONLY);
                return d == t && f >= 0 ? 0 : 1;
            }
            """.write(toFile: source, atomically: true, encoding: .utf8)
        let compiled = try Run.program("/usr/bin/cc", ["-O2", "-static", "-o", dir.appendingPathComponent("vigil-dirfd").path, source])
        try #require(compiled.status == 0, "cc (scripts/system-packages.sh installs gcc): \(compiled.stderr)")
        try lab.copy(dir.appendingPathComponent("vigil-dirfd").path, to: "/usr/local/bin/vigil-dirfd")

        try #require(Background.waitFor(file: errors, containing: "watching containers", seconds: 30))
        #expect(Background.read(errors).contains("read-only opens reported for 11 paths the rules name"), "\(Background.read(errors))")
        try lab.exec(["bash", "-c", """
            for i in $(seq 300); do read -r _ < /etc/hostname; done
            cat /etc/shadow /etc//gshadow /etc/../etc/shadow >/dev/null
            cd /etc && cat gshadow >/dev/null
            vigil-dirfd
            """])
        usleep(500_000)
        watch.interrupt()
        #expect(watch.wait(seconds: 10) == 0)
        let summary = Background.read(errors)
        let reads = Self.alerts(alerts).filter { $0["rule"] as? String == "Sensitive File Read" }
        let files = reads.compactMap { ($0["output_fields"] as? [String: Any])?["fd.name"] as? String }
        #expect(files.sorted() == ["/etc/gshadow", "/etc/gshadow", "/etc/shadow", "/etc/shadow", "/etc/shadow"], "\(summary)")
        #expect(reads.contains { ($0["output_fields"] as? [String: Any])?["proc.name"] as? String == "vigil-dirfd" })
        let skipped = summary.split(separator: "\n").last { $0.contains("stats:") }?
            .split(separator: ",").first { $0.contains("read-only opens no rule matches skipped") }?
            .split(separator: " ").first.flatMap { Int($0) } ?? 0
        print("open filter: \(skipped) read-only opens skipped in the kernel, \(reads.count) sensitive reads reported")
        #expect(skipped >= 300, "\(summary)")
    }

    /// Every syscall family the kernel program reports, with relative paths resolved against the
    /// process's cwd, modes, results, set*id targets and socket addresses, read back from --record.
    @Test func syscallsAreRecordedWithResolvedPaths() throws {
        let lab = try LiveLab.start()
        defer { lab.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-syscalls-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let recording = dir.appendingPathComponent("events.jsonl").path
        let errors = dir.appendingPathComponent("stderr.txt").path
        let watch = try Background.start(vigil, ["watch", "-o", "/dev/null", "--record", recording], stderr: errors)
        defer { watch.terminate() }
        try #require(Background.waitFor(file: errors, containing: "watching containers", seconds: 30))
        try lab.exec(["bash", "-c", """
            cd /tmp && touch rel && mv rel rel2 && mkdir d && chmod 600 rel2 && rm rel2 && rmdir d
            setpriv --reuid=65534 --regid=65534 --clear-groups true
            (exec 3<>/dev/tcp/127.0.0.1/9) 2>/dev/null; true
            """])
        usleep(300_000)
        watch.interrupt()
        #expect(watch.wait(seconds: 10) == 0)
        let events = Self.alerts(recording).filter { ($0["container_id"] as? String) == lab.shortID }
        func has(_ type: String, _ fields: [String: Any]) -> Bool {
            events.contains { e in
                e["type"] as? String == type && fields.allSatisfy { k, v in "\(e[k] ?? "nil")" == "\(v)" }
            }
        }
        #expect(has("openat", ["comm": "touch", "path": "/tmp/rel", "raw_path": "rel", "flags": "O_WRONLY|O_CREAT|O_NOCTTY|O_NONBLOCK", "res": 3]))
        #expect(has("renameat2", ["comm": "mv", "oldpath": "/tmp/rel", "newpath": "/tmp/rel2"]))
        #expect(has("mkdir", ["comm": "mkdir", "path": "/tmp/d", "mode": 511]))
        #expect(has("fchmodat", ["comm": "chmod", "path": "/tmp/rel2", "mode": 384]))
        #expect(has("unlinkat", ["comm": "rm", "path": "/tmp/rel2"]))
        #expect(has("setresuid", ["comm": "setpriv", "target_id": 65534]))
        #expect(has("setresgid", ["comm": "setpriv", "target_id": 65534]))
        #expect(has("connect", ["comm": "bash", "dip": "127.0.0.1", "dport": 9, "res": -111]))
        #expect(has("execve", ["comm": "setpriv", "user": "root"]))
        // setpriv execs `true`, so the process exits under that name
        #expect(events.contains { $0["type"] as? String == "procexit" && $0["comm"] as? String == "true" })
        #expect(events.contains { $0["type"] as? String == "clone" && ($0["res"] as? Int ?? 0) > 0 })
    }

    @Test func refusesWithoutTheSensorObject() throws {
        let r = try Run.program(vigil, ["watch", "--bpf-object", "/nonexistent/vigil.bpf.o"])
        #expect(r.status == 1)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.contains("kernel sensor object not found at /nonexistent/vigil.bpf.o"))
    }

    static func alerts(_ path: String) -> [[String: Any]] {
        Background.read(path).split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }
}

/// A podman container to attack, and the podman API service the sensor asks for names.
struct LiveLab {
    static let image = ProcessInfo.processInfo.environment["VIGIL_TEST_IMAGE"] ?? "localhost/vigil-test/bookworm:minbase"
    static let podman = ["/usr/bin/podman", "/usr/local/bin/podman"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Why the live tests cannot run here (printed), or nil.
    static let skipReason: String? = {
        let reason: String? = {
            if SharedData.vigilBinary == nil { return "the vigil binary is not built" }
            if geteuid() != 0 { return "not root: the eBPF sensor needs CAP_BPF/CAP_PERFMON" }
            if !FileManager.default.fileExists(atPath: "/sys/kernel/btf/vmlinux") { return "the kernel has no BTF" }
            guard let podman else { return "podman is not installed (scripts/system-packages.sh installs it)" }
            if (try? Run.program(podman, ["image", "exists", image]))?.status != 0 {
                return "test image \(image) missing: run scripts/container-lab.sh .build/debug"
            }
            let object = URL(fileURLWithPath: SharedData.vigilBinary!).deletingLastPathComponent().appendingPathComponent("vigil.bpf.o").path
            if !FileManager.default.fileExists(atPath: object) { return "\(object) missing: run scripts/build-bpf.sh" }
            return nil
        }()
        if let reason { print("skipping live sensor tests: \(reason)") }
        return reason
    }()

    /// The test runner starts children with signals blocked; podman (Go) then never sees its
    /// children exit. Every podman call goes through python3, which clears the mask and execs it.
    static func unblocked(_ args: [String]) -> (String, [String]) {
        ("/usr/bin/python3", ["-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])"]
            + [podman!] + args)
    }

    let name: String
    let id: String
    var shortID: String { String(id.prefix(12)) }
    let service: Background?

    static func start() throws -> LiveLab {
        let podman = podman!
        let name = "vigil-live-\(getpid())"
        _ = try? Run.program(podman, ["rm", "-f", "-t0", name])
        // conmon outlives `podman run -d` and keeps the descriptors it inherited: files, not pipes
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).run").path
        let (python, runArgs) = unblocked(["run", "-d", "--name", name, "--network=none", image, "sleep", "infinity"])
        let run = try Background.start(python, runArgs, stderr: out + ".err", stdout: out)
        let status = run.wait(seconds: 120)
        let id = Background.read(out).split(separator: "\n").last.map(String.init) ?? ""
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: out + ".err") }
        guard status == 0, id.count == 64 else { throw LabError("podman run failed: \(Background.read(out + ".err"))") }
        // names and images come from podman's REST API when its socket is up (as on a real host)
        var service: Background?
        if !FileManager.default.fileExists(atPath: "/run/podman/podman.sock") {
            try FileManager.default.createDirectory(atPath: "/run/podman", withIntermediateDirectories: true)
            let (python, serviceArgs) = unblocked(["system", "service", "--time=0", "unix:///run/podman/podman.sock"])
            service = try Background.start(python, serviceArgs, stderr: "/dev/null")
            for _ in 0..<100 where !FileManager.default.fileExists(atPath: "/run/podman/podman.sock") { usleep(50_000) }
        }
        return LiveLab(name: name, id: id, service: service)
    }

    func exec(_ command: [String]) throws {
        let (python, args) = Self.unblocked(["exec", name] + command)
        let r = try Run.program(python, args)
        guard r.status == 0 else { throw LabError("podman exec \(command) failed: \(r.stderr)") }
    }

    /// Starts a command in the container without waiting for it (`podman exec -d`).
    func execDetached(_ command: [String]) throws {
        // conmon outlives `podman exec -d` and keeps the descriptors it inherited: files, not pipes
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).exec-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: out + ".err") }
        let (python, args) = Self.unblocked(["exec", "-d", name] + command)
        let run = try Background.start(python, args, stderr: out + ".err", stdout: out)
        guard run.wait(seconds: 60) == 0 else { throw LabError("podman exec -d \(command) failed: \(Background.read(out + ".err"))") }
    }

    /// How many processes in the container have exactly this command line (read from /proc).
    func count(commandLine: String) throws -> Int {
        let script = "n=0; for p in /proc/[0-9]*; do c=$(tr '\\0' ' ' < $p/cmdline 2>/dev/null); [ \"$c\" = \"\(commandLine) \" ] && n=$((n+1)); done; echo $n"
        let (python, args) = Self.unblocked(["exec", name, "sh", "-c", script])
        let r = try Run.program(python, args)
        guard r.status == 0, let n = Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw LabError("counting processes failed: \(r.stderr)")
        }
        return n
    }

    /// Copies a host file into the container.
    func copy(_ hostPath: String, to path: String) throws {
        let (python, args) = Self.unblocked(["cp", hostPath, "\(name):\(path)"])
        let r = try Run.program(python, args)
        guard r.status == 0 else { throw LabError("podman cp \(hostPath) failed: \(r.stderr)") }
    }

    func stop() {
        let (python, args) = Self.unblocked(["rm", "-f", "-t0", name])
        _ = try? Run.program(python, args)
        if let service {
            service.terminate()
            try? FileManager.default.removeItem(atPath: "/run/podman/podman.sock")
        }
    }
}

struct LabError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
