import Foundation
import ImageFixtures
import Scan
import Testing
import VigilCore

/// The pipeline's own failures: one line naming the file, a stable code, no report.
struct ScanPipelineErrorTests {
    let scratch = ScratchDirectory()

    func rootfs() throws -> String {
        let root = scratch.path + "/rootfs"
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        try "3.10.2\n".write(toFile: root + "/etc/alpine-release", atomically: true, encoding: .utf8)
        return root
    }

    @Test func namedIgnoreFileMustExist() async throws {
        var configuration = ScanConfiguration()
        configuration.ignoreFile = scratch.path + "/no-such-ignore"
        let pipeline = ScanPipeline(configuration: configuration, databasePath: scratch.path + "/none.db")
        let error = await #expect(throws: ScanPipelineError.self) {
            _ = try await pipeline.run(.rootfs(path: try self.rootfs()), warn: { _ in })
        }
        #expect(error?.code == "scan.ignore-file")
        #expect(error?.description == "\(scratch.path)/no-such-ignore: no such ignore file")
        #expect((error as (any VigilError)?)?.exitCode == 1)
    }

    @Test func registrySourceNeedsRegistryAccess() async throws {
        let pipeline = ScanPipeline(configuration: ScanConfiguration(), databasePath: scratch.path + "/none.db")
        let error = await #expect(throws: ScanPipelineError.self) {
            _ = try await pipeline.run(.registry(reference: "alpine:3.10"), warn: { _ in })
        }
        #expect(error?.code == "scan.input")
    }

    @Test func directoryWithoutDockerfile() throws {
        let pipeline = ConfigScanPipeline(configuration: ConfigScanConfiguration(databasePath: scratch.path + "/none.db"))
        let error = #expect(throws: ScanPipelineError.self) { _ = try pipeline.run(path: scratch.path, warn: { _ in }) }
        #expect(error?.description.hasPrefix("\(scratch.path): no Dockerfile found") == true)
    }

    /// A rootfs without a release file or packages needs no database; the warnings come through the sink.
    @Test func warningsGoToTheSinkUnlessQuiet() async throws {
        let root = scratch.path + "/empty"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let log = WarningLog()
        let outcome = try await ScanPipeline(configuration: ScanConfiguration(), databasePath: scratch.path + "/none.db")
            .run(.rootfs(path: root), warn: { log.append($0) })
        #expect(!outcome.hasFindings)
        #expect(log.lines == ["no OS release file found; OS packages cannot be matched against advisories"])
        var quiet = ScanConfiguration()
        quiet.quiet = true
        let silent = WarningLog()
        _ = try await ScanPipeline(configuration: quiet, databasePath: scratch.path + "/none.db").run(.rootfs(path: root), warn: { silent.append($0) })
        #expect(silent.lines.isEmpty)
    }
}
