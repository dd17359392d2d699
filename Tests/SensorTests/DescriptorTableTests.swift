import Testing
@testable import Sensor

@Suite struct DescriptorTableTests {
    @Test func behavesLikeADictionary() {
        var table = DescriptorTable()
        var reference: [Int64: UInt32] = [:]
        var rng = SystemRandomNumberGenerator()
        let extremes: [Int64] = [.min, .min + 1, -1, 0, DescriptorTable.denseLimit - 1, DescriptorTable.denseLimit, .max]
        for step in 0..<20_000 {
            let fd = step % 11 == 0 ? extremes[step % extremes.count] : Int64.random(in: -20...300, using: &rng)
            if Bool.random(using: &rng) {
                table[fd] = UInt32(step); reference[fd] = UInt32(step)
            } else {
                table[fd] = nil; reference[fd] = nil
            }
            #expect(table[fd] == reference[fd])
            #expect(table.id(fd) == reference[fd])
        }
        var ids: [UInt32] = []
        table.forEachID { ids.append($0) }
        #expect(ids.sorted() == reference.values.sorted())
        // a copy (a forked child's table) changes alone
        var child = table
        child[3] = 999_999
        child[-5] = 999_998
        #expect(table[3] == reference[3] && table[-5] == reference[-5])
    }

    @Test func internsAndCollects() {
        let paths = PathTable()
        let a = paths.intern("/etc/passwd")
        let b = paths.intern("/var/lib/postgresql/data/base/1234")
        #expect(paths.intern("/etc/passwd") == a && paths.intern(String("/var/lib/postgresql/data/base/1234")) == b)
        #expect(a != b && paths.name(a) == "/etc/passwd" && paths.name(b) == "/var/lib/postgresql/data/base/1234")
        let c = paths.intern("")
        let d = paths.intern("/tmp/é✓")
        #expect(paths.name(c) == "" && paths.name(d) == "/tmp/é✓" && paths.live == 4)
        // only b stays named: the others are freed and their ids reused for new names
        paths.collect { use in use(b); use(b) }
        #expect(paths.live == 1 && paths.name(b) == "/var/lib/postgresql/data/base/1234")
        #expect(paths.intern("/var/lib/postgresql/data/base/1234") == b)
        let e = paths.intern("/srv/new")
        #expect([a, c, d].contains(e) && paths.name(e) == "/srv/new" && paths.intern("/etc/passwd") != b)
    }

    /// Names stay right across forks, closes, exits and collections: a replay of many unique
    /// paths (well past the collection threshold) checked against a model kept here.
    @Test func namesSurviveCollections() throws {
        var state = SystemState()
        var model: [Int64: [Int64: String]] = [:]
        var rng = SystemRandomNumberGenerator()
        var pids: [Int64] = [100]
        var nextPid: Int64 = 101
        func apply(_ line: String) throws {
            var e = try #require(try EventDecoder.decode(line))
            state.apply(&e)
        }
        try apply(#"{"type":"execve","pid":100,"ppid":1,"comm":"sh","exe":"/bin/sh"}"#)
        model[100] = [:]
        for step in 0..<3 * PathTable.minimumThreshold {
            let pid = pids[Int.random(in: 0..<pids.count, using: &rng)]
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<6:
                let fd = Int64.random(in: 3...40, using: &rng)
                let path = step % 3 == 0 ? "/etc/hosts" : "/srv/data/file-\(step)"
                try apply(#"{"type":"openat","pid":\#(pid),"path":"\#(path)","res":\#(fd)}"#)
                model[pid, default: [:]][fd] = path
            case 6:
                let fd = Int64.random(in: 3...40, using: &rng)
                try apply(#"{"type":"close","pid":\#(pid),"fd":\#(fd)}"#)
                model[pid]?[fd] = nil
            case 7 where pids.count < 50:
                try apply(#"{"type":"clone","pid":\#(pid),"res":\#(nextPid)}"#)
                model[nextPid] = model[pid]
                pids.append(nextPid)
                nextPid += 1
            case 8 where pids.count > 1:
                var exit = try #require(try EventDecoder.decode(#"{"type":"procexit","pid":\#(pid)}"#))
                state.apply(&exit)
                state.retire(exit)
                model[pid] = nil
                pids.removeAll { $0 == pid }
            default:
                let fd = Int64.random(in: 3...40, using: &rng)
                var read = try #require(try EventDecoder.decode(#"{"type":"read","pid":\#(pid),"fd":\#(fd),"res":1}"#))
                state.apply(&read)
                #expect(read.path == model[pid]?[fd])
            }
        }
        // more unique names went in than the threshold: at least one collection ran
        #expect(state.paths.live < PathTable.minimumThreshold)
        for pid in pids {
            let p = try #require(state.process(pid))
            for fd in Int64(0)...45 { #expect(state.descriptorName(of: p, fd) == model[pid]?[fd]) }
        }
    }
}
