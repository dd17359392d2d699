import Foundation

/// A long-running child (a registry, a `vigil server` replica) started with posix_spawn, its
/// output appended to a log file; stopped with a signal of the test's choosing (SIGKILL is how
/// the fault tests crash a replica).
final class Daemon: @unchecked Sendable {
    let pid: pid_t
    let log: String
    private var reaped = false

    init(_ argv: [String], log: String, environment: [String: String]? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        // Nothing else of the test process goes to the child: a pipe another test is reading (its
        // write end) held open by a long-lived child never reaches end of file, and that test hangs.
        _ = SpawnCloseFrom.add(&actions, from: 3)
        // The test runner blocks some signals; a child must not inherit that mask, or SIGTERM is ignored.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var args = argv.map { strdup($0) } + [nil]
        defer { for p in args { free(p) } }
        let env = environment ?? ProcessInfo.processInfo.environment
        var cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in cEnv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, &attributes, &args, &cEnv)
        guard rc == 0 else { throw ClusterError("cannot start \(argv[0]): \(String(cString: strerror(rc)))") }
        self.pid = pid
        self.log = log
    }

    /// Sends `signal` and reaps the child, blocking the caller: use it with SIGKILL (the child is
    /// gone at once) or from synchronous code; async tests ask `terminate` for a graceful stop.
    func stop(_ signal: Int32 = SIGKILL) {
        guard !reaped else { return }
        kill(pid, signal)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        reaped = true
    }

    /// Sends `signal` and waits for the child to exit on a thread of its own, so the test's
    /// cooperative threads (two on this machine, shared with the in-process servers) never block.
    func terminate(_ signal: Int32) async {
        guard !reaped else { return }
        kill(pid, signal)
        _ = await waitForExit()
    }

    /// Waits until the child exits; its status as waitpid gives it. The wait runs on a thread of its
    /// own: a blocking waitpid on a cooperative thread (even in a detached task) starved the
    /// in-process servers the child was talking to, and the whole test run hung.
    func waitForExit() async -> Int32 {
        let pid = self.pid
        let status = await withCheckedContinuation { (c: CheckedContinuation<Int32, Never>) in
            let t = Thread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                c.resume(returning: status)
            }
            t.start()
        }
        reaped = true
        return status
    }

    /// Whether the child is still running (not reaped).
    var isRunning: Bool {
        guard !reaped else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { reaped = true; return false }
        return true
    }

    var output: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    deinit { stop() }
}
