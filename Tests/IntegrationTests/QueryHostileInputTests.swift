import Foundation
import ImageFixtures
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// `vigil query` through the binary on the hostile inputs of
/// `../shared/reports/hostile-inputs-2026-12.md` (sections A1, A2, A4, A6, B1, B2, B5, C6, F1, F5):
/// each must end within its time limit with jq's answer or a one-line error, never a signal.
@Suite(.enabled(if: SharedData.vigilBinary != nil), .serialized)
final class QueryHostileInputTests {
    let vigil = SharedData.vigilBinary!
    let scratch = ScratchDirectory()

    /// One run of `vigil query ARGS` with stdin from `/dev/null` (or `stdin`), killed after
    /// `timeout` seconds; `peakKiB` is the child's own maximum resident set (wait4).
    struct Outcome {
        var status: Int32
        var signal: Int32
        var timedOut: Bool
        var stdout: String
        var stderr: String
        var peakKiB: Int
    }

    func query(_ args: [String], stdin: String = "/dev/null", timeout: Double = 60) throws -> Outcome {
        let outPath = scratch.path + "/out-\(UUID().uuidString)"
        let errPath = scratch.path + "/err-\(UUID().uuidString)"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([vigil, "query"] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, vigil, &actions, nil, argv, environ)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        var status: Int32 = 0
        var usage = rusage()
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while true {
            let r = wait4(pid, &status, WNOHANG, &usage)
            if r == pid { break }
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = wait4(pid, &status, 0, &usage)
                timedOut = true
                break
            }
            usleep(20_000)
        }
        let signaled = (status & 0x7f) != 0 && (status & 0x7f) != 0x7f
        let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Outcome(status: signaled ? -1 : (status >> 8) & 0xff, signal: signaled ? status & 0x7f : 0,
                       timedOut: timedOut, stdout: out, stderr: err, peakKiB: Int(usage.ru_maxrss))
    }

    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let p = scratch.path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    // MARK: B1, F5: raw, slurped and --seq input from files behaves as from stdin

    @Test func rawInputFromAFileEnds() throws {
        let ok = try file("ok.txt", Array("hello\n".utf8))
        let r = try query(["-R", ".", ok], timeout: 20)
        #expect(!r.timedOut)
        #expect(r.status == 0)
        #expect(r.stdout == "\"hello\"\n")
        let fromStdin = try query(["-R", "."], stdin: ok, timeout: 20)
        #expect(fromStdin.stdout == r.stdout)
    }

    @Test func rawInputLinesContinueAcrossFiles() throws {
        let a = try file("a.txt", Array("x\ny".utf8))
        let b = try file("b.txt", Array("z\nw\n".utf8))
        let empty = try file("empty.txt", [])
        let r = try query(["-c", "-R", ".", a, empty, b], timeout: 20)
        #expect(r.status == 0)
        #expect(r.stdout == "\"x\"\n\"yz\"\n\"w\"\n")
        let slurped = try query(["-c", "-Rs", ".", a, b], timeout: 20)
        #expect(slurped.stdout == "\"x\\nyz\\nw\\n\"\n")
        let inputs = try query(["-c", "-R", "-n", "[inputs]", a, b], timeout: 20)
        #expect(inputs.stdout == "[\"x\",\"yz\",\"w\"]\n")
        let emptyOnly = try query(["-R", ".", empty], timeout: 20)
        #expect(emptyOnly.status == 0 && emptyOnly.stdout.isEmpty)
    }

    @Test func rawInputWithInvalidUTF8FromAFileEnds() throws {
        let bad = try file("bad.txt", [0xED, 0xA0, 0x80])
        let r = try query(["-R", ".", bad], timeout: 20)
        #expect(!r.timedOut)
        #expect(r.stdout.split(separator: "\n").count == 1)
    }

    @Test func seqInputFromAFileMatchesStdin() throws {
        let s2 = try file("s2.txt", [0x1E] + Array("1\n".utf8) + [0x1E] + Array("2\n".utf8))
        let r = try query(["--seq", "-c", ".", s2], timeout: 20)
        let fromStdin = try query(["--seq", "-c", "."], stdin: s2, timeout: 20)
        #expect(r.status == 0)
        #expect(r.stdout == fromStdin.stdout)
        #expect(r.stdout == "\u{1E}1\n\u{1E}2\n")
    }

    @Test func streamInputFromSeveralFiles() throws {
        let a = try file("s1.json", Array("[1,[2]]".utf8))
        let b = try file("s2.json", Array("{\"a\":3}".utf8))
        let r = try query(["-c", "--stream", ".", a, b], timeout: 20)
        #expect(r.stdout == "[[0],1]\n[[1,0],2]\n[[1,0]]\n[[1]]\n[[\"a\"],3]\n[[\"a\"]]\n")
    }

    // MARK: F1: missing, unreadable and directory inputs

    @Test func missingInputFileIsAnError() throws {
        let r = try query([".", "/nonexistent-vigil-input"], timeout: 20)
        #expect(r.status == 2)
        #expect(r.stderr.contains("Could not open /nonexistent-vigil-input: No such file or directory"))
    }

    @Test func directoryInputIsAnError() throws {
        let r = try query([".", scratch.path], timeout: 20)
        #expect(r.status == 2)
        #expect(r.stderr.contains("Could not open \(scratch.path): Is a directory"))
    }

    @Test func missingFileDoesNotStopTheOthers() throws {
        let one = try file("one.json", Array("1".utf8))
        let r = try query([".", "/nonexistent-vigil-input", one], timeout: 20)
        #expect(r.status == 2)
        #expect(r.stdout == "1\n")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func unreadableInputFileIsAnError() throws {
        // root reads everything: a file is unreadable for it only through a failing read
        let r = try query([".", "/proc/self/mem"], timeout: 20)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("jq: error: Could not"))
    }

    // MARK: A4: loops in constant stack

    @Test(arguments: [
        ("0 | until(. >= 1000000; .+1)", "1000000"),
        ("[0 | while(. < 1000000; .+1)] | length", "1000000"),
        ("[0 | recurse(if . < 1000000 then .+1 else empty end)] | length", "1000001"),
        ("[0 | recurse(.+1; . <= 1000000)] | length", "1000001"),
        ("def f: if . < 1000000 then .+1 | f else . end; 0 | f", "1000000"),
        ("def f($n): if $n == 0 then . else . + 1 | f($n - 1) end; 0 | f(1000000)", "1000000"),
        ("reduce limit(1000000; repeat(1)) as $x (0; . + $x)", "1000000"),
        ("last(range(1000000))", "999999"),
    ])
    func loopsRunInConstantStack(program: String, expected: String) throws {
        let r = try query(["-n", program], timeout: 120)
        #expect(r.signal == 0 && !r.timedOut, "\(program): signal \(r.signal)")
        #expect(r.status == 0)
        #expect(r.stdout == expected + "\n")
    }

    @Test func loopMemoryDoesNotGrowWithIterations() throws {
        for program in ["0 | until(. >= N; .+1)", "reduce limit(N; repeat(1)) as $x (0; . + $x)"] {
            let small = try query(["-n", program.replacingOccurrences(of: "N", with: "100000")], timeout: 120)
            let large = try query(["-n", program.replacingOccurrences(of: "N", with: "1000000")], timeout: 300)
            #expect(small.status == 0 && large.status == 0)
            #expect(large.stdout == "1000000\n")
            // 10x the iterations, the same peak within 16 MiB (it was ~5 KiB per iteration)
            #expect(large.peakKiB - small.peakKiB < 16 * 1024, "\(program): \(small.peakKiB) KiB -> \(large.peakKiB) KiB")
        }
    }

    // MARK: A1, A2: traps in date builtins and halt_error

    @Test(arguments: [
        "[1e300,0,1,0,0,0,0,0] | mktime",
        "[2020,1e300,1,0,0,0,0,0] | mktime",
        "[1e300,0,1,0,0,0,0,0] | strftime(\"%Y\")",
        "[2020,0,1,0,0,0,0,0] | .[0]=1e19 | todate",
        "[-1e300,1e300] | mktime",
        "[nan,0,1,0,0,0,0,0] | mktime",
    ])
    func dateBuiltinsRejectHugeFields(program: String) throws {
        let r = try query(["-n", program], timeout: 20)
        #expect(r.signal == 0)
        #expect(r.status == 5)
        #expect(r.stderr.hasPrefix("jq: error (at <unknown>)") || r.stderr.hasPrefix("jq: error (at <stdin>:0)"))
        #expect(r.stderr.contains("requires parsed datetime inputs"))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test(arguments: ["halt_error(nan)", "range(1;1e300) | select(. > 2) | halt_error(1e300)", "halt_error(-infinite)"])
    func haltErrorRejectsInvalidExitCodes(program: String) throws {
        let r = try query(["-n", program], timeout: 20)
        #expect(r.signal == 0)
        #expect(r.status == 5)
        #expect(r.stderr.contains("is not a valid exit status"))
    }

    @Test func haltErrorKeepsValidExitCodes() throws {
        let r = try query(["-n", "\"bye\\n\" | halt_error(3)"], timeout: 20)
        #expect(r.status == 3)
        #expect(r.stderr == "bye\n")
    }

    // MARK: B2: regex backtracking is bounded

    @Test(arguments: [
        "(\"a\" * 30) + \"!\" | test(\"(a+)+$\")",
        "(\"a\" * 100000) + \"!\" | test(\"(a+)+$\")",
        "(\"a\" * 5000) | test(\"(a|aa)*c\")",
        "[(\"a\" * 30) + \"!\" | match(\"(a+)+$\"; \"g\")] | length",
    ])
    func catastrophicBacktrackingEnds(program: String) throws {
        let r = try query(["-n", program], timeout: 60)
        #expect(!r.timedOut && r.signal == 0, "\(program) did not end")
        // jq's answer, or Oniguruma's retry-limit error as jq prints it
        #expect(r.stdout == "false\n" || r.stdout == "0\n" || r.stderr.contains("Regex failure: retry-limit-in-match over"))
    }

    @Test func ordinaryRegexesStillMatch() throws {
        let r = try query(["-nc", "\"test 123 abc 45\" | [match(\"[0-9]+\"; \"g\") | .string], test(\"ABC\"; \"i\"), [scan(\"(?<w>[a-z]+)\")]"], timeout: 20)
        #expect(r.stdout == "[\"123\",\"45\"]\ntrue\n[[\"test\"],[\"abc\"]]\n")
    }

    // MARK: A6, C6: allocation limits end with an error, not an abort

    @Test(arguments: [
        // one generator per array limit: [repeat(1)], [range(0;10;0)] and combinations(1e300)
        // stop at the same check after the same 2^25 elements (minutes in a debug build)
        ("[range(1e8)] | length", "Array too large"),
        ("[] | .[268435456] = 1", "Array index too large"),
        ("[1] | .[1e8] = 1", "Array index too large"),
        ("(\"x\" * 1e8) as $s | [$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s] | add | length", "String too long"),
        ("reduce range(20000) as $x (null; [.]) | [paths] | length", "Path too deep"),
    ])
    func allocationsAreBounded(program: String, message: String) throws {
        let r = try query(["-n", program], timeout: 120)
        #expect(r.signal == 0 && !r.timedOut, "\(program): signal \(r.signal)")
        #expect(r.status == 5)
        #expect(r.stderr.contains(message), "\(program): \(r.stderr.prefix(200))")
        #expect(!r.stderr.contains("Fatal error"))
    }

    @Test(arguments: ["--slurpfile", "--rawfile"])
    func deviceFileArgumentsAreBounded(option: String) throws {
        let r = try query(["-n", option, "x", "/dev/zero", "$x | length"], timeout: 120)
        #expect(r.signal == 0 && !r.timedOut)
        #expect(r.status == 2)
        #expect(r.stderr.contains("/dev/zero: File too large"))
    }

    @Test func deviceInputFileIsBounded() throws {
        let r = try query(["-R", "length", "/dev/zero"], timeout: 120)
        #expect(r.signal == 0 && !r.timedOut)
        #expect(r.status == 2)
        #expect(r.stderr.contains("/dev/zero: File too large"))
    }

    // MARK: B5: --rawfile reads a pipe to its end, as jq does

    @Test func rawfileReadsAFIFOLikeJq() throws {
        let fifo = scratch.path + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            _ = "from the pipe".withCString { write(fd, $0, 13) }
            close(fd)
        }
        writer.start()
        let r = try query(["-n", "--rawfile", "x", fifo, "$x"], timeout: 20)
        #expect(r.status == 0)
        #expect(r.stdout == "\"from the pipe\"\n")
    }

    // MARK: E4: a depth error does not echo megabytes of input

    @Test func deepFromjsonErrorIsShort() throws {
        let r = try query(["-n", "(\"[\" * 100000) + (\"]\" * 100000) | fromjson"], timeout: 60)
        #expect(r.status == 5)
        #expect(r.stderr.contains("Exceeds depth limit for parsing"))
        #expect(r.stderr.utf8.count < 1000)
    }
}
