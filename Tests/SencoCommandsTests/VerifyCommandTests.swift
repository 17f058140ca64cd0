import Foundation
import SencoTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `senco verify` on a tampered pack: a non-zero exit and one line per problem, naming the entry.
@Suite(.serialized)
struct VerifyCommandTests {
    let scratch: URL
    let pack: URL

    init() throws {
        scratch = try TestSupport.temporaryDirectory("cli-verify")
        let store = scratch.appendingPathComponent("store")
        try FileManager.default.copyItem(at: TestSupport.sampleStore, to: store)
        pack = scratch.appendingPathComponent("pack")
        let export = try SencoBinary.run(["export", "pack", "p-25a-01", "--store", store.path, "--out", pack.path])
        #expect(export.status == 0, "\(export.stderr)")
    }

    @Test func namesEveryKindOfTamperingOnALineOfItsOwn() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        #expect(try SencoBinary.run(["verify", pack.path]).status == 0)

        let fm = FileManager.default
        try fm.createSymbolicLink(
            atPath: pack.appendingPathComponent("p-25a-01/passwd").path, withDestinationPath: "/etc/passwd")
        #expect(mkfifo(pack.appendingPathComponent("fifo").path, 0o600) == 0)
        try fm.createDirectory(at: pack.appendingPathComponent("extra"), withIntermediateDirectories: false)
        try Data("x".utf8).write(to: pack.appendingPathComponent("p-25a-01/extra.txt"))
        // A manifest naming a file outside the pack, as the exporter would write it but for the path.
        let manifestURL = pack.appendingPathComponent("manifest.xml")
        var manifest = try String(contentsOf: manifestURL, encoding: .utf8)
        manifest = manifest.replacingOccurrences(
            of: "path=\"p-25a-01/portfolio.xml\"", with: "path=\"../store/users.xml\"")
        try manifest.write(to: manifestURL, atomically: true, encoding: .utf8)

        let result = try SencoBinary.run(["verify", pack.path])
        #expect(result.status != 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "tampered: manifest.xml lists \"../store/users.xml\", a path with a '..' component",
                "tampered: fifo is a FIFO, not a file",
                "tampered: p-25a-01/passwd is a symbolic link, not a file",
                "added: extra/",
                "added: p-25a-01/extra.txt",
                "added: p-25a-01/portfolio.xml",
                "Pack NOT intact: 6 problems.",
            ], "\(result.stdout)")
        #expect(!result.stdout.contains("root:"), "nothing behind the link is read")
    }
}
