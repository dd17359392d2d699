import Foundation
import SystemIO
import Testing

@Suite struct UnixSocketHTTPTests {
    /// A one-shot server on a unix socket: accepts one connection, reads the request head,
    /// answers `answer` and closes. Returns the socket path and what the server received.
    final class Server: @unchecked Sendable {
        let path = NSTemporaryDirectory() + "vigil-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        private(set) var received: [UInt8] = []
        private let done = DispatchSemaphore(value: 0)

        init(answer: String) {
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in for (i, b) in path.utf8.enumerated() { raw[i] = b } }
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            listen(fd, 1)
            Thread { [self] in
                let client = accept(fd, nil, nil)
                var buffer = [UInt8](repeating: 0, count: 4096)
                while !received.suffix(4).elementsEqual([13, 10, 13, 10]) {
                    let n = read(client, &buffer, buffer.count)
                    if n <= 0 { break }
                    received += buffer[0..<n]
                }
                _ = DescriptorIO.writeAll(client, Array(answer.utf8))
                close(client)
                close(fd)
                done.signal()
            }.start()
        }

        func wait() { done.wait(); unlink(path) }
    }

    @Test func readsTheStatusAndTheBody() {
        let server = Server(answer: "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n[{\"Id\":\"abc\"}]")
        let request = "GET /containers/json HTTP/1.0\r\nHost: localhost\r\n\r\n"
        let result = UnixSocketHTTP.exchange(socket: server.path, request: Array(request.utf8), timeoutSeconds: 5, readsBody: true, limit: 1 << 20)
        server.wait()
        #expect(String(decoding: server.received, as: UTF8.self) == request)
        guard case .success(let response) = result else { Issue.record("\(result)"); return }
        #expect(response.status == 200)
        #expect(response.body == Array("[{\"Id\":\"abc\"}]".utf8))
    }

    @Test func readsOnlyTheStatusLineWhenNoBodyIsWanted() throws {
        let server = Server(answer: "HTTP/1.1 204 No Content\r\n\r\n")
        let result = UnixSocketHTTP.exchange(socket: server.path, request: Array("POST /stop HTTP/1.1\r\n\r\n".utf8), timeoutSeconds: 5,
                                             readsBody: false, limit: 4096)
        server.wait()
        #expect(try result.get().status == 204)
        #expect(try result.get().body == nil)
    }

    @Test func failsWithoutAServerOrAStatusLine() {
        #expect(UnixSocketHTTP.exchange(socket: "/nonexistent/vigil.sock", request: [], timeoutSeconds: 1, readsBody: false, limit: 1)
            == .failure(.connect(ENOENT)))
        #expect(UnixSocketHTTP.exchange(socket: String(repeating: "x", count: 200), request: [], timeoutSeconds: 1, readsBody: false, limit: 1)
            == .failure(.pathTooLong))
        let server = Server(answer: "garbage\r\n")
        let result = UnixSocketHTTP.exchange(socket: server.path, request: Array("GET / HTTP/1.0\r\n\r\n".utf8), timeoutSeconds: 5,
                                             readsBody: true, limit: 4096)
        server.wait()
        #expect(result == .failure(.noStatusLine))
    }
}
