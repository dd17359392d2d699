/// What kind of flaw a vulnerability is, for analysts' split lists (`vigil report split --by category`).
///
/// The order of the cases is the order reports list them in; `other` is last and only given
/// when nothing else applies.
public enum Category: String, CaseIterable, Sendable, Comparable, CustomStringConvertible {
    case bufferOverflow = "buffer-overflow"
    case denialOfService = "denial-of-service"
    case privilegeEscalation = "privilege-escalation"
    case manInTheMiddle = "man-in-the-middle"
    case codeExecution = "code-execution"
    case informationDisclosure = "information-disclosure"
    case pathTraversal = "path-traversal"
    case injection
    case other

    /// The name used in file names: `bo`, `dos`, `pe`, `mitm`, `rce`, `info`, `traversal`, `injection`, `other`.
    public var shortName: String {
        switch self {
        case .bufferOverflow: "bo"
        case .denialOfService: "dos"
        case .privilegeEscalation: "pe"
        case .manInTheMiddle: "mitm"
        case .codeExecution: "rce"
        case .informationDisclosure: "info"
        case .pathTraversal: "traversal"
        case .injection: "injection"
        case .other: "other"
        }
    }

    public var description: String { rawValue }

    /// Position in `allCases` (0…8), for per-category arrays on the classifier's hot path.
    @inline(__always) public var index: Int {
        switch self {
        case .bufferOverflow: 0
        case .denialOfService: 1
        case .privilegeEscalation: 2
        case .manInTheMiddle: 3
        case .codeExecution: 4
        case .informationDisclosure: 5
        case .pathTraversal: 6
        case .injection: 7
        case .other: 8
        }
    }

    /// Parses a full name (`buffer-overflow`) or a short name (`bo`), case-insensitively.
    public init?(name: String) {
        let n = name.lowercased()
        guard let c = Category.allCases.first(where: { $0.rawValue == n || $0.shortName == n }) else { return nil }
        self = c
    }

    public static func < (a: Category, b: Category) -> Bool {
        a.index < b.index
    }
}
