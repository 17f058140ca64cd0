import Foundation
import SencoCore
import SencoData
import SencoTestSupport
import Testing

@testable import SencoExport

/// A pack streamed as a ZIP: participants in id order whatever order their files are made in,
/// at most `window` made at once, a damaged one left out, the manifest last; and `senco
/// verify`'s archive check, which reads entries in place and treats unsafe names as tampering.
struct PackArchiveTests {
    let pack: ModerationPack
    let portfolios: [Portfolio]

    init() throws {
        let schemas = try TestSupport.schemas()
        let framework = try #require(try TestSupport.library().framework(withID: "npq-senco-2023"))
        pack = ModerationPack(
            framework: framework, rules: schemas.rules, templates: try TemplateLibrary(),
            portfolioSchema: schemas.portfolio)
        var generator = TestSupport.SeededGenerator(seed: 13)
        let statements = framework.statements.map(\.id)
        portfolios = (1...7).map { n in
            TestSupport.generatedPortfolio(
                id: "p-\(n)", items: 3, statementIDs: statements, generator: &generator)
        }
    }

    /// Streams the pack of `portfolios` (less `damaged`) into `url`; `make` finishes in reverse
    /// order of id, to show the order written does not depend on it.
    func stream(
        to url: URL, damaged: Set<String> = [], window: Int = 3, zip64Threshold: UInt64 = ZipWriter.zip64Limit,
        inFlight: InFlight? = nil
    ) async throws -> PackArchive.Result {
        let archive = PackArchive(
            folder: "pack-test", includeSensitive: false, now: ExportGoldenTests.now, window: window,
            zip64Threshold: zip64Threshold)
        let byID = Dictionary(uniqueKeysWithValues: portfolios.map { ($0.id, $0) })
        let pack = self.pack
        var out = Data()
        let result = try await archive.write(
            participants: portfolios.map(\.id).reversed() + ["p-1"],
            make: { id in
                inFlight?.change(by: 1)
                defer { inFlight?.change(by: -1) }
                try await Task.sleep(for: .milliseconds(10 * (8 - Int(id.dropFirst(2))!)))
                guard !damaged.contains(id), let portfolio = byID[id] else { return nil }
                return try pack.files(for: portfolio, includeSensitive: false, now: ExportGoldenTests.now)
            },
            to: { out += $0 })
        try out.write(to: url)
        #expect(result.bytes == UInt64(out.count))
        return result
    }

    @Test(arguments: [ZipWriter.zip64Limit, 0])
    func streamsEveryParticipantInOrderWithTheManifestLast(zip64Threshold: UInt64) async throws {
        let scratch = try TestSupport.temporaryDirectory("pack-archive")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let url = scratch.appendingPathComponent("pack.zip")
        let inFlight = InFlight()
        let result = try await stream(
            to: url, damaged: ["p-4"], window: 3, zip64Threshold: zip64Threshold, inFlight: inFlight)
        #expect(inFlight.most <= 3, "never more than the window in flight")
        #expect(result.portfolios == ["p-1", "p-2", "p-3", "p-5", "p-6", "p-7"], "the damaged one left out")

        let names = try ZipReader(url).entries.map(\.name)
        let expected =
            result.portfolios.flatMap { ["pack-test/\($0)/portfolio.xml", "pack-test/\($0)/portfolio.html"] }
            + ["pack-test/manifest.xml"]
        #expect(names == expected)

        let report = try PackVerifier.verify(url)
        #expect(report.isIntact, "\(report)")
        #expect(report.checked == 12)
        #expect(report.sensitiveEvidence == "redacted")
        #expect(report.manifestDigest == result.manifestDigest)
        #expect(try ZipTools.unzipTest(url).status == 0)
        #expect(try ZipTools.pythonListing(url).outcome.status == 0)
    }

    /// The same files, and the same manifest, as the directory pack of the same portfolios.
    @Test func holdsWhatTheDirectoryPackHolds() async throws {
        let scratch = try TestSupport.temporaryDirectory("pack-archive-same")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let url = scratch.appendingPathComponent("pack.zip")
        let result = try await stream(to: url)
        let directory = scratch.appendingPathComponent("pack")
        let written = try pack.write(portfolios, to: directory, includeSensitive: false, now: ExportGoldenTests.now)
        #expect(result.files == written.files)
        #expect(result.manifestDigest == written.manifestDigest)
        let python = try ZipTools.pythonListing(url)
        #expect(python.entries.last?.name == "pack-test/manifest.xml")
        #expect(python.entries.last?.sha256 == written.manifestDigest)
    }

    /// Builds an archive by hand from `entries` (name → contents) plus a manifest listing
    /// `listed`, for the tampering cases.
    func archive(_ entries: [(String, Data)], listing listed: [String: Data], at url: URL) throws {
        var zip = ZipWriter(modified: ExportGoldenTests.now)
        var out = Data()
        let manifest = try ModerationPack.manifest(
            files: listed.mapValues { ModerationPack.sha256($0) }, includeSensitive: false, portfolios: [],
            now: ExportGoldenTests.now)
        for (name, data) in entries + [("pack-x/manifest.xml", manifest)] {
            out += try zip.header(name: name, for: data) + data
        }
        out += try zip.finish()
        try out.write(to: url)
    }

    @Test func reportsUnsafeDuplicateChangedAddedAndMissingEntries() throws {
        let scratch = try TestSupport.temporaryDirectory("pack-archive-tamper")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let url = scratch.appendingPathComponent("pack.zip")
        let good = Data("good".utf8)
        try archive(
            [
                ("pack-x/p-1/portfolio.xml", good),
                ("pack-x/p-1/portfolio.html", Data("changed".utf8)),
                ("pack-x/../../etc/cron.d/evil", good),
                ("pack-x/p-1/a\\b", good),
                ("pack-x/extra.txt", good),
                ("pack-x/folder/", Data()),
            ],
            listing: ["p-1/portfolio.xml": good, "p-1/portfolio.html": good, "p-2/portfolio.xml": good], at: url)
        let report = try PackVerifier.verify(url)
        #expect(!report.isIntact)
        #expect(
            report.tampered.map(\.description) == [
                "pack-x/../../etc/cron.d/evil is an archive entry with a path with a '..' component",
                "pack-x/p-1/a\\b is an archive entry with a backslash in its name (a Windows path separator)",
            ])
        #expect(report.changed == ["p-1/portfolio.html"])
        #expect(report.added == ["extra.txt", "folder/"])
        #expect(report.missing == ["p-2/portfolio.xml"])
        #expect(report.checked == 2)
    }

    @Test func reportsAnAbsoluteNameAndANameGivenTwice() throws {
        let scratch = try TestSupport.temporaryDirectory("pack-archive-twice")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let url = scratch.appendingPathComponent("pack.zip")
        let good = Data("good".utf8)
        // ZipWriter refuses a name twice, so the second copy is spliced in by renaming a third entry.
        try archive(
            [("pack-x/p-1/portfolio.xml", good), ("pack-x/p-1/portfolio.xmM", good), ("/etc/passwd", good)],
            listing: ["p-1/portfolio.xml": good], at: url)
        var bytes = try Data(contentsOf: url)
        let from = Data("pack-x/p-1/portfolio.xmM".utf8)
        let to = Data("pack-x/p-1/portfolio.xml".utf8)
        while let range = bytes.range(of: from) { bytes.replaceSubrange(range, with: to) }
        try bytes.write(to: url)
        let report = try PackVerifier.verify(url)
        #expect(
            report.tampered.map(\.description) == [
                "pack-x/p-1/portfolio.xml appears more than once in the archive",
                "/etc/passwd is an archive entry with an absolute path",
            ])
        #expect(report.missing.isEmpty, "the duplicated file is reported once, as tampering")
    }
}

/// How many `make` calls are running, and the most there have been at once.
final class InFlight: @unchecked Sendable {
    private let lock = NSLock()
    private var now = 0
    private var highest = 0

    func change(by delta: Int) {
        lock.withLock {
            now += delta
            highest = max(highest, now)
        }
    }

    var most: Int { lock.withLock { highest } }
}
