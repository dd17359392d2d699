/// Impact categories read from CVSS base vectors, for records whose CWE and text do not say what
/// an attacker achieves. Each rule reads only what the vector states about impact and position,
/// so it adds a category the vector's author already decided:
///
/// - `privilege-escalation`: a local attacker who already holds some access (v3/v4 `AV:L`,
///   `PR:L`, no user interaction) gains high confidentiality and integrity impact, or any attacker
///   with privileges changes scope with high integrity impact (`S:C`, breaking out of the component
///   that granted them); v2 `AV:L/Au:N` with complete confidentiality, integrity and availability.
/// - `information-disclosure`: confidentiality is the only impact (`C:L|H/I:N/A:N`, v2 `C:P|C/I:N/A:N`).
/// - `denial-of-service`: availability is the only impact, and it is high (`C:N/I:N/A:H`, v2 `A:C`).
/// - `man-in-the-middle`: an adjacent attacker, or a network attacker under conditions beyond their
///   control (`AC:H`, v4 `AT:P`), with confidentiality or integrity impact, on a flaw whose text is
///   about the secure channel (TLS/SSL, certificates, handshakes, encryption, sessions).
public enum VectorSignals {
    /// The categories the record's vectors give, each with the vector elements that decided it.
    public static func categories(_ facts: VulnerabilityFacts) -> [Category: String] {
        var found: [Category: String] = [:]
        var channelText: Bool?
        for raw in facts.cvssVectors {
            guard let v = CVSSVector(raw) else { continue }
            let c = v.confidentiality, i = v.integrity, a = v.availability
            let prefix = v.version == 2 ? "CVSS v2 " : "CVSS v\(v.version) "
            if found[.privilegeEscalation] == nil {
                if v.version == 2 {
                    if v.attackVector == "L", v["Au"] == "N", c == .high, i == .high, a == .high {
                        found[.privilegeEscalation] = prefix + v.elements(["AV", "Au", "C", "I", "A"])
                    }
                } else if v.attackVector == "L", v["PR"] == "L", v["UI"] == "N", c == .high, i == .high {
                    found[.privilegeEscalation] = prefix + v.elements(["AV", "PR", "UI", "C", "I"])
                } else if v["S"] == "C", v["PR"] == "L" || v["PR"] == "H", i == .high {
                    found[.privilegeEscalation] = prefix + v.elements(["PR", "S", "I"])
                }
            }
            if found[.informationDisclosure] == nil, c != .none, i == .none, a == .none {
                found[.informationDisclosure] = prefix + v.elements(v.version == 4 ? ["VC", "VI", "VA"] : ["C", "I", "A"])
            }
            if found[.denialOfService] == nil, c == .none, i == .none, a == .high {
                found[.denialOfService] = prefix + v.elements(v.version == 4 ? ["VC", "VI", "VA"] : ["C", "I", "A"])
            }
            if found[.manInTheMiddle] == nil, c != .none || i != .none,
               v.attackVector == "A" || (v.attackVector == "N" && (v["AC"] == "H" || v["AT"] == "P")) {
                if channelText == nil {
                    channelText = [facts.title, facts.description].contains { $0.map { !channelWords.categories(in: $0).isEmpty } ?? false }
                }
                if channelText == true {
                    found[.manInTheMiddle] = prefix + v.elements(["AV", "AC", "AT"]) + " on a secure-channel flaw"
                }
            }
        }
        return found
    }

    /// Words that put a flaw on the secure channel (CWE-300/CAPEC-94 adversary-in-the-middle
    /// vocabulary: the protocol, its certificates, handshake and keys).
    static let channelWords = PhraseMatcher([
        "tls", "ssl", "dtls", "https", "certificate*", "handshake*", "cipher*", "encrypt*", "x509",
        "starttls", "hsts", "renegotiat*", "session key*", "ssh",
    ].map { ($0, [Category.manInTheMiddle]) })
}
