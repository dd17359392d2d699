import Foundation
import JSONValue
import Logging
import Registry
import Scan
import ServiceLifecycle
import VigilCore

/// Runs queued scan jobs: each of `count` workers claims a job (from any replica's requests),
/// renews its lease while the scan runs, and stores the report. Registry credentials are opened
/// only for the pull and never logged.
struct ScanWorker: Service {
    let store: ScanJobStore
    let sealer: CredentialSealer
    let configuration: ServerConfiguration
    let logger: Logger
    /// Called with each finished job's outcome (`done`/`failed`) for the metrics.
    let finished: @Sendable (String) -> Void

    /// This replica's name in `lease_owner`.
    let owner = "\(ProcessInfo.processInfo.hostName)/\(getpid())/\(UUID().uuidString.prefix(8))"

    func run() async throws {
        guard let databasePath = configuration.databasePath, configuration.scanWorkers > 0 else {
            // A service that returns stops the whole server: idle until shutdown instead.
            try await gracefulShutdown()
            return
        }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for n in 0..<configuration.scanWorkers {
                    group.addTask { await loop(worker: n, databasePath: databasePath) }
                }
            }
        } onGracefulShutdown: {}
    }

    /// Claims and runs jobs until cancelled; polls while the queue is empty.
    func loop(worker: Int, databasePath: String) async {
        let executor = ScanExecutor(label: "vigil.scan.\(worker)")
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let job: ScanJobStore.ClaimedJob?
            do {
                job = try await store.claim(owner: owner, lease: configuration.scanLeaseSeconds)
            } catch {
                logger.warning("claiming a scan job failed: \(PostgresErrorText.describe(error))")
                job = nil
            }
            guard let job else {
                try? await Task.sleep(for: configuration.scanPollInterval)
                continue
            }
            await run(job, databasePath: databasePath, executor: executor)
        }
    }

    func run(_ job: ScanJobStore.ClaimedJob, databasePath: String, executor: ScanExecutor) async {
        let outcome: Result<String, ServerError>
        if job.attempts > ScanJobStore.maxAttempts {
            outcome = .failure(ServerError(.scan, "the scan was abandoned \(ScanJobStore.maxAttempts) times (its replica stopped mid-scan each time)"))
        } else {
            let lease = Task { await renewLease(job) }
            outcome = await Task(executorPreference: executor) { await scan(job, databasePath: databasePath) }.value
            lease.cancel()
        }
        do {
            let report: String? = if case .success(let text) = outcome { text } else { nil }
            let error: String? = if case .failure(let e) = outcome { e.message } else { nil }
            let summary = report.flatMap { try? JSONParser.parse(Array($0.utf8)) }.map { JSONPrinter(indent: 0).render(ScanSummary(trivy: $0).json) }
            if try await store.finish(id: job.id, owner: owner, report: report, summary: summary, error: error) {
                finished(report != nil ? "done" : "failed")
                if let error { logger.info("scan \(job.id) of \(job.reference) failed: \(error)") }
            } else {
                logger.info("scan \(job.id): lease lost to another replica, result discarded")
            }
        } catch {
            logger.warning("storing scan \(job.id) failed: \(PostgresErrorText.describe(error)); another replica retries it when the lease ends")
        }
    }

    /// Renews the lease at a third of its length until cancelled.
    func renewLease(_ job: ScanJobStore.ClaimedJob) async {
        let lease = configuration.scanLeaseSeconds
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(max(1, lease / 3)))
            if Task.isCancelled { return }
            _ = try? await store.renew(id: job.id, owner: owner, lease: lease)
        }
    }

    /// Pulls and scans the image; the Trivy JSON with every package (the SBOM is made from it).
    func scan(_ job: ScanJobStore.ClaimedJob, databasePath: String) async -> Result<String, ServerError> {
        var credentials: RegistryCredentials?
        if let sealed = job.sealedCredentials {
            guard let authorization = sealer.open(sealed) else {
                return .failure(ServerError(.secret, "the registry credentials were sealed by another replica with a different key; give every replica the same --secret-file"))
            }
            do {
                credentials = try RegistryCredentials(authorization: authorization)
            } catch {
                return .failure(ServerError(.scan, error.description))
            }
        }
        var config = ScanConfiguration()
        config.quiet = true
        config.classify = true
        config.ignoreFile = nil
        config.registry = RegistryAccess(insecure: job.plainHTTP, cacheDirectory: configuration.cacheDirectory,
                                         credentials: { [credentials] _ in credentials })
        config.registry?.confirmsCachedManifests = true
        do {
            let outcome = try await ScanPipeline(configuration: config, databasePath: databasePath)
                .run(.registry(reference: job.reference), warn: { _ in })
            return .success(outcome.render(format: .json, color: false, listAllPackages: true, toolVersion: configuration.toolVersion))
        } catch let error as any VigilError {
            return .failure(ServerError(.scan, error.description))
        } catch {
            return .failure(ServerError(.scan, "\(error)"))
        }
    }
}
