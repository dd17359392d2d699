/// Event categories the state tracker and field extractors care about.
public enum EventKind: UInt8, Sendable {
    case other, exec, clone, exit, open, close, rename, connect, accept, socket, mkdir
}
