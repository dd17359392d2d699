import JSONValue

/// JSON string escaping for hand-assembled responses (the same emitter the CLI prints with).
enum JSONText {
    static let emitter = JSONEmitter(style: JSONStyle(indent: 0, escaping: .go(escapeHTML: false)))

    static func string(_ s: String, _ out: inout [UInt8]) { emitter.string(s, &out) }
}
