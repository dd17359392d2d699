import ContainerImage

/// An analyzer that adds to an inventory: what it reads (merged into the image loader's
/// request) and what it finds. Analyzers run in ``InventoryBuilder/plugins`` order after the OS
/// and package-manager analyzers, so each sees what earlier ones found (the unmanaged-software
/// analyzer skips every file a package manager or language analyzer claimed).
public protocol InventoryAnalyzer: Sendable {
    /// A short name (`unmanaged`), for `VIGIL_SKIP_ANALYZERS`.
    var name: String { get }
    /// The files (and samples) it needs.
    var request: FileRequest { get }
    /// Adds its findings (and warnings) to `inventory`.
    func analyze(_ fs: any FileSystemView, into inventory: inout Inventory) throws
}
