import Testing
@testable import Server

@Suite struct AlertTimeTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2026-12-06T16:34:15.123456789Z", Int64(1_796_574_855_123_456)),
        ("2026-12-06T18:34:15.123456+02:00", Int64(1_796_574_855_123_456)),
        ("2000-02-29T23:59:59.5Z", Int64(951_868_799_500_000)),
    ])
    func parses(_ text: String, _ micros: Int64) {
        #expect(AlertTime.microseconds(text) == micros)
    }

    @Test(arguments: ["", "2026-12-06", "2026-13-01T00:00:00Z", "2026-12-06T16:34:15", "2026-12-06T16:34:15.Z", "2026-12-06T16:34:15Zjunk"])
    func rejects(_ text: String) {
        #expect(AlertTime.microseconds(text) == nil)
    }

    @Test func formatsBack() {
        #expect(AlertTime.format(1_796_574_855_123_456) == "2026-12-06T16:34:15.123456Z")
        #expect(AlertTime.format(-1) == "1969-12-31T23:59:59.999999Z")
    }
}
