// swift-tools-version: 6.1
import PackageDescription

/// One settings array for every target (as Hummingbird does).
/// MemberImportVisibility: a file sees the members of the modules it imports itself, not those a
/// dependency happens to bring along (with scripts/check-imports.py, the graph in Package.swift is
/// the graph the code uses).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// The event path (decode, process table, rule evaluation) without the runtime exclusivity
/// checks on class properties: `swift_beginAccess` and its thread-local access set were ~25% of
/// replay time (perf, `Benchmarks/rules-bench.sh`). These targets touch their process table and
/// compiled rules from one thread at a time; the static checks still run at compile time.
let eventPathSettings: [SwiftSetting] = swiftSettings + [
    .unsafeFlags(["-enforce-exclusivity=unchecked"]),
]

/// The replay path (Sensor, RuleEngine) also counts references non-atomically in release
/// builds: every event retains and releases its process record, strings and storage, and the
/// atomic operations cost 6.7% (best of 20) to 10.6% (median) of replay with Falco's rules
/// (interleaved A/B, `Benchmarks/rules-bench.sh` stream). Sound because the product runs these
/// modules on one thread (`vigil watch` and `vigil rules` evaluate events in a single loop; no
/// object of theirs is shared between threads). Code that starts sharing them across threads must
/// drop this flag. Debug builds (the tests, which run in parallel) keep atomic counts.
let replayPathSettings: [SwiftSetting] = eventPathSettings + [
    .unsafeFlags(["-Xfrontend", "-assume-single-threaded"], .when(configuration: .release)),
]

let package = Package(
    name: "vigil",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vigil", targets: ["vigil"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // NIOCore/NIOHTTP1 types appear in the AsyncHTTPClient calls of Registry and FeedUpdate.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // Thin executable: parses arguments, maps errors to exit codes.
        .executableTarget(name: "vigil", dependencies: ["VigilCLI"], swiftSettings: swiftSettings),
        .target(
            name: "VigilCLI",
            dependencies: [
                "Scan", "Watch", "VulnDB", "Scanner", "JSONValue", "Registry", "RuleEngine", "Sensor", "JQCLI", "Classification",
                "ReportTools", "FeedUpdate", "VigilCore", "SystemIO", "Server", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // zlib driven directly: compress-nio hangs on multi-member gzip (DEPENDENCIES.md trap 2).
        // Not named `CZlib`: ZIPFoundation's own zlib module has that name, and two module maps
        // defining one module break every target that sees both.
        .systemLibrary(name: "CVigilZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "ContainerImage",
            dependencies: ["VigilCore", "CVigilZlib", "JSONValue", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(name: "Versioning", dependencies: ["VigilCore"], swiftSettings: swiftSettings),
        // The strict TOML subset RustSec advisories and lockfiles (Cargo.lock, poetry.lock) use.
        .target(name: "TOML", swiftSettings: swiftSettings),
        // jq-compatible processor behind `vigil query` / `vigil jq`.
        .target(name: "JQ", dependencies: ["VigilCore", "SystemIO", "JSONValue", "COniguruma", "Yams"], swiftSettings: swiftSettings),
        // jq's command line over the JQ language (options, input files and streams, output): `vigil query`.
        .target(name: "JQCLI", dependencies: ["JQ", "SystemIO"], swiftSettings: swiftSettings),
        // Oniguruma, jq's regex engine (retry limits bound backtracking).
        .systemLibrary(name: "COniguruma", pkgConfig: "oniguruma", providers: [.apt(["libonig-dev"])]),
        // Event model, JSON-lines replay and process/fd state (the live eBPF sensor will write the same events).
        .target(name: "Sensor", dependencies: ["VigilCore", "SystemIO", "JSONValue"], swiftSettings: replayPathSettings),
        // libbpf (system library) and the kernel/user record layout shared with bpf/vigil.bpf.c.
        .systemLibrary(name: "CLibBPF", pkgConfig: "libbpf", providers: [.apt(["libbpf-dev"])]),
        .target(name: "CVigilBPF", dependencies: ["CLibBPF"]),
        // Live eBPF sensor: loads bpf/vigil.bpf.o, turns kernel records into Sensor events.
        .target(name: "KernelSensor", dependencies: ["VigilCore", "SystemIO", "CLibBPF", "CVigilBPF", "Sensor", "JSONValue"], swiftSettings: eventPathSettings),
        // Falco-compatible rules: loader, condition language, evaluator, outputs.
        .target(
            name: "RuleEngine",
            dependencies: ["VigilCore", "SystemIO", "Sensor", "JSONValue", "Yams"],
            swiftSettings: replayPathSettings
        ),
        // Alert outputs that leave the process: webhook (on-disk spool, delivery thread) and RFC 5424
        // syslog. Apart from RuleEngine because its thread shares objects: this target keeps atomic
        // reference counting (RuleEngine's release build does not, see replayPathSettings).
        .target(name: "AlertDelivery", dependencies: ["VigilCore", "SystemIO", "RuleEngine", "JSONValue", "CVigilProcess"], swiftSettings: swiftSettings),
        // `vigil server`: HTTP API (Hummingbird) over PostgreSQL (PostgresNIO): tokens, alert ingestion,
        // health and Prometheus metrics. Any number of replicas share one database.
        .target(
            name: "Server",
            dependencies: [
                "JSONValue", "VigilCore", "Scan", "Registry", "ReportTools", "Classification", "VulnDB",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // pidfd_open / pidfd_send_signal for response actions (syscall(2) is variadic in Swift).
        .target(name: "CVigilProcess"),
        // Registry HTTP API v2 client, blob cache and pulls.
        .target(
            name: "Registry",
            dependencies: ["VigilCore", "SystemIO", "VigilHTTP", "ContainerImage", "JSONValue", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                           .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // One scan from source to result model (load or pull, analyze, match, filter, classify) and its
        // rendering, as trivy's pkg/scan: `vigil image|rootfs|config` and the server call it in-process.
        .target(
            name: "Scan",
            dependencies: ["ContainerImage", "Analyzers", "VulnDB", "Scanner", "Registry", "Classification", "ConfigScan",
                           "Report", "ReportTools", "JSONValue", "VigilCore", "SystemIO"],
            swiftSettings: swiftSettings
        ),
        // One `vigil watch` session: rules, alert outputs, the kernel open filter, response actions, stop signals.
        .target(
            name: "Watch",
            dependencies: ["RuleEngine", "AlertDelivery", "Sensor", "KernelSensor", "CVigilBPF", "VigilCore"],
            swiftSettings: swiftSettings
        ),
        // Builds real image archives (docker save, OCI) for tests and benchmarks.
        .target(name: "ImageFixtures", dependencies: ["ContainerImage", "CVigilZlib", "JSONValue"], swiftSettings: swiftSettings),
        // What every engine shares without I/O: the error protocol (stable code, one line, exit
        // code), the severity scale, base64 and HTML escaping.
        .target(name: "VigilCore", swiftSettings: swiftSettings),
        // The AsyncHTTPClient setup registry pulls and feed downloads share.
        .target(name: "VigilHTTP", dependencies: [.product(name: "AsyncHTTPClient", package: "async-http-client"),
                                                  .product(name: "NIOCore", package: "swift-nio")], swiftSettings: swiftSettings),
        // Foundation-free system I/O every engine shares: bounded whole-file reads, EINTR-safe
        // write-all, atomic write-and-rename, an owning descriptor, a large-stack thread.
        .target(name: "SystemIO", dependencies: ["VigilCore"], swiftSettings: swiftSettings),
        // Ordered JSON model, parser and Go-compatible printer shared by every engine.
        .target(name: "JSONValue", dependencies: ["VigilCore"], swiftSettings: swiftSettings),
        // Dockerfile parser (BuildKit semantics), misconfiguration checks and build predictions.
        .target(name: "ConfigScan", dependencies: ["VigilCore", "SystemIO", "JSONValue"], swiftSettings: swiftSettings),
        // parse+check throughput over generated Dockerfiles (Benchmarks/config-bench.sh).
        .executableTarget(name: "config-bench", dependencies: ["ConfigScan", "JSONValue"], path: "Benchmarks/ConfigBench", swiftSettings: swiftSettings),
        .target(
            name: "Analyzers",
            dependencies: ["VigilCore", "TOML", "ContainerImage", "JSONValue", "Versioning", "CVigilZlib", .product(name: "GRDB", package: "GRDB.swift"), "Yams"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "VulnDB",
            dependencies: ["VigilCore", "SystemIO", "TOML", "Versioning", .product(name: "GRDB", package: "GRDB.swift"), "Yams",
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: swiftSettings
        ),
        // `vigil db update`: feeds config, downloads (AsyncHTTPClient, file://), staging, lock, atomic swap.
        .target(
            name: "FeedUpdate",
            dependencies: ["VigilCore", "SystemIO", "VigilHTTP", "VulnDB", "CVigilZlib", "Yams", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Scanner",
            dependencies: ["VigilCore", "Analyzers", "VulnDB", "Versioning", "ContainerImage", "JSONValue", "ConfigScan"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Report",
            dependencies: ["VigilCore", "Scanner", "Analyzers", "ContainerImage", "VulnDB", "ConfigScan", "JSONValue", "Classification"],
            swiftSettings: swiftSettings
        ),
        // Categories of a vulnerability from its CWE ids (hierarchy walk) and text; no dependencies.
        .target(name: "Classification", swiftSettings: swiftSettings),
        // Report commands (split, summary, diff) and formats (SARIF, CycloneDX, SPDX, HTML) over Trivy-shaped JSON.
        .target(name: "ReportTools", dependencies: ["VigilCore", "SystemIO", "JSONValue", "Classification"], swiftSettings: swiftSettings),
        .testTarget(
            name: "VersioningTests",
            dependencies: ["Versioning", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "JSONValueTests", dependencies: ["JSONValue", "TestSupport"], swiftSettings: swiftSettings),
        // Shared by the test targets only: the ../shared locator, fixture directories, golden files
        // (recording fails the test), `.enabled(if:)` traits for missing data or tools, process runners.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "VigilCoreTests", dependencies: ["VigilCore"], swiftSettings: swiftSettings),
        .testTarget(name: "SystemIOTests", dependencies: ["SystemIO"], swiftSettings: swiftSettings),
        .testTarget(name: "TOMLTests", dependencies: ["TOML"], swiftSettings: swiftSettings),
        .testTarget(name: "ConfigScanTests", dependencies: ["ConfigScan", "JSONValue", "TestSupport"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "JQTests", dependencies: ["JQ"], swiftSettings: swiftSettings),
        .testTarget(name: "RuleEngineTests", dependencies: ["VigilCore", "RuleEngine", "Sensor", "JSONValue", "TestSupport"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "SensorTests", dependencies: ["Sensor", "TestSupport"], swiftSettings: swiftSettings),
        // Pulls through the vigil binary from a loopback registry (skopeo, htpasswd; skipped without them).
        .testTarget(name: "RegistryTests", dependencies: ["ImageFixtures", "TestSupport", "Registry"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        // The live eBPF sensor against a podman container (root, BTF, podman; skipped without them).
        .testTarget(name: "KernelSensorTests", dependencies: ["TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "AlertDeliveryTests", dependencies: ["AlertDelivery", "RuleEngine", "Sensor"], swiftSettings: swiftSettings),
        .testTarget(name: "ContainerImageTests", dependencies: ["ContainerImage", "ImageFixtures", "VigilCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AnalyzersTests",
            dependencies: ["Analyzers", "ContainerImage", "ImageFixtures", "JSONValue", .product(name: "GRDB", package: "GRDB.swift")], exclude: ["Fixtures"],
            swiftSettings: swiftSettings),
        .testTarget(name: "VulnDBTests", dependencies: ["VigilCore", "VulnDB", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                    exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "FeedUpdateTests", dependencies: ["VigilCore", "FeedUpdate", "VulnDB", "ImageFixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "ScannerTests", dependencies: ["Scanner", "VigilCore", "Analyzers", "ConfigScan", "ContainerImage", "VulnDB", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ReportTests", dependencies: ["Report", "VigilCore", "Scanner", "Analyzers", "ContainerImage", "VulnDB", "JSONValue", "Classification", "TestSupport"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "ClassificationTests", dependencies: ["Classification", "JSONValue", "VulnDB", "Yams", "TestSupport"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "ReportToolsTests", dependencies: ["ReportTools", "Classification", "JSONValue", "VulnDB", "TestSupport"], exclude: ["Fixtures"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "IntegrationTests", dependencies: ["SystemIO", "ImageFixtures", "ContainerImage", "Analyzers", "VulnDB", "TestSupport"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "ScanTests", dependencies: ["Scan", "Analyzers", "Scanner", "VulnDB", "ImageFixtures", "VigilCore", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "WatchTests", dependencies: ["VigilCore", "Watch", "RuleEngine"], swiftSettings: swiftSettings),
        .testTarget(name: "VigilCLITests", dependencies: ["VigilCLI", "Scan", "Scanner", "Watch", "RuleEngine", "Registry", "Classification", "VigilCore",
                                                          .product(name: "ArgumentParser", package: "swift-argument-parser")],
                    swiftSettings: swiftSettings),
        .testTarget(
            name: "ServerTests",
            dependencies: ["Server", "TestSupport", "VigilCore", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "NIOSSL", package: "swift-nio-ssl"),
                           .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
    ]
)
