import Glibc

/// One HTTP/1.x exchange over a unix socket: the container runtimes' APIs (Docker, Podman) that
/// the kernel sensor asks for container names and response actions use to stop containers.
///
/// Own code on purpose: lookups happen on the sensor's event thread, once per new container, and
/// need no event loop; async-http-client (used for registries) would add one to this path.
public enum UnixSocketHTTP {
    /// The answer: its status and, when asked for, its body.
    public struct Response: Sendable, Equatable {
        /// The status code of the status line (`204`).
        public var status: Int
        /// What follows the blank line after the headers; nil when the body was not read or the
        /// headers never ended.
        public var body: [UInt8]?
    }

    /// Why there is no answer.
    public enum Failure: Error, Sendable, Equatable {
        /// The socket path does not fit `sockaddr_un` (107 bytes and a NUL).
        case pathTooLong
        /// `socket(2)` failed with this errno.
        case socket(Int32)
        /// `connect(2)` failed with this errno.
        case connect(Int32)
        /// Sending the request failed with this errno.
        case send(Int32)
        /// Receiving failed (or timed out: EAGAIN) with this errno before the answer was complete;
        /// a cut body is never returned as an answer.
        case receive(Int32)
        /// The peer answered no `HTTP/… NNN` line.
        case noStatusLine
    }

    /// Sends `request` (the head, and body if any, exactly as the caller wrote it) to the server
    /// listening on `path` and reads the answer: up to its first line when `readsBody` is false,
    /// otherwise to the end (the caller asks for `Connection: close` or HTTP/1.0), at most
    /// `limit` bytes either way. Sends and reads time out after `timeoutSeconds`.
    public static func exchange(socket path: String, request: [UInt8], timeoutSeconds: Int, readsBody: Bool,
                                limit: Int) -> Result<Response, Failure> {
        let bytes = Array(path.utf8)
        var address = sockaddr_un()
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return .failure(.pathTooLong) }
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(.socket(errno)) }
        let descriptor = FileDescriptor(owning: fd)
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { return .failure(.connect(errno)) }
        let sent = DescriptorIO.sendAll(fd, request)
        guard sent == 0 else { return .failure(.send(sent)) }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: readsBody ? 65536 : 1024)
        while response.count < limit {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(.receive(errno))
            }
            if n == 0 { break }
            response.append(contentsOf: chunk[0..<n])
            if !readsBody, response.contains(0x0A) { break }
        }
        descriptor.close()
        // "HTTP/1.1 204 No Content"
        let line = String(decoding: response.prefix { $0 != 0x0D && $0 != 0x0A }, as: UTF8.self).split(separator: " ")
        guard line.count >= 2, line[0].hasPrefix("HTTP/"), let status = Int(line[1]) else { return .failure(.noStatusLine) }
        guard readsBody else { return .success(Response(status: status, body: nil)) }
        let separator: [UInt8] = [13, 10, 13, 10]
        let end = (0..<max(0, response.count - 3)).first { response[$0..<$0 + 4].elementsEqual(separator) }
        return .success(Response(status: status, body: end.map { Array(response[($0 + 4)...]) }))
    }
}
