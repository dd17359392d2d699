import Foundation
import Testing
@testable import Server
import VigilCore

/// Parsing that needs no database: connection URLs, --listen, scopes, alert bodies.
@Suite struct ServerParsingTests {
    @Test func postgresURLs() throws {
        let u = try PostgresURL("postgres://alice:s%40cret@db.example:6543/alerts")
        #expect(u.user == "alice" && u.password == "s@cret" && u.host == "db.example" && u.port == 6543 && u.database == "alerts")
        #expect(!u.description.contains("cret"))
        let s = try PostgresURL("postgresql://vigil@/vigil?host=/var/run/postgresql")
        #expect(s.socketDirectory == "/var/run/postgresql" && s.database == "vigil" && s.port == 5432)
        let v6 = try PostgresURL("postgres://u@[::1]:5433/d")
        #expect(v6.host == "::1" && v6.port == 5433)
        #expect(try PostgresURL("postgres://u@h").database == "u")
        for bad in ["mysql://u@h/d", "postgres://u@h:0/d", "postgres://u@h:x/d", "postgres://u@h/d?sslmode=require", "postgres://u@h/d?bogus=1", "postgres://u%zz@h/d"] {
            #expect(throws: ServerError.self, "\(bad)") { try PostgresURL(bad) }
        }
    }

    @Test func listenAddresses() throws {
        #expect(try ServerConfiguration.parseListen("127.0.0.1:8080") == ("127.0.0.1", 8080))
        #expect(try ServerConfiguration.parseListen("[::1]:0") == ("::1", 0))
        #expect(try ServerConfiguration.parseListen(":9090") == ("0.0.0.0", 9090))
        for bad in ["8080", "host:", "host:70000", "[::1]8080"] {
            #expect(throws: ServerError.self, "\(bad)") { try ServerConfiguration.parseListen(bad) }
        }
    }

    /// PostgreSQL cannot store U+0000 (found by schemathesis: the insert failed with 22P05 and
    /// the sender was told to retry for ever); it is kept as U+FFFD, an escaped backslash is not.
    @Test func nulCharactersAreStoredAsReplacementCharacters() throws {
        let body = #"{"rule":"r\u0000x","priority":"Notice","time":"2026-12-06T10:00:00Z","output":"a\u0000b \\u0000","output_fields":{"k\u0000":"v","container.id":"c\u0000"}}"#
        let records = try AlertPayload.parse(Array(body.utf8), deliveryID: nil)
        #expect(records.count == 1)
        let r = records[0]
        #expect(r.rule == "r\u{FFFD}x" && r.containerID == "c\u{FFFD}")
        #expect(!r.body.utf8.contains(0))
        #expect(r.body.contains(#"a\ufffdb"#) || r.body.contains("a\u{FFFD}b"))
        #expect(r.body.contains(#"\\u0000"#), "an escaped backslash followed by u0000 is text, kept")
        #expect(!AlertRecord.containsNULEscape(Array(#"{"a":"\\u0000"}"#.utf8)))
        #expect(AlertRecord.containsNULEscape(Array(#"{"a":"\u0000"}"#.utf8)))
    }

    @Test func scopes() throws {
        #expect(try TokenScope.parseList("ingest, read,ingest") == [.ingest, .read])
        #expect(throws: ServerError.self) { try TokenScope.parseList("write") }
        #expect(AccessToken(tenant: "t", scopes: [.admin]).allows(.scan))
        #expect(!AccessToken(tenant: "t", scopes: [.read]).allows(.ingest))
        #expect(!TokenStore.isValidTenant("a b") && !TokenStore.isValidTenant("") && TokenStore.isValidTenant("team-a.prod_1"))
    }

    static let alert = #"{"output":"o","priority":"info","rule":"R","time":"2026-12-06T16:34:15Z","output_fields":{"container.id":"c1","container.image":"alpine:3.19"},"hostname":"n1"}"#

    @Test func bodies() throws {
        let pretty = "{\n  \"rule\": \"R\",\n  \"priority\": \"Warning\",\n  \"time\": \"2026-12-06T16:34:15Z\"\n}\n"
        #expect(try AlertPayload.parse(Array(pretty.utf8), deliveryID: nil).count == 1)
        let one = try AlertPayload.parse(Array(Self.alert.utf8), deliveryID: nil)
        #expect(one.first?.priority == "Informational" && one.first?.image == "alpine:3.19" && one.first?.containerID == "c1")
        #expect(one.first?.dedupKey == "")
        #expect(try AlertPayload.parse(Array((Self.alert + "\n\n" + Self.alert + "\r\n").utf8), deliveryID: nil).count == 2)
        // Delivery keys: the same id and body match, another node or id does not, batch items differ.
        let a = try AlertPayload.parse(Array(Self.alert.utf8), deliveryID: "1-0")[0].dedupKey
        let b = try AlertPayload.parse(Array(Self.alert.utf8), deliveryID: "1-0")[0].dedupKey
        let c = try AlertPayload.parse(Array(Self.alert.replacingOccurrences(of: "n1", with: "n2").utf8), deliveryID: "1-0")[0].dedupKey
        let d = try AlertPayload.parse(Array(Self.alert.utf8), deliveryID: "1-1")[0].dedupKey
        #expect(a == b && a != c && a != d && a.count == 64)
        let batch = try AlertPayload.parse(Array(("[" + Self.alert + "," + Self.alert + "]").utf8), deliveryID: "7-0")
        #expect(batch[0].dedupKey != batch[1].dedupKey)
        do {
            _ = try AlertPayload.parse(Array((Self.alert + "\n{\"rule\":\"x\"}\n").utf8), deliveryID: nil)
            Issue.record("accepted a line without priority")
        } catch {
            #expect(error.location == "line 2")
        }
    }
}
