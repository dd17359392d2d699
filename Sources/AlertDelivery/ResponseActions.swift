import CVigilProcess
import JSONValue
import RuleEngine
import SystemIO
import VigilCore

#if canImport(Glibc)
import Glibc
#endif

/// `vigil watch --enable-actions`: carries out a rule's `actions:` for every match (not only the
/// alerts that pass throttling) and writes one audit line per action — rule, target, result.
///
/// - `kill`: `pidfd_open` pins the process, `/proc/PID/comm` must still be the alert's process
///   (a pid reused since the event is left alone), then `pidfd_send_signal(SIGKILL)`.
/// - `stop-container`: the runtime's API (`POST …/containers/ID/stop?t=0` on podman's or docker's
///   unix socket).
///
/// Host processes are never touched unless the rule says `host: true`.
public final class ResponseActions {
    /// Where audit lines go (the CLI writes them to stderr or `--actions-log`).
    public var audit: (String) -> Void
    /// Runtime API sockets tried in order for `stop-container`.
    public var runtimeSockets: [(path: String, stopPath: (String) -> String)] = [
        ("/run/podman/podman.sock", { "/v4.0.0/libpod/containers/\($0)/stop?timeout=0" }),
        ("/var/run/docker.sock", { "/containers/\($0)/stop?t=0" }),
        ("/run/docker.sock", { "/containers/\($0)/stop?t=0" }),
    ]
    /// Counts by result, for the closing line.
    public private(set) var performed = 0
    public private(set) var failed = 0
    public private(set) var skipped = 0
    private var stoppedContainers: Set<String> = []

    public init(audit: @escaping (String) -> Void) {
        self.audit = audit
    }

    /// Carries out the alert's actions and audits each.
    public func respond(to alert: Alert) {
        for action in alert.actions {
            let result: String
            if alert.containerID == "host" && !alert.actionsOnHost {
                result = "skipped: a host process, and the rule does not say host: true"
                skipped += 1
            } else {
                switch action {
                case .kill: result = kill(pid: alert.pid, name: alert.processName)
                case .stopContainer: result = stopContainer(alert.containerID)
                }
            }
            let latency = Double(Self.realtimeNanos() - alert.time) / 1e6
            let e = JSONEmitter(style: JSONStyle(indent: 0, escaping: .go(escapeHTML: false)))
            var out = Array("{\"time\":".utf8)
            e.string(TimeFormat.iso8601(Self.realtimeNanos()), &out)
            out += Array(",\"rule\":".utf8); e.string(alert.rule, &out)
            out += Array(",\"action\":".utf8); e.string(action.rawValue, &out)
            out += Array(",\"pid\":\(alert.pid),\"proc.name\":".utf8); e.string(alert.processName, &out)
            out += Array(",\"container.id\":".utf8); e.string(alert.containerID, &out)
            out += Array(",\"result\":".utf8); e.string(result, &out)
            out += Array(",\"ms_after_event\":\(format3(latency))}".utf8)
            let line = String(decoding: out, as: UTF8.self)
            audit("vigil: action: " + line)
        }
    }

    private func kill(pid: Int64, name: String) -> String {
        guard pid > 1, pid <= Int64(Int32.max) else { failed += 1; return "failed: invalid pid \(pid)" }
        let fd = vigil_pidfd_open(Int32(pid))
        guard fd >= 0 else {
            let e = errno
            if e == ESRCH { skipped += 1; return "skipped: the process had already exited" }
            failed += 1
            return "failed: pidfd_open: \(String(cString: strerror(e)))"
        }
        defer { _ = Glibc.close(fd) }
        // The pidfd pins this process; make sure it is still the one the event named.
        if let comm = Self.readComm(pid), comm != name {
            skipped += 1
            return "skipped: pid \(pid) is now '\(comm)', not '\(name)' (the process exited and the pid was reused)"
        }
        if vigil_pidfd_send_signal(fd, SIGKILL) != 0 {
            let e = errno
            if e == ESRCH { skipped += 1; return "skipped: the process had already exited" }
            failed += 1
            return "failed: pidfd_send_signal: \(String(cString: strerror(e)))"
        }
        performed += 1
        return "killed"
    }

    private func stopContainer(_ id: String) -> String {
        guard !id.isEmpty, id.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
            failed += 1
            return "failed: not a container id: \(id)"
        }
        if stoppedContainers.contains(id) { skipped += 1; return "skipped: stop already requested" }
        for socket in runtimeSockets where access(socket.path, F_OK) == 0 {
            switch RuntimeRequest.post(socket: socket.path, path: socket.stopPath(id)) {
            case .success(let status) where (200..<300).contains(status) || status == 304:
                stoppedContainers.insert(id)
                performed += 1
                return "stopped (\(socket.path) answered \(status))"
            case .success(let status):
                failed += 1
                return "failed: \(socket.path) answered HTTP \(status)"
            case .failure(let e):
                failed += 1
                return "failed: \(e)"
            }
        }
        failed += 1
        return "failed: no container runtime API socket (podman system service or dockerd)"
    }

    static func readComm(_ pid: Int64) -> String? {
        let fd = open("/proc/\(pid)/comm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { _ = Glibc.close(fd) }
        var buf = [UInt8](repeating: 0, count: 64)
        let n = read(fd, &buf, 64)
        guard n > 0 else { return nil }
        return String(decoding: buf[0..<n].prefix { $0 != 0x0A }, as: UTF8.self)
    }

    static func realtimeNanos() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}

/// Milliseconds with three decimals, without Foundation.
private func format3(_ x: Double) -> String {
    let v = (x * 1000).rounded() / 1000
    let whole = Int64(v.rounded(.towardZero))
    let frac = Int64((abs(v - Double(whole)) * 1000).rounded())
    let f = String(frac)
    return (v < 0 && whole == 0 ? "-" : "") + String(whole) + "." + String(repeating: "0", count: 3 - f.count) + f
}

/// One POST without a body over a unix socket (the container runtime's API), failures worded
/// as alert delivery's.
enum RuntimeRequest {
    static func post(socket path: String, path request: String) -> Result<Int, AlertDeliveryError> {
        let head = "POST \(request) HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        switch UnixSocketHTTP.exchange(socket: path, request: Array(head.utf8), timeoutSeconds: 15, readsBody: false, limit: 4096) {
        case .success(let response): return .success(response.status)
        case .failure(.pathTooLong): return .failure(AlertDeliveryError(.usage, "socket path too long", location: path))
        case .failure(.socket(let e)): return .failure(AlertDeliveryError(.network, "socket: \(String(cString: strerror(e)))"))
        case .failure(.connect(let e)): return .failure(AlertDeliveryError(.network, "connect: \(String(cString: strerror(e)))", location: path))
        case .failure(.send(let e)): return .failure(AlertDeliveryError(.network, "send failed: \(String(cString: strerror(e)))", location: path))
        case .failure(.receive(let e)): return .failure(AlertDeliveryError(.network, "receive failed: \(String(cString: strerror(e)))", location: path))
        case .failure(.noStatusLine): return .failure(AlertDeliveryError(.network, "no HTTP status line", location: path))
        }
    }
}
