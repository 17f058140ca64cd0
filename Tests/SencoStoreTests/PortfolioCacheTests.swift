import Foundation
import SencoCore
import SencoData
import SencoTestSupport
import Testing

@testable import SencoStore

/// Portfolios read again are served from memory only while the stored version is the one they
/// were read from: a write by another process, a file copied over in place, or a file moved to
/// another cohort is read again.
@Suite struct PortfolioCacheTests {
    let root: URL
    let schemas: PortfolioSchemas
    let store: DirectoryStore

    init() throws {
        root = try TestSupport.temporaryDirectory("portfolio-cache")
        schemas = try TestSupport.schemas()
        store = DirectoryStore(
            root: root, schemas: schemas,
            cohortSnapshots: CohortSnapshots(racyWindow: 50_000_000, maximumAge: 300_000_000))
        try store.createCohort(TestSupport.cohort())
        try store.createCohort(TestSupport.cohort("other-cohort"))
        try store.create(
            Portfolio(
                participant: TestSupport.participant("p-one"), frameworks: ["npq-senco-2023"],
                stateSince: Date().wholeSeconds))
    }

    var file: URL { root.appendingPathComponent("cohorts/test-cohort/portfolios/p-one.xml") }

    /// Long enough for the file's time to fall outside the racy window.
    func settle() { usleep(120_000) }

    @Test func aPortfolioJustWrittenIsNotKept() throws {
        _ = try store.portfolio("p-one")
        #expect(store.portfolioCache.count == 0, "changed in place within the same clock tick, it could look the same")
        settle()
        _ = try store.portfolio("p-one")
        #expect(store.portfolioCache.count == 1)
    }

    @Test func aPortfolioReadAgainIsKeptAndAWriteElsewhereIsSeen() throws {
        settle()
        let first = try store.portfolio("p-one")
        #expect(store.portfolioCache.count == 1)
        #expect(try store.portfolio("p-one") == first)
        let other = DirectoryStore(root: root, schemas: schemas)
        try other.update("p-one", expectedRevision: 1) { $0.participant.school = "Another School" }
        let seen = try store.portfolio("p-one")
        #expect(seen.revision == 2)
        #expect(seen.participant.school == "Another School")
    }

    @Test func aFileChangedInPlaceIsReadAgain() throws {
        settle()
        _ = try store.portfolio("p-one")
        #expect(store.portfolioCache.count == 1)
        let text = try String(contentsOf: file, encoding: .utf8)
        // Same length, other bytes, written in place (as `cp` over it would).
        let changed = text.replacingOccurrences(of: "Example School", with: "Exemplar Schol")
        #expect(changed.utf8.count == text.utf8.count)
        let handle = try FileHandle(forWritingTo: file)
        try handle.write(contentsOf: Data(changed.utf8))
        try handle.close()
        #expect(try store.portfolio("p-one").participant.school == "Exemplar Schol")
    }

    @Test func aFileMovedToAnotherCohortIsMisfiledNotServedFromMemory() throws {
        settle()
        _ = try store.portfolio("p-one")
        #expect(store.portfolioCache.count == 1)
        let elsewhere = root.appendingPathComponent("cohorts/other-cohort/portfolios")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        #expect(rename(file.path, elsewhere.appendingPathComponent("p-one.xml").path) == 0, "same inode, size and time")
        let error = #expect(throws: StoreError.self) { try store.portfolio("p-one") }
        #expect(error?.message.contains("misfiled") == true)
    }

    @Test func theCacheHoldsAtMostItsCapacityAndDropsTheOneUsedLongestAgo() throws {
        let cache = PortfolioCache<Int>(capacity: 2)
        func portfolio(_ id: String) -> Portfolio {
            Portfolio(
                participant: TestSupport.participant(id), frameworks: ["npq-senco-2023"],
                stateSince: Date().wholeSeconds)
        }
        cache.keep(portfolio("p-a"), version: 1)
        cache.keep(portfolio("p-b"), version: 1)
        #expect(cache.portfolio("p-a", version: 1) != nil, "p-a used again: p-b is now the oldest")
        cache.keep(portfolio("p-c"), version: 1)
        #expect(cache.count == 2)
        #expect(cache.portfolio("p-b", version: 1) == nil)
        #expect(cache.portfolio("p-a", version: 1) != nil)
        #expect(cache.portfolio("p-a", version: 2) == nil, "another version is not this one")
        cache.keep(portfolio("p-a"), version: 2)
        #expect(cache.count == 2, "a new version replaces the old")
    }
}
