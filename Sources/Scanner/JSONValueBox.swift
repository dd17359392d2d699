import JSONValue

/// Carries an image config to the report layer.
public struct JSONValueBox: Sendable {
    public var value: JSON
    public init(_ value: JSON) { self.value = value }
}
