import Foundation
import Testing

/// Traits for tests that need something the machine may not have: the test is then reported as
/// skipped with the reason, never run-and-returned as a pass.
extension Trait where Self == ConditionTrait {
    /// `../shared/<relative>` (or `$VIGIL_SHARED/<relative>`) exists.
    public static func requiresShared(_ relative: String) -> Self {
        .enabled(if: SharedData.exists(relative), "needs \(SharedData.path(relative)) (shared data absent; set VIGIL_SHARED)")
    }

    /// The shared data set is present (`data/inventories`, which every copy ships with).
    public static var requiresSharedData: Self {
        .enabled(if: SharedData.available, "needs the shared data at \(SharedData.root) (set VIGIL_SHARED)")
    }

    /// Falco's conformance vectors are present (`SharedData.falcoConformance`).
    public static var requiresFalcoConformance: Self {
        .enabled(if: SharedData.falcoConformance != nil,
                 "needs Falco's conformance vectors in \(SharedData.path("conformance/falco")) (or VIGIL_FALCO_CONFORMANCE)")
    }

    /// An executable file exists at `path` (a tool the test runs).
    public static func requiresExecutable(_ path: String, _ why: String = "") -> Self {
        .enabled(if: FileManager.default.isExecutableFile(atPath: path), "needs \(path)\(why.isEmpty ? "" : " (\(why))")")
    }

    /// The `vigil` binary is built (`SharedData.vigilBinary`).
    public static var requiresVigilBinary: Self {
        .enabled(if: SharedData.vigilBinary != nil, "needs the vigil binary (swift build)")
    }
}
