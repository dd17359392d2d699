/// Phrase families written from the weakness and attack-pattern taxonomies (the names and
/// descriptions of CWE entries and CAPEC patterns), not from any feed's records. Each family is an
/// action and what it acts on, so one family covers the ways advisories word the same impact:
/// "exposes the password", "leak of Proxy-Authorization headers", "dump the credentials".
/// `Classifier.phrases` holds the hand-written phrases; this table adds the families.
enum PhraseFamilies {
    /// `verb (up to two words) object` for every verb and object, as `PhraseMatcher` phrases.
    static func family(_ verbs: [String], _ objects: [String], gap: Int = 2, _ categories: [Category]) -> [(String, [Category])] {
        var out: [(String, [Category])] = []
        for verb in verbs {
            for object in objects {
                for g in 0...gap {
                    out.append((([verb] + Array(repeating: "?", count: g) + [object]).joined(separator: " "), categories))
                }
            }
        }
        return out
    }

    static let all: [(String, [Category])] = informationDisclosure + privilegeEscalation + denialOfService
        + codeExecution + injection + manInTheMiddle + pathTraversal + bufferOverflow

    /// CWE-200 "Exposure of Sensitive Information to an Unauthorized Actor" and its children (201
    /// sent data, 209 error messages, 532 log files, 538 externally accessible files, 359 private
    /// personal information, 497 system information, 522 credentials, 256/312 cleartext storage,
    /// 204/208 response and timing discrepancies: user enumeration), CAPEC-116 Excavation and
    /// CAPEC-118 Collect and Analyze Information.
    static let informationDisclosure: [(String, [Category])] =
        family(["disclos*", "expos*", "leak*", "reveal*", "steal*", "dump*", "exfiltrat*", "obtain*", "retriev*", "read*",
                "view*", "list*", "forward*", "send*", "sends", "access*", "enumerat*"],
               ["password*", "passphrase*", "credential*", "secret*", "token*", "cookie*", "session id*", "api key*",
                "private key*", "secret key*", "hash*", "header*", "authorization", "private", "personal", "user names",
                "usernames", "email address*", "memory contents", "contents of", "heap memory", "stack memory",
                "internal path*", "full path*", "installation path*", "file contents", "sensitive"],
               [.informationDisclosure])
        // Generic objects ("the data", "order details") only with verbs that say an unauthorised
        // party gets them.
        + family(["disclos*", "expos*", "leak*", "reveal*", "steal*", "dump*", "exfiltrat*", "obtain*", "retriev*",
                  "access*", "gather*", "view*"],
                 ["data", "information", "details", "arbitrary file*", "any file*", "files outside"], [.informationDisclosure])
        + [
            ("disclosure", [.informationDisclosure]), ("discloses", [.informationDisclosure]),
            ("disclose", [.informationDisclosure]), ("data exposure", [.informationDisclosure]),
            ("exposure of", [.informationDisclosure]), ("user enumeration", [.informationDisclosure]),
            ("username enumeration", [.informationDisclosure]), ("account enumeration", [.informationDisclosure]),
            ("padding oracle*", [.informationDisclosure]),
            ("unauthori* read*", [.informationDisclosure]), ("unauthori* access to ? ? data", [.informationDisclosure]),
            ("world readable", [.informationDisclosure]), ("in cleartext", [.informationDisclosure]),
            ("in plaintext", [.informationDisclosure]), ("in plain text", [.informationDisclosure]),
        ]

    /// CWE-269 improper privilege management, CWE-287 improper authentication (288 alternate path,
    /// 290 spoofing, 294 capture-replay, 306 missing authentication, 384 session fixation), CAPEC-233
    /// Privilege Escalation, CAPEC-115 Authentication Bypass, CAPEC-593 Session Hijacking,
    /// CAPEC-196 Session Credential Falsification through Forging, and ATT&CK T1611 Escape to Host.
    static let privilegeEscalation: [(String, [Category])] =
        family(["gain*", "obtain*", "get", "acquire*", "grant*", "with"],
               ["root privilege*", "root access", "root permission*", "administrator privilege*", "administrative privilege*",
                "admin privilege*", "administrator access", "administrative access", "admin access", "elevated permission*",
                "higher privilege*", "superuser", "full control"], gap: 1, [.privilegeEscalation])
        + family(["bypass*", "circumvent*", "skip*"], ["authentication"], [.privilegeEscalation])
        // CAPEC-122 Privilege Abuse: an ordinary user reaching what only administrators may use.
        + family(["access*", "reach*", "use"], ["admin panel", "administration panel", "admin interface", "administration interface",
                                               "admin* functionalit*", "administrative function*", "admin area"], gap: 3,
                 [.privilegeEscalation])
        // CWE-271 privilege dropping / lowering errors, CWE-273 improper check for dropped privileges.
        + family(["drop*", "lower*", "relinquish*"], ["privilege*"], gap: 1, [.privilegeEscalation])
        + family(["hijack*", "take over", "takeover", "forg*", "fixat*"], ["session*", "account*"], [.privilegeEscalation])
        + family(["log in as", "login as", "logged in as", "authenticate as", "authenticated as", "act as", "acting as"],
                 ["any", "another", "other", "arbitrary", "admin*", "root"], gap: 0, [.privilegeEscalation])
        + [
            ("authentication bypass*", [.privilegeEscalation]), ("session hijack*", [.privilegeEscalation]),
            ("session fixation", [.privilegeEscalation]), ("account takeover", [.privilegeEscalation]),
            ("impersonat* ? user*", [.privilegeEscalation]), ("impersonat* ? ? user*", [.privilegeEscalation]),
            ("as another user", [.privilegeEscalation]), ("as other users", [.privilegeEscalation]),
            ("as an administrator", [.privilegeEscalation]), ("as administrator", [.privilegeEscalation]),
            ("as root", [.privilegeEscalation]), ("container escape*", [.privilegeEscalation]),
            ("container breakout*", [.privilegeEscalation]), ("escape* ? container", [.privilegeEscalation]),
            ("escape* ? ? container", [.privilegeEscalation]), ("escape to ? host", [.privilegeEscalation]),
            ("escalat* permission*", [.privilegeEscalation]), ("elevat* permission*", [.privilegeEscalation]),
        ]

    /// CWE-400 uncontrolled resource consumption and its children (770 allocation without limits,
    /// 1333 inefficient regular expressions, 407 algorithmic complexity, 674 uncontrolled recursion,
    /// 776 entity expansion, 409 highly compressed data), CAPEC-130 Excessive Allocation, CAPEC-125
    /// Flooding, CAPEC-492 Regular Expression Exponential Blowup, CAPEC-197 exponential data expansion.
    static let denialOfService: [(String, [Category])] =
        family(["consum*", "exhaust*", "excessive", "unbounded", "uncontrolled", "unlimited", "large amount* of"],
               ["memory", "cpu", "resource*", "disk", "time", "allocation*", "threads", "file descriptors", "connections"],
               [.denialOfService])
        + [
            ("exhaustion", [.denialOfService]), ("flood*", [.denialOfService]), ("redos", [.denialOfService]),
            ("regular expression denial", [.denialOfService]), ("catastrophic backtracking", [.denialOfService]),
            ("exponential backtracking", [.denialOfService]), ("algorithmic complexity", [.denialOfService]),
            ("quadratic", [.denialOfService]), ("hash collision*", [.denialOfService]), ("deadlock*", [.denialOfService]),
            ("stack overflow error*", [.denialOfService]), ("stackoverflowerror", [.denialOfService]),
            ("stack overflow exception*", [.denialOfService]), ("entity expansion", [.denialOfService]),
            ("billion laughs", [.denialOfService]), ("zip bomb*", [.denialOfService]), ("decompression bomb*", [.denialOfService]),
            ("slowloris", [.denialOfService]), ("memory growth", [.denialOfService]), ("gc pause*", [.denialOfService]),
            ("panic*", [.denialOfService]), ("xee", [.denialOfService]),
            // CWE-401 missing release of memory: "the server leaks memory".
            ("leak* memory", [.denialOfService]),
        ]

    /// CWE-502 deserialization of untrusted data, CWE-134 externally controlled format string,
    /// CWE-426/427 untrusted search path, CWE-434 dangerous upload, CWE-94/95 code injection, CWE-1336
    /// template injection, CAPEC-586 Object Injection, CAPEC-67 String Format Overflow, CAPEC-38
    /// leveraging search paths, CAPEC-650 upload a web shell.
    static let codeExecution: [(String, [Category])] =
        family(["execut*", "run*", "spawn*"], ["shell", "shell command*", "system command*", "program*", "os command*"],
               gap: 1, [.codeExecution])
        + family(["deserializ*", "deserialis*", "unserializ*", "unmarshal*", "unpickl*"], ["untrusted", "arbitrary", "attacker"],
                 [.codeExecution])
        + [
            ("unsafe deserializ*", [.codeExecution]), ("insecure deserializ*", [.codeExecution]),
            ("object deserializ*", [.codeExecution]), ("object injection", [.codeExecution]), ("gadget chain*", [.codeExecution]),
            ("format string*", [.codeExecution]), ("trojan horse", [.codeExecution]), ("untrusted search path", [.codeExecution]),
            ("arbitrary shell", [.codeExecution]), ("shell execution", [.codeExecution]), ("remote command*", [.codeExecution]),
            ("web shell*", [.codeExecution]), ("webshell*", [.codeExecution]), ("sandbox escape*", [.codeExecution]),
            ("sandbox bypass*", [.codeExecution]), ("escape* ? sandbox", [.codeExecution]), ("bypass* ? sandbox", [.codeExecution]),
            ("remote file inclusion", [.codeExecution]), ("template injection", [.codeExecution, .injection]),
            ("expression language injection", [.codeExecution, .injection]), ("jndi", [.codeExecution]),
        ]

    /// CWE-74 injection and its children (CWE-93 CRLF, 113 response splitting, 611 XML external
    /// entities, 1236 CSV formula elements, 116 improper encoding or escaping), CAPEC-152 Inject
    /// Unexpected Items, CAPEC-221 XML External Entities Blowup.
    static let injection: [(String, [Category])] = [
        ("xxe", [.injection]), ("xml external entit*", [.injection]), ("external entity", [.injection]),
        ("crlf", [.injection]), ("input sanitis*", [.injection]), ("input sanitiz*", [.injection]),
        ("unsanitized", [.injection]), ("unsanitised", [.injection]), ("improper neutrali*", [.injection]),
        ("improper escaping", [.injection]), ("formula injection", [.injection]),
    ]

    /// CWE-300 channel accessible by non-endpoint, CWE-319 cleartext transmission, CWE-350 reliance
    /// on reverse DNS, CAPEC-94 Adversary in the Middle, CAPEC-142 DNS Cache Poisoning, CAPEC-220
    /// client-server protocol manipulation (downgrade).
    static let manInTheMiddle: [(String, [Category])] = [
        ("dns cache poisoning", [.manInTheMiddle]), ("dns poisoning", [.manInTheMiddle]), ("dns spoof*", [.manInTheMiddle]),
        ("spoof* dns", [.manInTheMiddle]), ("cleartext transmission", [.manInTheMiddle]),
        ("transmit* ? ? cleartext", [.manInTheMiddle]), ("unencrypted connection*", [.manInTheMiddle]),
        ("unencrypted channel*", [.manInTheMiddle]), ("ssl strip*", [.manInTheMiddle]),
        ("https to http", [.manInTheMiddle]), ("hijack* ? authentication of ? tls", [.manInTheMiddle]),
    ]

    /// CWE-22 and CWE-59 children (23 relative, 36 absolute, 61 UNIX symbolic link following),
    /// CWE-98 local file inclusion, CAPEC-126 Path Traversal, CAPEC-132 Symlink Attack.
    static let pathTraversal: [(String, [Category])] = [
        ("symlink*", [.pathTraversal]), ("symbolic link*", [.pathTraversal]), ("local file inclusion", [.pathTraversal]),
        ("absolute path traversal", [.pathTraversal]), ("relative path traversal", [.pathTraversal]),
    ]

    /// CWE-119's children by name (125 out-of-bounds read, 787 write, 788 access after end,
    /// 786 before start, 193 off-by-one into a buffer), CAPEC-100 Overflow Buffers.
    static let bufferOverflow: [(String, [Category])] = [
        ("outside ? allocated", [.bufferOverflow]), ("outside of allocated", [.bufferOverflow]),
        ("outside ? ? allocated", [.bufferOverflow]), ("beyond ? end of ? buffer", [.bufferOverflow]),
        ("past ? end of ? buffer", [.bufferOverflow]), ("overflow* ? ? buffer", [.bufferOverflow]),
        ("stack buffer", [.bufferOverflow]), ("heap buffer", [.bufferOverflow]), ("global buffer", [.bufferOverflow]),
    ]
}
