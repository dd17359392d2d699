import ContainerImage
import ImageFixtures
import Testing
import VigilCore

@Suite struct GzipSourceTests {
    func gunzip(_ bytes: [UInt8], limits: DecompressionLimits = .standard) throws -> [UInt8] {
        var src = try GzipSource(MemorySource(bytes), name: "x.gz", limits: limits)
        return try src.readFully(1 << 26)
    }

    @Test func roundTrip() throws {
        let data = Array((0..<200_000).map { UInt8($0 % 251) })
        #expect(try gunzip(Gzip.compress(data)) == data)
    }

    @Test func concatenatedMembersAreAllDecoded() throws {
        // `cat a.gz b.gz`: gzip -dc prints both; compress-nio hangs on this.
        let a = Array("first member\n".utf8), b = Array("second member\n".utf8)
        #expect(try gunzip(Gzip.compress(a) + Gzip.compress(b)) == a + b)
    }

    @Test func trailingZeroPaddingIsIgnored() throws {
        let a = Array("data".utf8)
        #expect(try gunzip(Gzip.compress(a) + [UInt8](repeating: 0, count: 700)) == a)
    }

    @Test func truncatedStreamIsAnError() throws {
        let gz = Gzip.compress(Array((0..<100_000).map { UInt8($0 % 13) }))
        let error = #expect(throws: ContainerImageError.self) { _ = try gunzip(Array(gz.prefix(gz.count / 2))) }
        #expect(error?.reason == .truncated)
    }

    @Test func corruptDataIsAnError() throws {
        var gz = Gzip.compress(Array((0..<100_000).map { UInt8($0 % 13) }))
        for i in 20..<60 { gz[i] ^= 0xFF }
        #expect(throws: ContainerImageError.self) { _ = try gunzip(gz) }
    }

    @Test func bombIsStoppedByRatio() throws {
        let member = Gzip.compress([UInt8](repeating: 0, count: 4 << 20))
        let bomb = Array([[UInt8]](repeating: member, count: 8).joined())
        let limits = DecompressionLimits(ratioCheckAfter: 1 << 20, maxRatio: 100, maxOutput: 1 << 40)
        let error = #expect(throws: ContainerImageError.self) { _ = try gunzip(bomb, limits: limits) }
        #expect(error?.reason == .decompressionBomb)
    }
}
