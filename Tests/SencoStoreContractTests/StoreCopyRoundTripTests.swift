import Foundation
import SencoCore
import SencoData
import SencoPostgres
import SencoStore
import SencoTestSupport
import Testing

/// `store copy` both ways: a store written by senco, copied into PostgreSQL and back out into a
/// new directory, gives every portfolio, cohort and attachment byte for byte, and copying again
/// changes nothing. (The sample's files were written by an earlier version of the writer, so the
/// store is first made by copying the sample into a directory: senco's own bytes.)
@Suite struct StoreCopyRoundTripTests {
    @Test func directoryToPostgresToDirectoryIsByteIdentical() async throws {
        let schemas = try TestSupport.schemas()
        let npq = try TestSupport.library().framework(withID: "npq-senco-2023")
        let scratch = try TestSupport.temporaryDirectory("copy-round-trip")
        let sample = scratch.appendingPathComponent("sample")
        let source = scratch.appendingPathComponent("from")
        let back = scratch.appendingPathComponent("back")
        try FileManager.default.copyItem(at: TestSupport.sampleStore, to: sample)
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: back, withIntermediateDirectories: true)
        func directory(_ root: URL) throws -> StoreCopy.Source {
            StoreCopy.Source(
                store: OffloadedStore(DirectoryStore(root: root, schemas: schemas, summaryFramework: npq)),
                users: OffloadedUsers(try UserDirectory(root: root, schemaDirectory: schemas.directory)))
        }
        #expect(try await StoreCopy(from: try directory(sample), to: try directory(source)).run().isComplete)
        try await TestDatabase.with { backend in
            let database = StoreCopy.Source(store: backend.store(schemas: schemas, summaryFramework: npq), users: backend.users())
            let into = try await StoreCopy(from: try directory(source), to: database).run()
            #expect(into.isComplete)
            #expect(into.portfolios.copied == 14)
            let out = try await StoreCopy(from: database, to: try directory(back)).run()
            #expect(out.isComplete)
            #expect(out.portfolios.copied == 14)
            let again = try await StoreCopy(from: try directory(source), to: database).run()
            #expect(again.portfolios.copied == 0 && again.portfolios.alreadyThere == 14, "a second copy changes nothing")
        }
        for relative in try Self.documents(under: source) {
            let original = try Data(contentsOf: source.appendingPathComponent(relative))
            let copied = try Data(contentsOf: back.appendingPathComponent(relative))
            #expect(copied == original, "\(relative) is byte-identical after the round trip")
        }
        #expect(try Self.documents(under: back) == Self.documents(under: source), "the same files, none more")
    }

    /// Cohort files, portfolios and attachment blobs (not summaries, which each store makes).
    static func documents(under root: URL) throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        var found: [String] = []
        while let path = enumerator?.nextObject() as? String {
            let isDocument = path.hasSuffix("cohort.xml") || path.contains("/portfolios/") || path.hasPrefix("attachments/sha256/")
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory)
            if isDocument && !isDirectory.boolValue && !path.contains("/summaries/") { found.append(path) }
        }
        return found.sorted()
    }
}
