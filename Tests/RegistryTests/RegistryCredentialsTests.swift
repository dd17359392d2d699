import Registry
import Testing

/// The Authorization values a Harbor scan request hands over.
struct RegistryCredentialsTests {
    @Test func basicIsDecodedToUserAndPassword() throws {
        // base64("robot$harbor+scanner:p:ss") — the password keeps its colon.
        let c = try RegistryCredentials(authorization: "Basic cm9ib3QkaGFyYm9yK3NjYW5uZXI6cDpzcw==")
        #expect(c.username == "robot$harbor+scanner")
        #expect(c.password == "p:ss")
        #expect(c.bearerToken == nil)
        #expect(try RegistryCredentials(authorization: "basic   dTpw").username == "u")
    }

    @Test func bearerIsKeptAsAToken() throws {
        let c = try RegistryCredentials(authorization: "Bearer eyJhbGciOi.x.y")
        #expect(c.bearerToken == "eyJhbGciOi.x.y")
        #expect(!c.description.contains("eyJ"))
    }

    @Test(arguments: ["Basic", "Basic !!!!", "Basic dXNlcg==", "Digest abc", "Bearer ", ""])
    func malformedValuesAreRefusedWithoutEchoingThem(_ value: String) {
        #expect(throws: RegistryError.self) { try RegistryCredentials(authorization: value) }
    }
}
