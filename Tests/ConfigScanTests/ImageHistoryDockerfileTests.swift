import JSONValue
import Testing
@testable import ConfigScan

/// The Dockerfile rebuilt from an image config (`vigil image --scanners misconfig`).
struct ImageHistoryDockerfileTests {
    static func config(_ history: [(String, Bool)], user: String? = nil, healthcheck: [String]? = nil) -> JSON {
        var cfg: [(String, JSON)] = [("Cmd", .array([.string("/bin/sh")]))]
        if let user { cfg.append(("User", .string(user))) }
        if let healthcheck { cfg.append(("Healthcheck", .object([("Test", .array(healthcheck.map(JSON.string)))]))) }
        return .object([
            ("config", .object(cfg)),
            ("history", .array(history.map { .object([("created_by", .string($0.0)), ("empty_layer", .bool($0.1))]) })),
        ])
    }

    @Test func classicAndBuildKitHistory() {
        let rebuilt = ImageHistoryDockerfile(config: Self.config([
            ("/bin/sh -c #(nop) ADD file:abc in / ", false),
            ("/bin/sh -c #(nop)  CMD [\"bash\"]", true),                      // end of the base image
            ("/bin/sh -c #(nop)  ENV A=1", true),
            ("|2 V=1 W=2 /bin/sh -c apt-get update && apt-get install -y curl", false),
            ("RUN /bin/sh -c set -e\ncd /tmp\nmake # buildkit", false),
            ("COPY dir:0123 in /app ", false),
            ("EXPOSE map[22/tcp:{} 80/tcp:{}]", true),
            ("/bin/sh -c #(nop)  VOLUME [/data]", true),
            ("WORKDIR /app", false),
            ("CMD [\"nginx\" \"-g\" \"daemon off;\"]", true),
        ], user: "app", healthcheck: ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]))
        #expect(rebuilt.text == """
            FROM scratch
            ENV A=1
            RUN apt-get update && apt-get install -y curl
            RUN <<VIGIL_EOF
            set -e
            cd /tmp
            make
            VIGIL_EOF
            COPY dir:0123 /app
            EXPOSE 22/tcp 80/tcp
            VOLUME /data
            WORKDIR /app
            CMD ["nginx", "-g", "daemon off;"]
            USER app
            HEALTHCHECK CMD curl -f http://localhost/ || exit 1

            """)
    }

    @Test func checksRunOnTheRebuiltDockerfile() throws {
        let (result, skipped) = ConfigScanner.scan(imageConfig: Self.config([
            ("/bin/sh -c #(nop)  CMD [\"sh\"]", true),
            ("/bin/sh -c #(nop)  ENV API_TOKEN=abc", true),
            ("/bin/sh -c sudo apk add curl", false),
            ("/bin/sh -c #(nop)  EXPOSE 22", true),
        ]), target: "img")
        #expect(skipped.isEmpty)
        let ids = Set(try #require(result).failures.map(\.rule.id))
        #expect(ids.isSuperset(of: ["DS002", "DS004", "DS010", "DS026", "VGL-DF-009"]))
        #expect(!ids.contains("DS016"), "the base image's CMD was left out")
        // With a user and a healthcheck in the config, those two pass.
        let (ok, _) = ConfigScanner.scan(imageConfig: Self.config([("/bin/sh -c #(nop)  CMD [\"sh\"]", true), ("/bin/sh -c true", false)],
                                                                   user: "1000", healthcheck: ["CMD", "/bin/check"]), target: "img")
        let okIDs = Set(try #require(ok).failures.map(\.rule.id))
        #expect(!okIDs.contains("DS002") && !okIDs.contains("DS026"))
    }

    @Test func unparsableEntriesAreSkippedNotFatal() throws {
        let (result, skipped) = ConfigScanner.scan(imageConfig: Self.config([
            ("/bin/sh -c echo 'unterminated", false),
            ("/bin/sh -c #(nop)  USER root", true),
            ("/bin/sh -c #(nop)  ENV X=\"open", true),
        ]), target: "img")
        #expect(skipped.count == 2, "\(skipped)")
        #expect(skipped.allSatisfy { $0.hasPrefix("img:") })
        #expect(try #require(result).failures.contains { $0.rule.id == "DS002" && $0.startLine == 3 })
    }

    @Test func goListConversion() {
        #expect(ImageHistoryDockerfile.goListToJSON("[\"a\" \"b c\"]") == "[\"a\", \"b c\"]")
        #expect(ImageHistoryDockerfile.goListToJSON("[\"a\", \"b\"]") == "[\"a\", \"b\"]")
        #expect(ImageHistoryDockerfile.goListToJSON("[/bin/sh]") == "[/bin/sh]")
        #expect(ImageHistoryDockerfile.baseImageIndex([("a", false), ("/bin/sh -c #(nop)  CMD [\"sh\"]", true), ("b", false), ("CMD x", true)]) == 1)
        #expect(ImageHistoryDockerfile.baseImageIndex([("a", false), ("b", false)]) == -1)
    }
}
