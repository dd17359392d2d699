import SystemIO
import VigilCore

#if canImport(Glibc)
import Glibc
#endif

/// An `http://host[:port][/path]` receiver and one POST to it over a plain socket.
///
/// One connection per request (`Connection: close`): receivers such as falcosidekick take one
/// Falco alert per request, and a fresh connection after every failure keeps retries simple.
/// `https://` needs a TLS stack this target does not link and is refused up front.
public struct HTTPEndpoint: Sendable {
    public let url: String
    let host: String
    let port: UInt16
    let path: String
    /// Seconds to wait for connect, send and the status line.
    public var timeoutSeconds: Int = 5

    public init(url: String) throws(AlertDeliveryError) {
        self.url = url
        guard url.hasPrefix("http://") else {
            throw AlertDeliveryError(.usage, "webhook URL must start with http:// (https is not supported yet): \(url)")
        }
        let rest = url.dropFirst(7)
        let hostPort = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        path = rest.count > hostPort.count ? String(rest.dropFirst(hostPort.count)) : "/"
        if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            guard let p = UInt16(hostPort[hostPort.index(after: colon)...]), p > 0 else {
                throw AlertDeliveryError(.usage, "invalid port in webhook URL: \(url)")
            }
            port = p
        } else {
            host = hostPort
            port = 80
        }
        if host.isEmpty { throw AlertDeliveryError(.usage, "webhook URL has no host: \(url)") }
        if path.utf8.contains(where: { $0 < 0x21 || $0 == 0x7F }) || host.utf8.contains(where: { $0 < 0x21 || $0 == 0x7F }) {
            throw AlertDeliveryError(.usage, "webhook URL contains spaces or control characters: \(url)")
        }
    }

    /// POSTs `body` as JSON with the extra headers; returns the HTTP status.
    public func post(_ body: [UInt8], headers: [(String, String)] = []) throws(AlertDeliveryError) -> Int {
        var head = "POST \(path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: vigil\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        head += "\r\n"
        let fd = try connect()
        defer { _ = Glibc.close(fd) }
        try SocketIO.writeAll(fd, Array(head.utf8) + body, what: url)
        var response: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while response.count < 65536 {
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            response.append(contentsOf: buf[0..<n])
            if response.contains(UInt8(ascii: "\n")) { break }
        }
        // "HTTP/1.1 204 No Content"
        let line = String(decoding: response.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw AlertDeliveryError(.network, "webhook sent no HTTP status line", location: url)
        }
        return status
    }

    private func connect() throws(AlertDeliveryError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var res: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &res) == 0, let first = res else {
            throw AlertDeliveryError(.network, "cannot resolve webhook host '\(host)'", location: url)
        }
        defer { freeaddrinfo(res) }
        var cur: UnsafeMutablePointer<addrinfo>? = first
        var lastError: Int32 = 0
        while let ai = cur {
            let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), ai.pointee.ai_protocol)
            if fd >= 0 {
                var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                if Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 { return fd }
                lastError = errno
                _ = Glibc.close(fd)
            }
            cur = ai.pointee.ai_next
        }
        throw AlertDeliveryError(.network, "cannot connect to webhook: \(String(cString: strerror(lastError)))", location: url)
    }
}

enum SocketIO {
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], what: String) throws(AlertDeliveryError) {
        let failure = DescriptorIO.sendAll(fd, bytes)
        if failure != 0 {
            throw AlertDeliveryError(.network, "send failed: \(String(cString: strerror(failure)))", location: what)
        }
    }
}
