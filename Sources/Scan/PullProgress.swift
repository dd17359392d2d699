/// Where a registry pull reports its progress (a terminal line in `vigil image`).
public protocol PullProgress: Sendable {
    /// Bytes `done` of layer `layer` (0-based) of `count`; `total` when the registry said it.
    func update(layer: Int, of count: Int, done: Int, total: Int?)
    /// The pull ended, successfully or not.
    func finish()
}
