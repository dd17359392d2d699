import JSONValue
import Sensor
import SystemIO

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

/// HTTP/1.0 GET over a unix socket, synchronous with a 2 s timeout (HTTP/1.0: no chunked
/// bodies, and the server closes after the body).
enum UnixHTTP {
    static func get(socket path: String, path request: String) -> [UInt8]? {
        let head = Array("GET \(request) HTTP/1.0\r\nHost: localhost\r\n\r\n".utf8)
        guard case .success(let response) = UnixSocketHTTP.exchange(socket: path, request: head, timeoutSeconds: 2,
                                                                     readsBody: true, limit: 64 << 20),
              (200..<300).contains(response.status) else { return nil }
        return response.body
    }
}
