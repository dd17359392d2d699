import Foundation

/// Runs a program to completion with posix_spawn and waitpid, its output in files. Foundation's
/// `Process.waitUntilExit` was seen hanging here on a child that had exited (a zombie never
/// reaped) once the test process ran NIO event loops; files instead of pipes also mean a daemon
/// the program leaves behind (`pg_ctl start`) cannot hold our read open.
enum Spawn {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Waits on a thread of its own: a blocking waitpid on one of the (two, on this machine)
    /// cooperative threads would starve the in-process server the child may be talking to.
    static func run(_ argv: [String], input: String? = nil, environment: [String: String]? = nil) async throws -> Result {
        try await withCheckedThrowingContinuation { c in
            let t = Thread { c.resume(with: Result_(catching: { try runBlocking(argv, input: input, environment: environment) })) }
            t.start()
        }
    }

    private typealias Result_ = Swift.Result<Result, any Error>

    static func runBlocking(_ argv: [String], input: String?, environment: [String: String]?) throws -> Result {
        let base = NSTemporaryDirectory() + "/vigil-spawn-\(UUID().uuidString)"
        defer { for s in [".in", ".out", ".err"] { try? FileManager.default.removeItem(atPath: base + s) } }
        try (input ?? "").write(toFile: base + ".in", atomically: false, encoding: .utf8)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, base + ".in", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, base + ".out", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, base + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // Nothing else of the test process goes to the child: a pipe another test is reading (its
        // write end) held open by a long-lived child never reaches end of file, and that test hangs.
        _ = SpawnCloseFrom.add(&actions, from: 3)
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        let env = environment ?? ProcessInfo.processInfo.environment
        var cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in cEnv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, nil, &cArgs, &cEnv)
        guard rc == 0 else { throw ClusterError("cannot run \(argv[0]): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw ClusterError("waitpid: \(String(cString: strerror(errno)))") }
        }
        let out = (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? ""
        // WIFEXITED ? WEXITSTATUS : 128 + signal
        return Result(status: (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F), stdout: out, stderr: err)
    }
}
