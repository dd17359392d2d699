import ContainerImage
import Testing
import VigilCore

/// Codes are what scripts key on: they must not change when a message is reworded.
@Suite struct ContainerImageErrorCodeTests {
    @Test(arguments: [
        (ContainerImageFailure.pathTraversal, "image.path-traversal"), (.notFound, "image.not-found"),
        (.decompressionBomb, "image.decompression-bomb"), (.malformedManifest, "image.malformed-manifest"), (.io, "image.io"),
    ])
    func codesAreStable(reason: ContainerImageFailure, code: String) {
        #expect(ContainerImageError(reason, "m").code == code)
    }

    @Test func aMissingArchiveKeepsItsWording() {
        let error = #expect(throws: ContainerImageError.self) { try FileSource(path: "/nonexistent/image.tar") }
        #expect(error?.code == "image.not-found")
        #expect(error?.description == "/nonexistent/image.tar: No such file or directory")
        #expect(error?.exitCode == 1)
    }
}
