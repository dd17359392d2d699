import JSONValue
import Sensor

#if canImport(Glibc)
import Glibc
#endif

/// Container name and image for a container id, from the runtime: podman's REST API on its unix
/// socket, docker's when present, and containers/storage's own records when no API service runs
/// (podman without `podman system service`). Cached; a miss refreshes (a new container appeared).
final class ContainerDirectory {
    struct Info: Equatable {
        var name: String
        var image: String
        var privileged: Bool?
    }

    /// Where it looks, in order.
    struct Sources {
        var podmanSockets = ["/run/podman/podman.sock"]
        var dockerSockets = ["/var/run/docker.sock", "/run/docker.sock"]
        var storageFiles = ["/var/lib/containers/storage/overlay-containers/containers.json"]
    }

    private let sources: Sources
    private var cache: [String: Info] = [:]
    private var lastRefresh: [String: Int64] = [:]
    /// Which source answered last (for `--stats` and tests).
    private(set) var lastSource = ""

    init(sources: Sources = Sources()) { self.sources = sources }

    /// Info for a 12-character id (or a full id), or nil when no runtime knows it.
    func info(for id: String, now: Int64) -> Info? {
        if let hit = cache[id] { return hit }
        // do not hammer the runtime for ids it does not know: retry at most once a second
        if let last = lastRefresh[id], now - last < 1_000_000_000 { return nil }
        lastRefresh[id] = now
        refresh()
        return cache[id]
    }

    /// Re-reads every container from the first source that answers.
    func refresh() {
        for socket in sources.podmanSockets where access(socket, F_OK) == 0 {
            if let list = UnixHTTP.get(socket: socket, path: "/v4.0.0/libpod/containers/json?all=true"),
               let parsed = try? JSONParser.parse(list), let items = parsed.arrayValue {
                for item in items {
                    guard let full = item["Id"]?.stringValue else { continue }
                    let name = item["Names"]?.arrayValue?.first?.stringValue ?? ""
                    let image = item["Image"]?.stringValue ?? ""
                    store(full, Info(name: name, image: image, privileged: nil))
                }
                lastSource = "podman API (\(socket))"
                return
            }
        }
        for socket in sources.dockerSockets where access(socket, F_OK) == 0 {
            if let list = UnixHTTP.get(socket: socket, path: "/containers/json?all=1"),
               let parsed = try? JSONParser.parse(list), let items = parsed.arrayValue {
                for item in items {
                    guard let full = item["Id"]?.stringValue else { continue }
                    var name = item["Names"]?.arrayValue?.first?.stringValue ?? ""
                    if name.hasPrefix("/") { name.removeFirst() }
                    store(full, Info(name: name, image: item["Image"]?.stringValue ?? "", privileged: nil))
                }
                lastSource = "docker API (\(socket))"
                return
            }
        }
        for file in sources.storageFiles {
            guard let bytes = ProcFS.read(file, limit: 64 << 20), let parsed = try? JSONParser.parse(bytes),
                  let items = parsed.arrayValue else { continue }
            for item in items {
                guard let full = item["id"]?.stringValue else { continue }
                let name = item["names"]?.arrayValue?.first?.stringValue ?? ""
                // podman keeps the image name it was run with in the metadata string
                var image = ""
                if let meta = item["metadata"]?.stringValue, let m = try? JSONParser.parse(meta) {
                    image = m["image-name"]?.stringValue ?? ""
                }
                store(full, Info(name: name, image: image, privileged: nil))
            }
            lastSource = "containers/storage (\(file))"
            return
        }
    }

    private func store(_ fullID: String, _ info: Info) {
        cache[String(fullID.prefix(12))] = info
    }
}

/// HTTP/1.0 GET over a unix socket, synchronous with a 2 s timeout.
///
/// Own code on purpose: lookups happen on the sensor's event thread, once per new container, and
/// need no event loop; async-http-client (used for registries) would add one to this path.
enum UnixHTTP {
    static func get(socket path: String, path request: String) -> [UInt8]? {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { _ = close(fd) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard ok == 0 else { return nil }
        let req = Array("GET \(request) HTTP/1.0\r\nHost: localhost\r\n\r\n".utf8)
        var sent = 0
        while sent < req.count {
            let n = req[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return nil }
            sent += n
        }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while response.count < 64 << 20 {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { break }
            response.append(contentsOf: chunk[0..<n])
        }
        // status line, headers, blank line, body (HTTP/1.0: the server closes after the body)
        guard response.starts(with: Array("HTTP/1.".utf8)), response.count > 12,
              response[9] == UInt8(ascii: "2") else { return nil }
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let start = (0..<max(0, response.count - 3)).first(where: { response[$0..<$0 + 4].elementsEqual(separator) }) else { return nil }
        return Array(response[(start + 4)...])
    }
}
