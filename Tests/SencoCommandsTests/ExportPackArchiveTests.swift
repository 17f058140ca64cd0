import Foundation
import SencoTestSupport
import Testing

/// `senco export pack --cohort C --out pack-C.zip`: the same archive the web app streams,
/// written through a temporary file, never over an existing one; `senco verify` checks it in place.
@Suite(.serialized)
struct ExportPackArchiveTests {
    let scratch: URL
    let store: URL

    init() throws {
        scratch = try TestSupport.temporaryDirectory("cli-pack-zip")
        store = scratch.appendingPathComponent("store")
        try FileManager.default.copyItem(at: TestSupport.sampleStore, to: store)
    }

    func portfolioCount(_ cohort: String) throws -> Int {
        try FileManager.default.contentsOfDirectory(
            atPath: store.appendingPathComponent("cohorts/\(cohort)/portfolios").path
        ).filter { $0.hasSuffix(".xml") }.count
    }

    @Test func writesTheCohortAsAnArchiveThatVerifies() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let zip = scratch.appendingPathComponent("pack-2025-autumn.zip")
        let export = try SencoBinary.run([
            "export", "pack", "--cohort", "2025-autumn", "--store", store.path, "--out", zip.path,
        ])
        #expect(export.status == 0, "\(export.stderr)")
        let count = try portfolioCount("2025-autumn")
        #expect(export.stdout.contains("Wrote \(count) portfolios (\(2 * count) files, a "), "\(export.stdout)")
        #expect(try ZipTools.unzipTest(zip).status == 0)
        let python = try ZipTools.pythonListing(zip)
        #expect(python.outcome.status == 0)
        #expect(python.entries.count == 2 * count + 1)
        #expect(python.entries.allSatisfy { $0.name.hasPrefix("pack-2025-autumn/") })
        #expect(python.entries.last?.name == "pack-2025-autumn/manifest.xml")

        let verify = try SencoBinary.run(["verify", zip.path])
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(
            verify.stdout.contains("Pack intact: \(2 * count) files match the manifest (sensitive evidence redacted)."))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == [
                "pack-2025-autumn.zip", "store",
            ],
            "no temporary file left beside it")
    }

    @Test func refusesAnExistingFileAndLeavesItAsItWas() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let zip = scratch.appendingPathComponent("pack.zip")
        try Data("mine".utf8).write(to: zip)
        let export = try SencoBinary.run([
            "export", "pack", "--cohort", "2025-autumn", "--store", store.path, "--out", zip.path,
        ])
        #expect(export.status != 0)
        #expect(export.stderr.contains("already exists"), "\(export.stderr)")
        #expect(try Data(contentsOf: zip) == Data("mine".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == ["pack.zip", "store"])
        let unknown = try SencoBinary.run([
            "export", "pack", "--cohort", "no-such", "--store", store.path, "--out",
            scratch.appendingPathComponent("x.zip").path,
        ])
        #expect(unknown.status != 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == ["pack.zip", "store"])
    }

    @Test func verifyNamesAChangedEntryInTheArchive() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let zip = scratch.appendingPathComponent("pack.zip")
        let export = try SencoBinary.run(["export", "pack", "p-25a-01", "--store", store.path, "--out", zip.path])
        #expect(export.status == 0, "\(export.stderr)")
        // Change one byte of the HTML page, keeping its length: the manifest's SHA-256 catches it.
        var bytes = try Data(contentsOf: zip)
        let marker = try #require(bytes.range(of: Data("<html".utf8)))
        bytes[marker.lowerBound + 1] = UInt8(ascii: "H")
        try bytes.write(to: zip)
        let verify = try SencoBinary.run(["verify", zip.path])
        #expect(verify.status != 0)
        let lines = verify.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "tampered: p-25a-01/portfolio.html does not match its CRC-32 in the archive",
                "changed: p-25a-01/portfolio.html",
                "Pack NOT intact: 2 problems.",
            ], "\(verify.stdout)")
    }
}
