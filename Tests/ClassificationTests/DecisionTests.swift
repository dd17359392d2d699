import Classification
import Testing

/// Reasons, CVSS vector signals and the taxonomy phrase families.
@Suite struct DecisionTests {
    @Test func reasonsNameTheCWEItsAncestorThePhraseAndTheVector() throws {
        let c = Classifier(hierarchy: try Fixture.hierarchy())
        let d = c.classify(VulnerabilityFacts(cweIDs: ["CWE-122"], description: "allows remote attackers to execute arbitrary code"))
        #expect(d.categories == [.bufferOverflow, .codeExecution])
        #expect(d.reasons[.bufferOverflow] == "CWE-122")
        #expect(d.reasons[.codeExecution] == "description: \"arbitrary code\"")
        let walked = c.classify(VulnerabilityFacts(cweIDs: ["CWE-79"]))
        #expect(walked.reasons[.injection] == "CWE-79 → CWE-74")
        let vector = c.classify(VulnerabilityFacts(description: "the parser mishandles a length field",
                                                   cvssVectors: ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"]))
        #expect(vector.categories == [.denialOfService])
        #expect(vector.reasons[.denialOfService] == "CVSS v3 C:N/I:N/A:H")
        #expect(vector.orderedReasons.map(\.0) == ["denial-of-service"])
        let nothing = c.classify(VulnerabilityFacts(description: "the change handler"))
        #expect(nothing.categories == [.other])
        #expect(nothing.reasons[.other] != nil)
    }

    /// A vector scores a whole record's worst case: it must not add impacts to a flaw the CWE or
    /// the text already describes.
    @Test func vectorsSpeakOnlyWhenNothingElseDoes() {
        let c = Classifier()
        let oob = c.classify(VulnerabilityFacts(cweIDs: ["CWE-125"], description: "an out-of-bounds read in the decoder",
                                                cvssVectors: ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"]))
        #expect(oob.categories == [.bufferOverflow])
    }

    @Test(arguments: [
        ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", [Category.privilegeEscalation]),
        ("CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:N/I:H/A:N", [.privilegeEscalation]),
        ("AV:L/AC:L/Au:N/C:C/I:C/A:C", [.privilegeEscalation]),
        ("CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", [.other]),   // a user opening a file: not an escalation
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", [.informationDisclosure]),
        ("AV:N/AC:L/Au:N/C:P/I:N/A:N", [.informationDisclosure]),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N", [.informationDisclosure]),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", [.other]),    // low availability impact is not a denial of service
        ("AV:N/AC:L/Au:N/C:N/I:N/A:C", [.denialOfService]),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", [.other]),
        ("garbage", [.other]), ("CVSS:9.9/AV:N", [.other]), ("", [.other]),
    ])
    func vectorSignal(vector: String, expected: [Category]) {
        let d = Classifier().classify(VulnerabilityFacts(description: "a flaw in the handler", cvssVectors: [vector]))
        #expect(d.categories == expected)
    }

    @Test func manInTheMiddleFromTheVectorNeedsASecureChannelFlaw() {
        let vector = "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N"
        let tls = Classifier().classify(VulnerabilityFacts(description: "the TLS client mishandles the peer's handshake state", cvssVectors: [vector]))
        #expect(tls.categories == [.manInTheMiddle])
        let other = Classifier().classify(VulnerabilityFacts(description: "the parser mishandles a length field", cvssVectors: [vector]))
        #expect(other.categories == [.other])
    }

    @Test func cvssVectorReadsEveryVersion() throws {
        let v3 = try #require(CVSSVector("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N"))
        #expect(v3.version == 3 && v3.attackVector == "L" && v3.confidentiality == .high && v3.integrity == .none)
        let v2 = try #require(CVSSVector(" AV:N/AC:M/Au:N/C:P/I:P/A:C "))
        #expect(v2.version == 2 && v2.confidentiality == .low && v2.availability == .high)
        let v4 = try #require(CVSSVector("CVSS:4.0/AV:A/AC:L/AT:P/PR:N/UI:N/VC:L/VI:H/VA:N/SC:N/SI:N/SA:N"))
        #expect(v4.version == 4 && v4.integrity == .high && v4.confidentiality == .low)
        #expect(CVSSVector("CVSS:3.1/AV") == nil)
        #expect(CVSSVector(String(repeating: "AV:N/", count: 100)) == nil)
    }

    /// Phrase families from CWE/CAPEC names: written as advisories word them, none taken from a feed record.
    @Test(arguments: [
        ("Bash allows local users to execute arbitrary commands with root privileges via crafted SHELLOPTS", [Category.privilegeEscalation, .codeExecution]),
        ("an authentication bypass lets remote attackers log in as any user", [.privilegeEscalation]),
        ("the session can be hijacked by a cookie", [.other]),
        ("attackers can hijack the session of another user", [.privilegeEscalation]),
        ("the API exposes the password hashes of all accounts", [.informationDisclosure]),
        ("the server leaks memory on every request", [.denialOfService]),
        ("deserialization of untrusted data in the session store", [.codeExecution]),
        ("a format string vulnerability in the logger", [.codeExecution]),
        ("a crafted regular expression causes catastrophic backtracking", [.denialOfService]),
        ("XXE in the XML importer", [.injection]),
        ("Debian: missing input sanitising", [.injection]),
        ("a symlink in the archive lets files be written anywhere", [.pathTraversal]),
        ("glibc - DNS cache poisoning", [.manInTheMiddle]),
        ("the worker process does not drop privileges before parsing", [.privilegeEscalation]),
    ])
    func taxonomyPhrases(text: String, expected: [Category]) {
        #expect(Classifier().classify(VulnerabilityFacts(description: text)).categories == expected.sorted())
    }
}
