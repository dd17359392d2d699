import Testing
@testable import Sensor

@Suite struct EventDecoderTests {
    @Test func decodesFlatEvents() throws {
        let e = try #require(try EventDecoder.decode(#"{"ts":12,"type":"renameat2","pid":5,"oldpath":"/tmp/a\"b","newpath":"/root/\u00e9","res":0,"extra":{"nested":[1,2]},"args":["x","y"]}"#))
        #expect(e.type.name == "renameat2")
        #expect(e.type.code != 0)
        #expect(e.oldpath == "/tmp/a\"b")
        #expect(e.newpath == "/root/é")
        #expect(e.args == ["x", "y"])
    }

    /// Escapes decode as everywhere else in Vigil (JSONEscape): pairs join, a lone surrogate
    /// becomes U+FFFD and the next escape is kept.
    @Test func escapesDecodeLikeTheJSONScanner() throws {
        let e = try #require(try EventDecoder.decode(#"{"type":"open","pid":1,"path":"/a\ud800\u0041\ud83d\ude00\udc00b\n","comm":"\u00e9\/"}"#))
        #expect(e.path == "/a\u{FFFD}A😀\u{FFFD}b\n")
        #expect(e.comm == "é/")
        #expect(throws: EventDecodingError.self) { try EventDecoder.decode(#"{"type":"open","pid":1,"path":"\u12"}"#) }
        #expect(throws: EventDecodingError.self) { try EventDecoder.decode(#"{"type":"open","pid":1,"path":"\q"}"#) }
    }

    /// Extreme ids from a hostile recording replay without a crash.
    @Test func extremeIdsReplay() throws {
        var state = SystemState()
        for line in [#"{"type":"openat","pid":-9223372036854775807,"path":"/x","res":-9223372036854775807}"#,
                     #"{"type":"close","pid":-9223372036854775807,"fd":-9223372036854775807}"#,
                     #"{"type":"clone","pid":9223372036854775807,"res":-9223372036854775807}"#] {
            var e = try #require(try EventDecoder.decode(line))
            state.apply(&e)
        }
        #expect(state.process(.min + 1) == nil)
    }

    /// Integers (eight digits at a time where there are eight) read exactly as Swift parses
    /// them, up to the limits; one past them is an error.
    @Test func integersDecodeExactly() throws {
        var rng = SystemRandomNumberGenerator()
        var values: [Int64] = [0, 7, -7, 12_345_678, 123_456_789, 99_999_999, 100_000_000, 1_700_000_000_123_456_789,
                               999_999_999_999_999_999, 1_000_000_000_000_000_000, .max, .min + 1]
        for _ in 0..<2000 {
            let digits = Int.random(in: 1...18, using: &rng)
            var v = Int64.random(in: 0..<Int64(pow10(digits)), using: &rng)
            if Bool.random(using: &rng) { v = -v }
            values.append(v)
        }
        for v in values {
            for suffix in ["}", ",\"pid\":1}", "      }"] {
                let e = try #require(try EventDecoder.decode(#"{"type":"open","ts":\#(v)"# + suffix))
                #expect(e.ts == v, "\(v)\(suffix)")
            }
        }
        for bad in ["9223372036854775808", "-9223372036854775809", "12345678901234567890", "12345678.5", "1e5"] {
            #expect(throws: EventDecodingError.self) { try EventDecoder.decode(#"{"type":"open","ts":\#(bad)}"#) }
        }
    }

    private func pow10(_ n: Int) -> Int64 { (0..<n).reduce(1) { r, _ in r * 10 } }

    /// Keys are matched from their bytes (short ones in one 8-byte word); escaped keys are
    /// decoded first, and a key that only looks like a known one is not it.
    @Test func keysWithEscapesAndNearMisses() throws {
        let escaped = try #require(try EventDecoder.decode(#"{"ty\u0070e":"openat","p\u0069d":7,"path":"/a","fl\u0061gs":"O_RDONLY","res":3}"#))
        #expect(escaped.type.name == "openat" && escaped.pid == 7 && escaped.flags == "O_RDONLY")
        let quoted = try #require(try EventDecoder.decode(#"{"type":"open","pid":1,"pa\"th":"/x","p\\ath":"/y","path":"/z"}"#))
        #expect(quoted.path == "/z")
        // keys at the very end of the line (fewer than eight bytes after the quote)
        let tail = try #require(try EventDecoder.decode(#"{"pid":2,"type":"close","fd":9}"#))
        #expect(tail.fd == 9 && tail.pid == 2)
        let long = try #require(try EventDecoder.decode(#"{"type":"execve","pid":3,"container_privileged":true,"exe_from_memfd":true}"#))
        #expect(long.containerPrivileged == true && long.exeFromMemfd == true)
    }

    @Test func skipsBlankAndCommentLines() throws {
        #expect(try EventDecoder.decode("") == nil)
        #expect(try EventDecoder.decode("# comment") == nil)
    }

    @Test(arguments: [#"{"pid":1}"#, #"{"type":"execve","pid":"x"}"#, #"{"type":"execve",}"#, #"[1]"#, #"{"type":"open"} x"#])
    func rejectsMalformed(line: String) {
        #expect(throws: EventDecodingError.self) { try EventDecoder.decode(line) }
    }

    @Test func unknownEventTypesKeepTheirName() throws {
        let e = try #require(try EventDecoder.decode(#"{"type":"newsyscall","pid":1}"#))
        #expect(e.type.code == 0)
        #expect(e.type.name == "newsyscall")
    }

    /// Every key of the format (and its aliases) reaches its field: the decoder matches keys as
    /// generated 8-byte-word constants, so a typo there would silently drop a field.
    @Test func everyKeyReachesItsField() throws {
        let line = #"{"type":"execve","ts":1,"pid":2,"tid":3,"res":4,"ppid":5,"comm":"c","exe":"/e","exepath":"/ep","args":["a"],"cwd":"/w","uid":6,"gid":7,"user":"u","group":"g","loginuid":8,"tty":9,"sid":10,"vpgid":11,"exe_upper_layer":true,"exe_from_memfd":false,"env":["K=V"],"container_id":"cid","container_name":"cn","container_image":"ci","container_privileged":true,"k8s_ns":"ns","k8s_pod":"pod","path":"/p","raw_path":"p","fd":12,"flags":"O_RDONLY","mode":13,"oldpath":"/o","newpath":"/n","target":"/t","linkpath":"/l","sip":"1.1.1.1","sport":14,"dip":"2.2.2.2","dport":15,"l4proto":"tcp","target_id":16,"request":"PTRACE_ATTACH","data":"d","vpid":17,"cap_effective":"CAP_A","cap_permitted":"CAP_B","cap_inheritable":"CAP_C"}"#
        let e = try #require(try EventDecoder.decode(line))
        #expect(e.type.name == "execve" && e.ts == 1 && e.pid == 2 && e.tid == 3 && e.res == 4 && e.ppid == 5)
        #expect(e.comm == "c" && e.exe == "/e" && e.exepath == "/ep" && e.args == ["a"] && e.cwd == "/w")
        #expect(e.uid == 6 && e.gid == 7 && e.user == "u" && e.group == "g" && e.loginuid == 8)
        #expect(e.tty == 9 && e.sid == 10 && e.vpgid == 11 && e.exeUpperLayer == true && e.exeFromMemfd == false)
        #expect(e.env == ["K=V"] && e.containerID == "cid" && e.containerName == "cn" && e.containerImage == "ci")
        #expect(e.containerPrivileged == true && e.k8sNamespace == "ns" && e.k8sPod == "pod")
        #expect(e.path == "/p" && e.rawPath == "p" && e.fd == 12 && e.flags == "O_RDONLY" && e.mode == 13)
        #expect(e.oldpath == "/o" && e.newpath == "/n" && e.target == "/t" && e.linkpath == "/l")
        #expect(e.sip == "1.1.1.1" && e.sport == 14 && e.dip == "2.2.2.2" && e.dport == 15 && e.l4proto == "tcp")
        #expect(e.targetID == 16 && e.request == "PTRACE_ATTACH" && e.data == "d" && e.vpid == 17)
        #expect(e.capEffective == "CAP_A" && e.capPermitted == "CAP_B" && e.capInheritable == "CAP_C")
        #expect(e.carriesProcess)
        for (alias, id) in [("target_uid", 21), ("target_gid", 22)] {
            let a = try #require(try EventDecoder.decode(#"{"type":"setuid","pid":1,"\#(alias)":\#(id),"name":"/x"}"#))
            #expect(a.targetID == Int64(id) && a.path == "/x" && !a.carriesProcess)
        }
        // near misses are unknown keys, skipped
        let miss = try #require(try EventDecoder.decode(#"{"type":"open","pid":1,"pat":"/a","paths":"/b","container_idx":"c","comm_":"d"}"#))
        #expect(miss.path == nil && miss.containerID == nil && miss.comm == nil)
    }

    /// A storage decoded into again (the replay reuses the last event's) keeps nothing of the
    /// event before: every field the format has, then a bare event, equals a fresh decode.
    @Test func reusedStorageStartsEmpty() throws {
        let full = #"{"type":"execve","ts":1,"pid":2,"tid":3,"res":4,"ppid":5,"comm":"c","exe":"/e","exepath":"/ep","args":["a"],"cwd":"/w","uid":6,"gid":7,"user":"u","group":"g","loginuid":8,"tty":9,"sid":10,"vpgid":11,"exe_upper_layer":true,"exe_from_memfd":false,"env":["K=V"],"container_id":"cid","container_name":"cn","container_image":"ci","container_privileged":true,"k8s_ns":"ns","k8s_pod":"pod","path":"/p","raw_path":"p","fd":12,"flags":"O_RDONLY","mode":13,"oldpath":"/o","newpath":"/n","target":"/t","linkpath":"/l","sip":"1.1.1.1","sport":14,"dip":"2.2.2.2","dport":15,"l4proto":"tcp","target_id":16,"request":"PTRACE_ATTACH","data":"d","vpid":17,"cap_effective":"CAP_A","cap_permitted":"CAP_B","cap_inheritable":"CAP_C"}"#
        let bare = #"{"type":"newsyscall","pid":1}"#
        func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
        let first = try bytes(full).withUnsafeBufferPointer { b throws(EventDecodingError) in try EventDecoder.decode(b, cache: nil, reusing: nil) }
        var used = try #require(first)
        used.num = 99
        let storage = used.storage
        used = Event()
        let again = try bytes(bare).withUnsafeBufferPointer { b throws(EventDecodingError) in try EventDecoder.decode(b, cache: nil, reusing: storage) }
        let reused = try #require(again)
        #expect(reused.storage === storage)
        let fresh = try #require(try EventDecoder.decode(bare))
        #expect(EventEncoder.encode(reused) == EventEncoder.encode(fresh))
        #expect(reused.num == 0 && !reused.carriesProcess && reused.type.name == "newsyscall")
    }

    @Test func intTableBehavesLikeADictionary() {
        var table = IntTable<String>()
        var reference: [Int64: String] = [:]
        var rng = SystemRandomNumberGenerator()
        for step in 0..<20_000 {
            let key = Int64.random(in: -50...400, using: &rng) * (step % 7 == 0 ? 1_000_003 : 1)
            if Bool.random(using: &rng) {
                table[key] = "v\(step)"; reference[key] = "v\(step)"
            } else {
                table[key] = nil; reference[key] = nil
            }
            #expect(table[key] == reference[key])
        }
        #expect(table.count == reference.count)
        #expect(Dictionary(uniqueKeysWithValues: table.map { ($0.key, $0.value) }) == reference)
        var copy = table
        copy[7] = "changed"
        #expect(table[7] == reference[7])
        // the two reserved keys are ignored, not a crash
        table[.min + 1] = "reserved"
        table[.min] = "reserved"
        #expect(table[.min + 1] == nil && table[.min] == nil && table.count == reference.count)
    }
}

@Suite struct EventTypeTests {
    /// `EventType.code(utf8:)` is generated word compares; every known name must map to its own
    /// code, and near misses to none.
    @Test func everyKnownNameHasItsCode() {
        for (i, name) in EventType.known.enumerated() where i > 0 {
            var bytes = Array(name.utf8)
            #expect(bytes.withUnsafeBufferPointer { EventType.code(utf8: $0) } == UInt16(i), "\(name)")
            #expect(EventType(name: name).code == UInt16(i))
            bytes.append(UInt8(ascii: "x"))
            #expect(bytes.withUnsafeBufferPointer { EventType.code(utf8: $0) } == nil || EventType.known.contains(name + "x"))
            bytes.removeLast(2)
            if !bytes.isEmpty {
                let shorter = String(decoding: bytes, as: UTF8.self)
                #expect(bytes.withUnsafeBufferPointer { EventType.code(utf8: $0) }.map { EventType.known[Int($0)] } == (EventType.known.contains(shorter) ? shorter : nil))
            }
        }
    }
}
