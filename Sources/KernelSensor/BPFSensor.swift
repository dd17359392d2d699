import CLibBPF
import CVigilBPF
import VigilCore

#if canImport(Glibc)
import Glibc
#endif

/// The loaded kernel program (bpf/vigil.bpf.c): opens the CO-RE object, sets its knobs, loads and
/// attaches every program, and hands raw ring-buffer records to the caller.
final class BPFSensor {
    struct Options {
        var objectPath: String
        /// Drop host tasks in the kernel (the default) or report everything (`--host`).
        var onlyContainers = true
        /// Wake user space every this many records per CPU; otherwise it finds them at its next poll.
        var wakeupEvents: UInt32 = 256
        var verboseLibbpf = false
        /// Read-only opens reach user space only for these paths (exact, or by prefix); nil sends
        /// every open. Computed from the loaded rules (`RuleSet.openReadFilter`).
        var openReadPaths: OpenReadPaths?
    }

    /// The kernel-side open filter's entries.
    struct OpenReadPaths {
        var exact: [String]
        var prefixes: [String]
        /// Capacity of the kernel's `open_read_paths` map (bpf/vigil.bpf.c).
        static let capacity = 4096
    }

    /// Counters summed over CPUs.
    struct Counters: Equatable {
        var emitted: UInt64 = 0
        var dropped: UInt64 = 0
        var filtered: UInt64 = 0
        var openSkipped: UInt64 = 0
    }

    private let object: OpaquePointer
    private var links: [OpaquePointer] = []
    private var ring: OpaquePointer?
    private let statsFD: Int32
    private let box: RecordBox
    let programCount: Int

    /// Records copied out of the ring buffer by the last `poll`.
    final class RecordBox {
        var records: [vigil_event] = []
        /// Environment bytes of exec records, by index in `records`.
        var environments: [Int: [UInt8]] = [:]
    }

    init(_ options: Options) throws(SensorError) {
        vigil_libbpf_capture_messages(options.verboseLibbpf ? 1 : 0)
        guard let obj = bpf_object__open_file(options.objectPath, nil) else {
            throw SensorError(.object, "cannot open the sensor object \(options.objectPath): \(Self.lastError(errno))")
        }
        object = obj
        var hostNS = try Self.hostMountNamespace()
        var only: UInt32 = options.onlyContainers ? 1 : 0
        var wake = options.wakeupEvents
        var filterOpens: UInt32 = options.openReadPaths == nil ? 0 : 1
        guard vigil_set_rodata(obj, "host_mntns", &hostNS, 4) == 0,
              vigil_set_rodata(obj, "only_containers", &only, 4) == 0,
              vigil_set_rodata(obj, "wakeup_events", &wake, 4) == 0,
              vigil_set_rodata(obj, "filter_open_reads", &filterOpens, 4) == 0
        else {
            bpf_object__close(obj)
            throw SensorError(.object, "the sensor object \(options.objectPath) does not match this vigil (missing settings); rebuild it with scripts/build-bpf.sh")
        }
        if bpf_object__load(obj) != 0 {
            let e = errno
            bpf_object__close(obj)
            throw SensorError(.load, "the kernel refused the sensor program: \(Self.lastError(e))")
        }
        // the filter's entries go in before anything is attached: an empty trie would drop every read
        if let paths = options.openReadPaths {
            if let failure = Self.fillOpenReadPaths(object: obj, paths) {
                bpf_object__close(obj)
                throw SensorError(.load, "cannot load the open filter: \(failure)")
            }
        }
        var count = 0
        var prog = bpf_object__next_program(obj, nil)
        while let p = prog {
            guard let link = bpf_program__attach(p) else {
                let e = errno
                let name = String(cString: bpf_program__name(p))
                for l in links { bpf_link__destroy(l) }
                bpf_object__close(obj)
                throw SensorError(.load, "cannot attach \(name): \(Self.lastError(e))")
            }
            links.append(link)
            count += 1
            prog = bpf_object__next_program(obj, p)
        }
        programCount = count
        statsFD = bpf_object__find_map_fd_by_name(obj, "stats")
        let eventsFD = bpf_object__find_map_fd_by_name(obj, "events")
        box = RecordBox()
        let ctx = Unmanaged.passUnretained(box).toOpaque()
        ring = ring_buffer__new(eventsFD, { ctx, data, size in
            // full records (exec, fork, rename) or short ones that end before path2: zero the rest
            guard let ctx, let data, size >= MemoryLayout<vigil_event>.offset(of: \vigil_event.path2)! else { return 0 }
            let box = Unmanaged<RecordBox>.fromOpaque(ctx).takeUnretainedValue()
            var record = vigil_event()
            withUnsafeMutableBytes(of: &record) { dst in
                dst.copyMemory(from: UnsafeRawBufferPointer(start: data, count: min(size, dst.count)))
            }
            // exec records carry the environment after the full record (vigil_exec_event)
            let lenOffset = MemoryLayout<vigil_exec_event>.offset(of: \vigil_exec_event.env_len)!
            let envOffset = MemoryLayout<vigil_exec_event>.offset(of: \vigil_exec_event.env)!
            if size > envOffset {
                let declared = Int(data.loadUnaligned(fromByteOffset: lenOffset, as: UInt32.self))
                let n = min(declared, size - envOffset, Int(VIGIL_ENV_LEN))
                if n > 0 { box.environments[box.records.count] = Array(UnsafeRawBufferPointer(start: data + envOffset, count: n)) }
            }
            box.records.append(record)
            return 0
        }, ctx, nil)
        if ring == nil {
            let e = errno
            close()
            throw SensorError(.load, "cannot open the sensor's ring buffer: \(Self.lastError(e))")
        }
    }

    deinit { close() }

    func close() {
        if let r = ring { ring_buffer__free(r); ring = nil }
        for l in links { bpf_link__destroy(l) }
        if !links.isEmpty { links = []; bpf_object__close(object) }
    }

    /// Waits up to `timeoutMillis` for records and returns them (oldest first).
    func poll(timeoutMillis: Int32) -> [vigil_event] {
        box.records.removeAll(keepingCapacity: true)
        box.environments.removeAll(keepingCapacity: true)
        guard let ring else { return [] }
        // the kernel side wakes us only when a batch is pending (bpf/vigil.bpf.c): after the
        // timeout, drain whatever arrived without a wake-up, so an alert is at most one timeout late
        _ = ring_buffer__poll(ring, timeoutMillis)
        _ = ring_buffer__consume(ring)
        return box.records
    }

    /// Everything in the ring buffer now, without waiting (at shutdown).
    func drain() -> [vigil_event] {
        box.records.removeAll(keepingCapacity: true)
        box.environments.removeAll(keepingCapacity: true)
        guard let ring else { return [] }
        _ = ring_buffer__consume(ring)
        return box.records
    }

    /// The environment block sent with the exec record at `index` of the last `poll`/`drain`.
    func environment(at index: Int) -> [UInt8]? { box.environments[index] }

    /// Per-CPU counters summed.
    func counters() -> Counters {
        var c = Counters()
        let cpus = Int(libbpf_num_possible_cpus())
        guard statsFD >= 0, cpus > 0 else { return c }
        var values = [UInt64](repeating: 0, count: cpus)
        for idx in 0..<UInt32(VSTAT_COUNT.rawValue) {
            var key = idx
            values.withUnsafeMutableBytes { buf in
                for i in 0..<cpus { buf.storeBytes(of: 0, toByteOffset: i * 8, as: UInt64.self) }
                _ = bpf_map_lookup_elem(statsFD, &key, buf.baseAddress)
            }
            let sum = values.reduce(0, &+)
            switch idx {
            case VSTAT_EMITTED.rawValue: c.emitted = sum
            case VSTAT_DROPPED.rawValue: c.dropped = sum
            case VSTAT_OPEN_SKIPPED.rawValue: c.openSkipped = sum
            default: c.filtered = sum
            }
        }
        return c
    }

    /// Writes the exact paths (with their NUL, so only the whole path matches) and the prefixes
    /// into the `open_read_paths` LPM trie. Returns a reason on failure.
    private static func fillOpenReadPaths(object: OpaquePointer, _ paths: OpenReadPaths) -> String? {
        let fd = bpf_object__find_map_fd_by_name(object, "open_read_paths")
        guard fd >= 0 else { return "the sensor object has no open_read_paths map; rebuild it with scripts/build-bpf.sh" }
        let dataLength = Int(VIGIL_PATH_LEN)
        func insert(_ bytes: [UInt8]) -> String? {
            var key = vigil_path_key()
            key.prefixlen = UInt32(bytes.count * 8)
            withUnsafeMutableBytes(of: &key.data) { $0.copyBytes(from: bytes) }
            var one: UInt8 = 1
            if bpf_map_update_elem(fd, &key, &one, UInt64(BPF_ANY)) != 0 {
                return "\(String(decoding: bytes, as: UTF8.self)): \(Self.lastError(errno))"
            }
            return nil
        }
        // a path longer than the kernel copies (255 bytes) is matched by its truncated prefix
        for path in paths.exact {
            let bytes = Array(path.utf8)
            if let e = insert(bytes.count < dataLength ? bytes + [0] : Array(bytes.prefix(dataLength - 1))) { return e }
        }
        for prefix in paths.prefixes {
            if let e = insert(Array(prefix.utf8.prefix(dataLength - 1))) { return e }
        }
        return nil
    }

    /// The mount namespace of this process (the host's when vigil runs on the host).
    static func hostMountNamespace() throws(SensorError) -> UInt32 {
        var st = stat()
        guard stat("/proc/self/ns/mnt", &st) == 0 else {
            throw SensorError(.io, "cannot read /proc/self/ns/mnt: \(String(cString: strerror(errno)))")
        }
        return UInt32(truncatingIfNeeded: st.st_ino)
    }

    private static func lastError(_ code: Int32) -> String {
        let message = String(cString: vigil_libbpf_last_message())
        let sys = code != 0 ? String(cString: strerror(code)) : ""
        if message.isEmpty { return sys.isEmpty ? "unknown error" : sys }
        return message.split(separator: "\n").joined(separator: " ")
    }
}

/// Why the live sensor cannot run; printed as one line.
public typealias SensorError = EngineError<SensorFailure>

/// What kind of failure it was; its raw value is the stable part of ``code``: `permission`
/// (not root: the sensor needs CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN), `unsupportedKernel`
/// (no BTF), `object` (the sensor object is missing or does not match this vigil), `load`
/// (the kernel refused the program, its maps or its ring buffer), `io` (the recording, /proc,
/// tracefs).
public enum SensorFailure: String, ErrorReason {
    case permission, unsupportedKernel = "unsupported-kernel", object, load, io

    /// `sensor.<reason>`.
    public static let domain = "sensor"
}
