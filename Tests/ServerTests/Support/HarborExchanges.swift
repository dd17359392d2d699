import Foundation
import NIOHTTP1
import TestSupport

/// Sends Harbor adapter requests (no redirects followed) and records each exchange, so that
/// `scripts/validate-harbor-exchanges.py` can check them against Harbor's OpenAPI document with
/// openapi-core (an independent implementation) at the end of the test.
final class HarborExchanges: @unchecked Sendable {
    static let spec = SharedData.path("reference/harbor-scanner-adapter-openapi-v1.2.yaml")
    static let requestType = "application/vnd.scanner.adapter.scan.request+json; version=1.1"

    /// The venv python with openapi-core (scripts/report-validators-venv.sh), if set up.
    static let python: String? = {
        let candidates = [ProcessInfo.processInfo.environment["VIGIL_REPORT_VALIDATOR_PYTHON"], SharedData.repoRoot + "/.build/venv/bin/python"]
        for case let p? in candidates where FileManager.default.isExecutableFile(atPath: p) {
            if let r = try? Spawn.runBlocking([p, "-c", "import openapi_core"], input: nil, environment: nil), r.status == 0 { return p }
        }
        return nil
    }()

    let file: String
    private let lock = NSLock()

    init() {
        file = NSTemporaryDirectory() + "/vigil-harbor-exchanges-\(UUID().uuidString).jsonl"
    }

    deinit { try? FileManager.default.removeItem(atPath: file) }

    func send(_ method: HTTPMethod, _ url: String, token: String?, accept: String? = nil, body: String? = nil) async throws -> HTTPClientRequestBuilder.Answer {
        var headers: [(String, String)] = []
        if let accept { headers.append(("Accept", accept)) }
        if body != nil { headers.append(("Content-Type", Self.requestType)) }
        let r = try await HTTP.sendWithHeaders(method, url, token: token, headers: headers, body: body.map { Array($0.utf8) })
        let answer = HTTPClientRequestBuilder.Answer(status: r.status, headers: r.headers, text: String(decoding: r.body, as: UTF8.self))
        let components = URLComponents(string: url)!
        var requestHeaders = Dictionary(headers, uniquingKeysWith: { a, _ in a })
        if let token { requestHeaders["Authorization"] = "Bearer \(token)" }
        let record: [String: Any] = [
            "method": "\(method)", "path": components.path,
            "query": components.percentEncodedQuery ?? "", "request_headers": requestHeaders, "request_body": body ?? "",
            "status": r.status, "response_headers": r.headers, "response_body": answer.text,
        ]
        var line = try JSONSerialization.data(withJSONObject: record)
        line.append(0x0A)
        lock.withLock {
            if let handle = FileHandle(forWritingAtPath: file) {
                handle.seekToEndOfFile(); handle.write(line); handle.closeFile()
            } else {
                FileManager.default.createFile(atPath: file, contents: line)
            }
        }
        return answer
    }

    /// The validator's verdict, or nil when openapi-core is not set up.
    func validate() async throws -> (ok: Bool, output: String)? {
        guard let python = Self.python else { return nil }
        let r = try await Spawn.run([python, SharedData.repoRoot + "/scripts/validate-harbor-exchanges.py", Self.spec, file])
        return (r.status == 0, r.stdout + r.stderr)
    }
}
