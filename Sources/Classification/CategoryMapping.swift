/// Which CWE weaknesses mean which categories. The classifier walks each CWE id up the view-1000
/// hierarchy and stops, on every path, at the first id listed here; an empty list stops the walk
/// without a category (used where a branch would otherwise inherit a misleading ancestor).
/// docs/categories.md gives the reasoning for every row.
public enum CategoryMapping {
    public static let cwe: [Int: [Category]] = [
        // Bounds errors on memory buffers: writes, reads, under/overflows.
        119: [.bufferOverflow], 120: [.bufferOverflow], 121: [.bufferOverflow], 122: [.bufferOverflow],
        124: [.bufferOverflow], 125: [.bufferOverflow], 126: [.bufferOverflow], 127: [.bufferOverflow],
        131: [.bufferOverflow], 680: [.bufferOverflow], 786: [.bufferOverflow], 787: [.bufferOverflow],
        788: [.bufferOverflow], 805: [.bufferOverflow], 806: [.bufferOverflow],
        // Lifetime errors (use after free, double free, wild pointers) sit under CWE-119 in view 1000
        // but are not bounds errors; their impact comes from the text.
        824: [], 825: [],
        // Resource exhaustion and crashes.
        400: [.denialOfService], 401: [.denialOfService], 772: [.denialOfService], 834: [.denialOfService],
        476: [.denialOfService], 617: [.denialOfService], 369: [.denialOfService], 1333: [.denialOfService],
        // Privilege handling.
        250: [.privilegeEscalation], 266: [.privilegeEscalation], 269: [.privilegeEscalation],
        648: [.privilegeEscalation],
        // Channel security: an attacker on the network path.
        295: [.manInTheMiddle], 300: [.manInTheMiddle], 322: [.manInTheMiddle], 757: [.manInTheMiddle],
        924: [.manInTheMiddle], 319: [.manInTheMiddle, .informationDisclosure],
        // Running the attacker's code or commands.
        77: [.codeExecution, .injection], 94: [.codeExecution, .injection], 98: [.codeExecution],
        426: [.codeExecution], 427: [.codeExecution], 434: [.codeExecution], 470: [.codeExecution],
        502: [.codeExecution],
        // Confidentiality.
        200: [.informationDisclosure], 311: [.informationDisclosure], 312: [.informationDisclosure],
        522: [.informationDisclosure],
        // Reaching files outside the intended place.
        22: [.pathTraversal], 59: [.pathTraversal],
        // Special elements reaching a downstream interpreter (SQL, shell, HTML, headers, LDAP…).
        74: [.injection], 116: [.injection],
    ]

    /// Categories that say what an attacker achieves rather than what the mistake is; with
    /// `Classifier.TextUse.impactsAlways` the description may add these even when the CWE decided.
    public static let impacts: Set<Category> = [
        .denialOfService, .privilegeEscalation, .manInTheMiddle, .codeExecution, .informationDisclosure,
    ]
}
