import Foundation
import SencoCore
import SencoData
import SencoTestSupport
import Testing

@testable import SencoExport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `senco verify` trusts nothing it did not write: links, FIFOs and devices are tampering, named
/// and never followed; a manifest path that could leave the pack is tampering and never opened;
/// anything unlisted, file or directory, is reported.
struct PackVerifierTests {
    let scratch: URL
    let pack: URL
    let fm = FileManager.default

    init() throws {
        scratch = try TestSupport.temporaryDirectory("verify-tamper")
        pack = scratch.appendingPathComponent("pack")
        let schemas = try TestSupport.schemas()
        let framework = try #require(try TestSupport.library().framework(withID: "npq-senco-2023"))
        let writer = ModerationPack(
            framework: framework, rules: schemas.rules, templates: try TemplateLibrary(),
            portfolioSchema: schemas.portfolio)
        _ = try writer.write(
            [ExportGoldenTests.hostilePortfolio()], to: pack, includeSensitive: false, now: ExportGoldenTests.now)
        #expect(try PackVerifier.verify(pack).isIntact)
    }

    func cleanUp() { try? fm.removeItem(at: scratch) }

    /// Replaces the manifest with one listing `files` (path → SHA-256), written as the exporter writes it.
    func rewriteManifest(_ files: [String: String]) throws {
        let manifest = try ModerationPack.manifest(
            files: files, includeSensitive: false, portfolios: [], now: ExportGoldenTests.now)
        try manifest.write(to: pack.appendingPathComponent(ModerationPack.manifestName))
    }

    func listedFiles() -> [String: String] {
        var files: [String: String] = [:]
        for name in ["p-golden/portfolio.xml", "p-golden/portfolio.html"] {
            files[name] = ModerationPack.sha256(fm.contents(atPath: pack.appendingPathComponent(name).path) ?? Data())
        }
        return files
    }

    @Test func reportsALinkToAFileOutsideThePackWithoutFollowingIt() throws {
        defer { cleanUp() }
        let outside = scratch.appendingPathComponent("outside.txt")
        try Data("secret".utf8).write(to: outside)
        try fm.createSymbolicLink(
            atPath: pack.appendingPathComponent("p-golden/notes.txt").path, withDestinationPath: outside.path)
        let report = try PackVerifier.verify(pack)
        #expect(report.tampered.map(\.description) == ["p-golden/notes.txt is a symbolic link, not a file"])
        #expect(report.added.isEmpty && report.missing.isEmpty && report.changed.isEmpty)
        #expect(!report.isIntact)
    }

    @Test func reportsALinkInPlaceOfAListedFileEvenWithTheSameContent() throws {
        defer { cleanUp() }
        let listed = pack.appendingPathComponent("p-golden/portfolio.html")
        let copy = scratch.appendingPathComponent("copy.html")
        try fm.copyItem(at: listed, to: copy)
        try fm.removeItem(at: listed)
        try fm.createSymbolicLink(atPath: listed.path, withDestinationPath: copy.path)
        let report = try PackVerifier.verify(pack)
        #expect(report.tampered.map(\.description) == ["p-golden/portfolio.html is a symbolic link, not a file"])
        #expect(report.missing.isEmpty, "reported once, as the link")
        #expect(report.checked == 1)
    }

    @Test func reportsALinkedDirectoryAndNothingBehindIt() throws {
        defer { cleanUp() }
        let folder = pack.appendingPathComponent("p-golden")
        let elsewhere = scratch.appendingPathComponent("elsewhere")
        try fm.moveItem(at: folder, to: elsewhere)
        try fm.createSymbolicLink(atPath: folder.path, withDestinationPath: elsewhere.path)
        let report = try PackVerifier.verify(pack)
        #expect(report.tampered.map(\.description) == ["p-golden is a symbolic link, not a file"])
        #expect(report.missing.isEmpty && report.checked == 0)
    }

    @Test func reportsAFIFOWithoutOpeningIt() throws {
        defer { cleanUp() }
        let listed = pack.appendingPathComponent("p-golden/portfolio.xml")
        try fm.removeItem(at: listed)
        #expect(mkfifo(listed.path, 0o600) == 0)
        #expect(mkfifo(pack.appendingPathComponent("pipe").path, 0o600) == 0)
        let report = try PackVerifier.verify(pack)  // a FIFO opened for reading would wait forever
        #expect(
            report.tampered.map(\.description) == [
                "p-golden/portfolio.xml is a FIFO, not a file", "pipe is a FIFO, not a file",
            ])
        #expect(report.missing.isEmpty)
    }

    @Test func reportsAManifestThatIsALink() throws {
        defer { cleanUp() }
        let manifest = pack.appendingPathComponent(ModerationPack.manifestName)
        let copy = scratch.appendingPathComponent("manifest.xml")
        try fm.moveItem(at: manifest, to: copy)
        try fm.createSymbolicLink(atPath: manifest.path, withDestinationPath: copy.path)
        let report = try PackVerifier.verify(pack)
        #expect(report.tampered.map(\.description) == ["manifest.xml is a symbolic link, not a file"])
    }

    @Test(arguments: [
        ("../outside.txt", "a path with a '..' component"),
        ("p-golden/../../outside.txt", "a path with a '..' component"),
        ("ABSOLUTE", "an absolute path"),
        ("p-golden//portfolio.xml", "a path with an empty component"),
        ("p-golden/./portfolio.xml", "a path with a '.' component"),
        ("", "an empty path"),
    ])
    func refusesAManifestPathThatCouldLeaveThePack(path: String, problem: String) throws {
        defer { cleanUp() }
        let outside = scratch.appendingPathComponent("outside.txt")
        try Data("secret".utf8).write(to: outside)
        let listedPath = path == "ABSOLUTE" ? outside.path : path
        var files = listedFiles()
        // The right digest: were the file read, it would count as checked and intact.
        files[listedPath] = ModerationPack.sha256(Data("secret".utf8))
        try rewriteManifest(files)
        let report = try PackVerifier.verify(pack)
        #expect(report.tampered.map(\.description) == ["manifest.xml lists \(listedPath.debugDescription), \(problem)"])
        #expect(report.checked == 2, "only the two files inside the pack are read")
        #expect(report.missing.isEmpty && report.changed.isEmpty && report.added.isEmpty)
    }

    @Test func reportsAnExtraFileAndAnExtraEmptyDirectory() throws {
        defer { cleanUp() }
        try Data("extra".utf8).write(to: pack.appendingPathComponent("p-golden/extra.txt"))
        try fm.createDirectory(at: pack.appendingPathComponent("empty"), withIntermediateDirectories: false)
        try fm.createDirectory(
            at: pack.appendingPathComponent("p-golden/also-empty"), withIntermediateDirectories: false)
        try fm.createDirectory(at: pack.appendingPathComponent("deep/er"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: pack.appendingPathComponent("deep/er/file"))
        let report = try PackVerifier.verify(pack)
        #expect(report.added == ["deep/er/file", "empty/", "p-golden/also-empty/", "p-golden/extra.txt"])
        #expect(report.tampered.isEmpty && report.missing.isEmpty && report.changed.isEmpty)
    }

    @Test func printsAFileNameWithANewlineOnOneLine() throws {
        defer { cleanUp() }
        try Data("x".utf8).write(to: pack.appendingPathComponent("two\nlines"))
        let report = try PackVerifier.verify(pack)
        #expect(report.added == ["two\nlines"])
        #expect(PackVerifier.printable(report.added[0]) == "two\\nlines")
    }
}
