@testable import Analyzers
import ContainerImage
import Foundation
import ImageFixtures
import Testing

/// Precision: where everything is owned by a package manager, nothing is reported as unmanaged.
/// The Debian lab root filesystem is what `scripts/container-lab.sh` debootstraps
/// (`$VIGIL_LAB_DIR/rootfs`, default `/var/tmp/vigil-lab/rootfs`); the inventories are
/// ../shared/data/inventories, placed at their real paths in a root filesystem.
@Suite struct UnmanagedPrecisionTests {
    static let shared: String = {
        if let env = ProcessInfo.processInfo.environment["VIGIL_SHARED"], !env.isEmpty { return env }
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<5 { url.deleteLastPathComponent() }
        return url.path + "/shared"
    }()
    static let labRootfs = (ProcessInfo.processInfo.environment["VIGIL_LAB_DIR"] ?? "/var/tmp/vigil-lab") + "/rootfs"

    static var labAvailable: Bool {
        let ok = FileManager.default.fileExists(atPath: labRootfs + "/var/lib/dpkg/status")
        if !ok { print("skipping: no Debian lab root filesystem at \(labRootfs) (scripts/container-lab.sh builds it)") }
        return ok
    }

    static var inventoriesAvailable: Bool {
        let ok = FileManager.default.fileExists(atPath: shared + "/data/inventories")
        if !ok { print("skipping: ../shared/data/inventories not found (set VIGIL_SHARED)") }
        return ok
    }

    @Test(.enabled(if: UnmanagedPrecisionTests.labAvailable))
    func debianLabRootfsHasNothingUnmanaged() throws {
        let inventory = try InventoryBuilder.build(DirectoryFileSystem(root: Self.labRootfs, request: InventoryBuilder.request))
        #expect(inventory.packages.count > 50)
        #expect(inventory.unmanaged.map { "\($0.path) \($0.name) \($0.version)" } == [])
        #expect(inventory.warnings == [])
    }

    /// The same root filesystem with one unowned copy added: the copy is found, so the empty
    /// result above is not a classifier that finds nothing.
    @Test(.enabled(if: UnmanagedPrecisionTests.labAvailable))
    func debianLabRootfsWithAnUnownedCopy() throws {
        let scratch = ScratchDirectory()
        let root = scratch.path + "/root"
        for dir in ["var/lib/dpkg", "etc", "usr/bin", "usr/local/bin"] {
            try FileManager.default.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(atPath: Self.labRootfs + "/var/lib/dpkg/info", toPath: root + "/var/lib/dpkg/info")
        try FileManager.default.copyItem(atPath: Self.labRootfs + "/var/lib/dpkg/status", toPath: root + "/var/lib/dpkg/status")
        try FileManager.default.copyItem(atPath: Self.labRootfs + "/usr/bin/bash", toPath: root + "/usr/bin/bash")
        try FileManager.default.copyItem(atPath: Self.labRootfs + "/usr/bin/bash", toPath: root + "/usr/local/bin/bash")
        let inventory = try InventoryBuilder.build(DirectoryFileSystem(root: root, request: InventoryBuilder.request))
        #expect(inventory.unmanaged.map(\.path) == ["usr/local/bin/bash"])
    }

    @Test(.enabled(if: UnmanagedPrecisionTests.inventoriesAvailable))
    func sharedInventoriesHaveNothingUnmanaged() throws {
        let base = Self.shared + "/data/inventories"
        var checked = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: base).sorted() {
            let inventory = try InventoryBuilder.build(DirectoryFileSystem(root: base + "/" + name, request: InventoryBuilder.request))
            #expect(inventory.unmanaged.isEmpty, "\(name)")
            // Placed where the package managers keep them.
            let scratch = ScratchDirectory()
            var placed = false
            for (file, target) in [("status", "var/lib/dpkg/status"), ("installed", "lib/apk/db/installed"), ("os-release", "etc/os-release")] {
                let source = base + "/" + name + "/" + file
                guard FileManager.default.fileExists(atPath: source) else { continue }
                _ = scratch.write("root/" + target, try [UInt8](Data(contentsOf: URL(fileURLWithPath: source))))
                placed = true
            }
            if placed {
                // Some inventories are deliberately malformed package databases (test data for
                // the package analyzers): their error is theirs, not this analyzer's concern.
                guard let rooted = try? InventoryBuilder.build(DirectoryFileSystem(root: scratch.path + "/root", request: InventoryBuilder.request))
                else { continue }
                #expect(rooted.unmanaged.isEmpty && rooted.warnings.isEmpty, "\(name)")
                checked += 1
            }
        }
        #expect(checked >= 5)
    }
}
