import Testing
@testable import ConfigScan

struct PredictionTests {
    @Test(arguments: [
        ("wget_1.15-1ubuntu1.14.04.5_amd64.deb", "deb", "wget", "1.15-1ubuntu1.14.04.5", "amd64"),
        ("libc6_2%3a2.19-0ubuntu6_i386.deb", "deb", "libc6", "2:2.19-0ubuntu6", "i386"),
        ("bash-4.3.tar.gz", "tarball", "bash", "4.3", nil),
        ("openssl-1.0.1f.tar.gz", "tarball", "openssl", "1.0.1f", nil),
        ("node-v18.2.0-linux-x64.tar.xz", "tarball", "node", "v18.2.0", nil),
        ("curl-7.64.0.zip", "zip", "curl", "7.64.0", nil),
        ("httpd-2.4.6-90.el7.centos.x86_64.rpm", "rpm", "httpd", "2.4.6-90.el7.centos", "x86_64"),
        ("busybox-1.36.1-r15.apk", "apk", "busybox", "1.36.1-r15", nil),
        ("requests-2.31.0-py3-none-any.whl", "wheel", "requests", "2.31.0", "any"),
    ] as [(String, String, String, String, String?)])
    func versionedFileNames(file: String, kind: String, name: String, version: String, arch: String?) throws {
        let a = try #require(BuildPredictions.parseArtefact(file))
        #expect(a.kind.rawValue == kind && a.name == name && a.version == version && a.architecture == arch)
    }

    @Test(arguments: ["app.tar.gz", "latest.deb", "requirements.txt", "1.2.3", "v2", "src.zip"])
    func namesWithoutVersions(file: String) {
        #expect(BuildPredictions.parseArtefact(file) == nil)
    }

    @Test func multiStageBaseImagesDownloadsAndArgExpansion() throws {
        let text = """
        ARG DEBIAN=8
        FROM debian:${DEBIAN} AS build
        ARG OPENSSL=1.0.1f
        RUN curl -fsSLO https://www.openssl.org/source/openssl-${OPENSSL}.tar.gz && tar xzf openssl-$OPENSSL.tar.gz
        ADD http://example.com/pkg/redis-3.0.0.tar.gz /src/
        FROM build AS mid
        FROM alpine:3.4
        COPY --from=build /usr/local /usr/local

        """
        let p = BuildPredictions(try DockerfileParser.parse(text, file: "Dockerfile"))
        #expect(p.baseImages.map(\.image) == ["debian:8", "build", "alpine:3.4"])
        #expect(p.baseImages.map(\.isStageReference) == [false, true, false])
        #expect(p.baseImages.map(\.isInFinalImage) == [false, false, true])
        #expect(p.downloads.map(\.url) == ["https://www.openssl.org/source/openssl-1.0.1f.tar.gz", "http://example.com/pkg/redis-3.0.0.tar.gz"])
        #expect(p.downloads.map(\.tool) == ["curl", "ADD"])
        #expect(p.artefacts.map(\.name) == ["openssl", "redis"])
        #expect(p.artefacts[0].lines == [4])
        #expect(p.artefacts[1].lines == [5])
    }
}
