import Hummingbird
import NIOCore
import VigilCore

/// An HTTP error answer with a JSON body `{"error":{"code":…,"message":…}}`; the code is stable.
struct APIError: HTTPResponseError {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var headers: HTTPFields = [:]
    /// The body's media type (Harbor's adapter API has its own error type).
    var mediaType = "application/json"

    /// This error answered with `mediaType` instead.
    func with(mediaType: String) -> APIError {
        var e = self
        e.mediaType = mediaType
        return e
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var out: [UInt8] = Array(#"{"error":{"code":"#.utf8)
        JSONText.string(code, &out)
        out.append(contentsOf: #","message":"#.utf8)
        JSONText.string(message, &out)
        out.append(contentsOf: "}}\n".utf8)
        var h = headers
        h[.contentType] = mediaType
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: out)))
    }

    static let unauthorized = APIError(status: .unauthorized, code: "auth.missing-token",
                                       message: "send Authorization: Bearer <token> (create one with `vigil server token create`)",
                                       headers: [.wwwAuthenticate: #"Bearer realm="vigil""#])
    static let invalidToken = APIError(status: .unauthorized, code: "auth.invalid-token", message: "unknown token",
                                       headers: [.wwwAuthenticate: #"Bearer realm="vigil", error="invalid_token""#])

    static func forbidden(_ scope: TokenScope) -> APIError {
        APIError(status: .forbidden, code: "auth.scope", message: "this token lacks the \(scope.rawValue) scope")
    }

    static func tooLarge(_ limit: Int) -> APIError {
        APIError(status: .contentTooLarge, code: "request.too-large", message: "request body over \(limit) bytes")
    }

    static func badRequest(_ e: ServerError) -> APIError {
        APIError(status: .badRequest, code: e.code, message: e.description)
    }
}
