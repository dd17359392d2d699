import Testing
@testable import RuleEngine
import Sensor

@Suite struct EvaluatorTests {
    /// Evaluates `condition` against one event applied to a fresh state.
    func matches(_ condition: String, _ event: String) throws -> Bool {
        let set = RuleFixtures.load("- rule: r\n  desc: d\n  condition: \(condition)\n  output: o\n  priority: INFO\n  warn_evttypes: false\n")
        try #require(set.errors.isEmpty, "\(set.errors)")
        let evaluator = RuleEvaluator(rules: set)
        try #require(evaluator.rules.count == 1, "\(evaluator.warnings)")
        var state = SystemState()
        var e = try #require(try EventDecoder.decode(event))
        e.num = 1
        state.apply(&e)
        return !evaluator.evaluate(e, state: state).isEmpty
    }

    static let open = #"{"ts":5,"type":"openat","pid":7,"comm":"cat","exe":"/bin/cat","args":["/etc/shadow"],"uid":0,"path":"/etc/shadow","flags":"O_RDONLY|O_CLOEXEC","res":3,"container_id":"abc"}"#

    @Test(arguments: [
        ("fd.name = /etc/shadow", true),
        ("fd.name != /etc/shadow", false),
        ("fd.name startswith /etc", true),
        ("fd.name endswith shadow", true),
        ("fd.name contains tc/sh", true),
        ("fd.name icontains ETC/SHADOW", true),
        ("fd.name glob '/etc/*ow'", true),
        ("fd.name iglob '/ETC/*'", true),
        ("fd.name in (/etc/passwd, /etc/shadow)", true),
        ("fd.name pmatch (/etc)", true),
        ("fd.name pmatch (/et)", false),
        ("fd.directory = /etc and fd.filename = shadow", true),
        ("fd.typechar = f", true),
        ("proc.pid = 7 and proc.pid > 6 and proc.pid <= 7", true),
        ("proc.pid in (1, 7)", true),
        ("user.uid = 0 and user.name = root", true),
        ("evt.is_open_read = true and evt.is_open_write = false", true),
        ("evt.arg.flags contains O_CLOEXEC", true),
        ("evt.arg[flags] contains O_RDONLY", true),
        ("proc.cmdline = \"cat /etc/shadow\"", true),
        ("container.id = abc", true),
        ("toupper(proc.name) = CAT", true),
        ("len(fd.name) = 11", true),
        ("basename(fd.name) = shadow", true),
        ("fd.name regex '/etc/[a-z]+'", true),
        ("fd.name regex '/etc'", false),
        ("proc.name startswith oneof (ca, zz)", true),
        ("proc.name contains allof (c, a, t)", true),
        ("proc.name contains allof (c, x)", false),
        ("fd.sip exists", false),
        ("not fd.sip exists", true),
        ("fd.name = val(fd.name)", true),
        ("evt.type = openat and evt.num = 1", true),
        ("evt.rawres = 3 and evt.res = SUCCESS", true),
        ("proc.name = b64(proc.name)", false),
        ("join(\"-\", (proc.name, fd.filename)) = cat-shadow", true),
    ])
    func operators(condition: String, expected: Bool) throws {
        #expect(try matches(condition, Self.open) == expected)
    }

    static let mmap = #"{"ts":6,"type":"mmap","pid":9,"ppid":4,"uid":33,"res":-12}"#

    /// Number fields against constants (read without `FieldValue`): every operator, and an
    /// absent field (`fd.num` of an event without a descriptor) false under all of them, `!=`
    /// included, as on the general path.
    @Test(arguments: [
        (open, "fd.num = 3", true), (open, "fd.num != 3", false), (open, "fd.num >= 0", true),
        (open, "fd.num > 3", false), (open, "fd.num < 4", true), (open, "fd.num <= 2", false),
        (open, "fd.num in (1, 3)", true), (open, "fd.num in (1, 2)", false),
        (mmap, "fd.num >= 0", false), (mmap, "fd.num != 3", false), (mmap, "fd.num = -1", false),
        (mmap, "evt.rawres < 0 and evt.rawres = -12 and evt.rawres != 0", true), (mmap, "evt.rawres >= 0", false),
        (mmap, "proc.pid = 9 and proc.ppid = 4 and user.uid = 33 and evt.num = 1", true),
        (mmap, "proc.ppid in (1, 2, 3)", false), (mmap, "proc.pid = 0x9", true),
    ])
    func numberFields(event: String, condition: String, expected: Bool) throws {
        #expect(try matches(condition, event) == expected)
    }

    /// `or`ed tests of one string field are compiled to one matcher; the result is the `or` of
    /// the alternatives, whatever their operators, order or negation around them.
    @Test(arguments: [
        (open, "fd.name in (/etc/passwd, /etc/shadow) or fd.name glob '/root/.ssh/id_*'", true),
        (open, "fd.name glob '/home/*/x' or fd.name in (/etc/passwd) or fd.name startswith /var", false),
        (open, "fd.name startswith /var or fd.name endswith dow or fd.name contains zzz", true),
        (open, "fd.name contains tc/sh or fd.name = /nope", true),
        (open, "fd.name = /nope or proc.name = cat or fd.name = /nope2", true),
        (open, "not (fd.name = /nope or fd.name glob '*shadow')", false),
        (open, "fd.directory in (/root) or fd.directory = /etc or fd.filename = x", true),
        (open, "fd.filename in (passwd) or fd.filename startswith sha", true),
        (open, "fd.filename in (passwd) or fd.filename startswith x or fd.directory = /e", false),
        (mmap, "fd.name in (/etc/shadow) or fd.name glob '*'", false),
        (mmap, "not (fd.name in (/etc/shadow) or fd.name glob '*')", true),
        (open, "fd.name glob '/etc/sha[a-z]ow' or fd.name in (/x)", true),
        (open, "proc.name in (sh, bash) or proc.name startswith ca or container.id = abc", true),
    ])
    func fusedAlternatives(event: String, condition: String, expected: Bool) throws {
        #expect(try matches(condition, event) == expected)
    }

    static let connect = #"{"ts":5,"type":"connect","pid":8,"comm":"curl","fd":4,"sip":"172.17.0.2","sport":40000,"dip":"169.254.169.254","dport":80,"l4proto":"tcp","res":0,"vpid":1,"cap_effective":"CAP_NET_RAW CAP_SYS_ADMIN","container_id":"abc"}"#

    @Test(arguments: [
        ("fd.net = 169.254.0.0/16", true),
        ("fd.snet in (10.0.0.0/8, 169.254.169.254/32)", true),
        ("fd.cnet = 172.17.0.0/16", true),
        ("fd.lnet != 172.17.0.0/16", false),
        ("fd.rnet = 10.0.0.0/8", false),
        ("fd.sockfamily = ip and fd.typechar = 4 and fd.rport = 80 and fd.l4proto = tcp", true),
        ("fd.name = \"172.17.0.2:40000->169.254.169.254:80\"", true),
        ("proc.vpid = 1", true),
        ("thread.cap_effective contains CAP_SYS_ADMIN", true),
    ])
    func networkAndCapabilityFields(condition: String, expected: Bool) throws {
        #expect(try matches(condition, Self.connect) == expected)
    }

    @Test func rulesAreIndexedByEventType() throws {
        let set = RuleFixtures.load("""
            - rule: opens
              desc: d
              condition: evt.type in (open, openat)
              output: o
              priority: INFO
            - rule: execs
              desc: d
              condition: evt.type = execve
              output: o
              priority: INFO
            """)
        let ev = RuleEvaluator(rules: set)
        var state = SystemState()
        var e = try #require(try EventDecoder.decode(Self.open))
        state.apply(&e)
        #expect(ev.evaluate(e, state: state).map(\.rule.name) == ["opens"])
    }

    @Test func anyAncestorMatching() throws {
        let set = RuleFixtures.load("- rule: r\n  desc: d\n  condition: evt.type = execve and proc.aname = dpkg\n  output: o\n  priority: INFO\n")
        let ev = RuleEvaluator(rules: set)
        var state = SystemState()
        let lines = [
            #"{"type":"execve","pid":1,"ppid":0,"comm":"dpkg"}"#,
            #"{"type":"execve","pid":2,"ppid":1,"comm":"sh"}"#,
            #"{"type":"execve","pid":3,"ppid":2,"comm":"useradd"}"#,
        ]
        var results: [Bool] = []
        for l in lines {
            var e = try #require(try EventDecoder.decode(l))
            state.apply(&e)
            results.append(!ev.evaluate(e, state: state).isEmpty)
        }
        #expect(results == [false, true, true])
    }
}
