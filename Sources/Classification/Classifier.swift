/// Sorts a vulnerability into categories from its CWE ids (walking the CWE hierarchy) and the words
/// of its title and description.
///
/// Weakness-type categories (buffer overflow, traversal, injection) come from the CWE when one maps;
/// the text decides them only when the CWE ids say nothing (missing, `NVD-CWE-noinfo`, or ids with
/// no mapped ancestor). Impact categories (denial of service, privilege escalation, man in the
/// middle, code execution, information disclosure) are also taken from explicit phrases in the
/// text with `.impactsAlways`, because a CWE names the mistake, not what it lets an attacker do
/// ("CWE-787 … allows remote attackers to execute arbitrary code").
public struct Classifier: Sendable {
    /// When the description's phrases count.
    public enum TextUse: Sendable {
        /// Only when the CWE ids give no category (the strict fallback).
        case whenCWEIsSilent
        /// Also add impact phrases to what the CWE gave (the default; see docs/categories.md for the measurement).
        case impactsAlways
    }

    /// The CWE parent relation (a plug-in edge; `CWEParentTable` from the database catalogue in `vigil`).
    public var hierarchy: any CWEHierarchy
    public var textUse: TextUse
    let matcher: PhraseMatcher

    public init(hierarchy: any CWEHierarchy = CWEParentTable(), textUse: TextUse = .impactsAlways) {
        self.hierarchy = hierarchy
        self.textUse = textUse
        matcher = Self.standardMatcher
    }

    /// Categories of one vulnerability, in `Category` order; `[.other]` when nothing applies.
    public func categories(cweIDs: [String], title: String?, description: String?) -> [Category] {
        classify(VulnerabilityFacts(cweIDs: cweIDs, title: title, description: description)).categories
    }

    /// Categories of one vulnerability with the evidence for each: the CWE ids first (walking the
    /// hierarchy), then the phrases of the title and description, and, only when those give
    /// nothing, the CVSS vectors' impact signals (`VectorSignals`). Weakness-type categories come from the text only when the CWE ids
    /// give none; impact categories may always be added (see `TextUse`).
    public func classify(_ facts: VulnerabilityFacts) -> CategoryDecision {
        var reasons = cweReasons(facts.cweIDs)
        let cweDecided = !reasons.isEmpty
        if !cweDecided || textUse == .impactsAlways {
            // Phrase indices per category (`Category.index`), title first; strings only for the winners.
            var title = [Int](repeating: Int.max, count: Category.allCases.count)
            var description = title
            if let t = facts.title { matcher.matchIndices(in: t, into: &title) }
            if let d = facts.description { matcher.matchIndices(in: d, into: &description) }
            for c in Category.allCases where reasons[c] == nil && (!cweDecided || CategoryMapping.impacts.contains(c)) {
                if title[c.index] != Int.max {
                    reasons[c] = "title: \"" + matcher.phraseText(title[c.index]) + "\""
                } else if description[c.index] != Int.max {
                    reasons[c] = "description: \"" + matcher.phraseText(description[c.index]) + "\""
                }
            }
        }
        // The vectors speak only when neither the CWE nor the text named anything: a vector scores
        // the worst case of a whole record, so it must not add impacts to a flaw the text already
        // describes (an out-of-bounds read scored C:H is a buffer overflow, not also a disclosure).
        if reasons.isEmpty, !facts.cvssVectors.isEmpty {
            reasons = VectorSignals.categories(facts)
        }
        if reasons.isEmpty { return CategoryDecision(categories: [.other], reasons: [.other: "no CWE, vector or phrase of another category"]) }
        return CategoryDecision(categories: reasons.keys.sorted(), reasons: reasons)
    }

    /// Categories the CWE ids give: on every path up the hierarchy, the nearest id in `CategoryMapping.cwe`.
    public func cweCategories(_ cweIDs: [String]) -> Set<Category> {
        Set(cweReasons(cweIDs).keys)
    }

    /// `cweCategories` with the reason for each: `CWE-121` when the id is mapped itself,
    /// `CWE-121 → CWE-119` when the walk reached a mapped ancestor.
    func cweReasons(_ cweIDs: [String]) -> [Category: String] {
        var found: [Category: String] = [:]
        var seen: Set<Int> = []
        // (id, the listed id the walk started from)
        var queue = cweIDs.compactMap { CWEIdentifier.number($0).map { ($0, $0) } }.reversed() as [(Int, Int)]
        while let (id, origin) = queue.popLast() {
            guard seen.insert(id).inserted, seen.count < 10_000 else { continue }
            if let mapped = CategoryMapping.cwe[id] {
                let reason = id == origin ? "CWE-\(id)" : "CWE-\(origin) → CWE-\(id)"
                for c in mapped where found[c] == nil { found[c] = reason }
                continue
            }
            for parent in hierarchy.parents(of: id).reversed() { queue.append((parent, origin)) }
        }
        return found
    }

    /// Categories the title and description phrases give.
    public func textCategories(title: String?, description: String?) -> Set<Category> {
        var found: Set<Category> = []
        if let title { found.formUnion(matcher.categories(in: title)) }
        if let description { found.formUnion(matcher.categories(in: description)) }
        return found
    }

    /// The phrase table; docs/categories.md explains the choices.
    public static let phrases: [(String, [Category])] = [
        // buffer-overflow
        ("buffer overflow*", [.bufferOverflow]), ("buffer overrun*", [.bufferOverflow]),
        ("buffer over read*", [.bufferOverflow]), ("buffer overread*", [.bufferOverflow]),
        ("buffer underflow*", [.bufferOverflow]), ("buffer underrun*", [.bufferOverflow]),
        ("buffer under read*", [.bufferOverflow]), ("heap overflow*", [.bufferOverflow]),
        ("heap based overflow*", [.bufferOverflow]), ("stack based overflow*", [.bufferOverflow]),
        ("heap over read*", [.bufferOverflow]), ("heap overread*", [.bufferOverflow]),
        ("out of bounds", [.bufferOverflow]), ("out of bound", [.bufferOverflow]),
        ("oob read*", [.bufferOverflow]), ("oob write*", [.bufferOverflow]), ("stack smashing", [.bufferOverflow]),
        ("overflow* a buffer", [.bufferOverflow]), ("overflow* the buffer", [.bufferOverflow]),
        // denial-of-service
        ("denial of service", [.denialOfService]), ("dos", [.denialOfService]), ("crash*", [.denialOfService]),
        ("infinite loop*", [.denialOfService]), ("endless loop*", [.denialOfService]),
        ("infinite recursion", [.denialOfService]), ("unbounded recursion", [.denialOfService]),
        ("uncontrolled recursion", [.denialOfService]), ("stack exhaustion", [.denialOfService]),
        ("resource exhaustion", [.denialOfService]), ("memory exhaustion", [.denialOfService]),
        ("cpu exhaustion", [.denialOfService]), ("exhaust* memory", [.denialOfService]),
        ("exhaust* ? memory", [.denialOfService]), ("exhaust* resources", [.denialOfService]),
        ("memory consumption", [.denialOfService]), ("cpu consumption", [.denialOfService]),
        ("resource consumption", [.denialOfService]), ("excessive memory", [.denialOfService]),
        ("excessive cpu", [.denialOfService]), ("memory leak*", [.denialOfService]),
        ("segmentation fault*", [.denialOfService]), ("segfault*", [.denialOfService]),
        ("null pointer dereference*", [.denialOfService]), ("null pointer deref*", [.denialOfService]),
        ("null dereference*", [.denialOfService]), ("assertion failure*", [.denialOfService]),
        ("reachable assertion*", [.denialOfService]), ("assert failure*", [.denialOfService]),
        ("divide by zero", [.denialOfService]), ("division by zero", [.denialOfService]),
        ("floating point exception*", [.denialOfService]), ("hang", [.denialOfService]),
        ("hangs", [.denialOfService]), ("unresponsive", [.denialOfService]), ("out of memory", [.denialOfService]),
        // privilege-escalation
        ("privilege escalation*", [.privilegeEscalation]), ("escalat* privilege*", [.privilegeEscalation]),
        ("escalat* ? privilege*", [.privilegeEscalation]), ("escalation of privilege*", [.privilegeEscalation]),
        ("elevation of privilege*", [.privilegeEscalation]), ("elevat* privilege*", [.privilegeEscalation]),
        ("gain* privilege*", [.privilegeEscalation]), ("gain* ? privilege*", [.privilegeEscalation]),
        ("gain* root", [.privilegeEscalation]), ("obtain* root", [.privilegeEscalation]),
        ("with elevated privilege*", [.privilegeEscalation]), ("privilege* elevation", [.privilegeEscalation]),
        ("become root", [.privilegeEscalation]), ("local root", [.privilegeEscalation]),
        // man-in-the-middle
        ("man in the middle", [.manInTheMiddle]), ("mitm", [.manInTheMiddle]),
        ("machine in the middle", [.manInTheMiddle]), ("meddler in the middle", [.manInTheMiddle]),
        ("person in the middle", [.manInTheMiddle]), ("on path attacker*", [.manInTheMiddle]),
        ("certificate validation", [.manInTheMiddle]), ("certificate verification*", [.manInTheMiddle]),
        ("verif* certificate*", [.manInTheMiddle]), ("verif* ? certificate*", [.manInTheMiddle]),
        ("verif* ? ? certificate*", [.manInTheMiddle]), ("validat* certificate*", [.manInTheMiddle]),
        ("validat* ? certificate*", [.manInTheMiddle]), ("validat* ? ? certificate*", [.manInTheMiddle]),
        ("hostname verification", [.manInTheMiddle]), ("host name verification", [.manInTheMiddle]),
        ("hostname validation", [.manInTheMiddle]), ("spoof* ssl", [.manInTheMiddle]),
        ("spoof* tls", [.manInTheMiddle]), ("spoof* server*", [.manInTheMiddle]), ("downgrade*", [.manInTheMiddle]),
        ("sniff*", [.manInTheMiddle]), ("intercept* ? traffic", [.manInTheMiddle]),
        ("intercept* ? communication*", [.manInTheMiddle]),
        // code-execution
        ("arbitrary code", [.codeExecution]), ("code execution", [.codeExecution]), ("execute code", [.codeExecution]),
        ("arbitrary command*", [.codeExecution]), ("execut* command*", [.codeExecution]),
        ("execut* ? command*", [.codeExecution]), ("command execution", [.codeExecution]),
        ("execut* arbitrary program*", [.codeExecution]), ("execut* arbitrary shell", [.codeExecution]),
        ("execut* malicious code", [.codeExecution]), ("rce", [.codeExecution]), ("remote code", [.codeExecution]),
        ("code injection", [.codeExecution, .injection]), ("command injection", [.codeExecution, .injection]),
        // information-disclosure
        ("information disclosure", [.informationDisclosure]), ("information leak*", [.informationDisclosure]),
        ("info leak*", [.informationDisclosure]), ("disclos* information", [.informationDisclosure]),
        ("disclos* ? information", [.informationDisclosure]), ("disclos* sensitive", [.informationDisclosure]),
        ("sensitive information", [.informationDisclosure]), ("sensitive data", [.informationDisclosure]),
        ("obtain* sensitive", [.informationDisclosure]), ("leak* sensitive", [.informationDisclosure]),
        ("memory disclosure", [.informationDisclosure]), ("information exposure", [.informationDisclosure]),
        ("exposure of sensitive", [.informationDisclosure]), ("expos* sensitive", [.informationDisclosure]),
        ("read arbitrary file*", [.informationDisclosure]), ("retriev* arbitrary file*", [.informationDisclosure]),
        ("obtain* arbitrary file*", [.informationDisclosure]), ("arbitrary file read*", [.informationDisclosure]),
        ("side channel*", [.informationDisclosure]), ("timing attack*", [.informationDisclosure]),
        ("key extraction", [.informationDisclosure]), ("private information", [.informationDisclosure]),
        ("personal information", [.informationDisclosure]), ("confidential information", [.informationDisclosure]),
        ("obtain* information", [.informationDisclosure]), ("obtain* ? information", [.informationDisclosure]),
        ("obtain* ? ? information", [.informationDisclosure]), ("recover* plaintext", [.informationDisclosure]),
        ("extract plaintext", [.informationDisclosure]), ("decrypt* ? ciphertext", [.informationDisclosure]),
        // path-traversal
        ("path traversal", [.pathTraversal]), ("directory traversal", [.pathTraversal]), ("dot dot", [.pathTraversal]),
        ("traversal attack*", [.pathTraversal]), ("zip slip", [.pathTraversal]), ("symlink attack*", [.pathTraversal]),
        ("symlink following", [.pathTraversal]), ("symbolic link attack*", [.pathTraversal]),
        ("link following", [.pathTraversal]), ("outside ? intended directory", [.pathTraversal]),
        ("outside of the intended", [.pathTraversal]),
        // injection
        ("inject*", [.injection]), ("cross site scripting", [.injection]), ("xss", [.injection]),
        ("response splitting", [.injection]), ("request splitting", [.injection]),
        ("shell metacharacter*", [.injection]),
    ]

    static let standardMatcher = PhraseMatcher(phrases + PhraseFamilies.all)
}
