import Foundation
import SencoCore
import SencoData
import SencoTestSupport
import Testing

@testable import SencoStore

/// A cohort's list of summaries is kept while none of its folders changes, and never trusted
/// once one has: a write through another process (another store value over the same folder), a
/// new cohort, a file copied over in place, or a change in the same tick of the file clock.
/// The windows are shortened here (50 ms, 300 ms); the store's own are 2 s and 15 s.
@Suite struct CohortSnapshotTests {
    let root: URL
    let schemas: PortfolioSchemas
    let npq: Framework
    let snapshots = CohortSnapshots(racyWindow: 50_000_000, maximumAge: 300_000_000)
    let store: DirectoryStore

    init() throws {
        root = try TestSupport.temporaryDirectory("snapshots")
        schemas = try TestSupport.schemas()
        npq = try #require(try TestSupport.library().framework(withID: "npq-senco-2023"))
        store = DirectoryStore(root: root, schemas: schemas, summaryFramework: npq, cohortSnapshots: snapshots)
        try store.createCohort(TestSupport.cohort())
        for id in ["p-one", "p-two"] {
            try store.create(
                Portfolio(
                    participant: TestSupport.participant(id), frameworks: ["npq-senco-2023"],
                    stateSince: Date().wholeSeconds))
        }
    }

    /// Another process over the same store: its own memory, no snapshots shared.
    var otherProcess: DirectoryStore { DirectoryStore(root: root, schemas: schemas, summaryFramework: npq) }

    func list() throws -> [PortfolioSummary] { try store.mapSummaries(inCohort: "test-cohort", framework: npq).values }

    /// Long enough for every folder time to fall outside the racy window.
    func settle() { usleep(120_000) }

    @Test func aListIsAnsweredFromTheSnapshotWhileNothingChanges() throws {
        settle()
        let first = try list()
        #expect(snapshots.hits == 0, "the first list is made")
        #expect(try list() == first)
        #expect(try list() == first)
        #expect(snapshots.hits == 2, "and then kept")
    }

    @Test func aSnapshotMadeJustAfterAChangeIsNotTrusted() throws {
        // The store was written a moment ago: a change in the same tick of the file clock
        // could leave the folder's times as they are, so the list is made again each time.
        _ = try list()
        _ = try list()
        #expect(snapshots.hits == 0)
    }

    @Test func aWriteByAnotherProcessIsSeenByTheNextList() throws {
        settle()
        _ = try list()
        #expect(try list().map(\.revision) == [1, 1])
        #expect(snapshots.hits == 1)
        let changed = try otherProcess.update("p-two", expectedRevision: 1) { $0.participant.school = "Another School" }
        let seen = try list()
        #expect(seen.map(\.revision) == [1, 2], "the folder's times changed, so the snapshot was dropped")
        #expect(seen.last == PortfolioSummary(portfolio: changed, framework: npq, rules: schemas.rules))
        #expect(snapshots.hits == 1)
    }

    @Test func aParticipantAddedOrStoredTwiceInAnotherCohortIsSeen() throws {
        settle()
        _ = try list()
        try otherProcess.createCohort(TestSupport.cohort("other-cohort"))
        settle()
        #expect(try list().count == 2)
        // The same participant's file in another cohort: both copies are named, neither trusted.
        let elsewhere = root.appendingPathComponent("cohorts/other-cohort/portfolios")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: root.appendingPathComponent("cohorts/test-cohort/portfolios/p-one.xml"),
            to: elsewhere.appendingPathComponent("p-one.xml"))
        let scan = try store.mapSummaries(inCohort: "test-cohort", framework: npq)
        #expect(scan.values.map(\.id) == ["p-two"])
        #expect(scan.problems.map(\.path) == ["cohorts/test-cohort/portfolios/p-one.xml"])
    }

    @Test func aFileCopiedOverInPlaceIsSeenOnceTheSnapshotIsOld() throws {
        settle()
        _ = try list()
        #expect(try list().count == 2)
        // `cp` over an existing file truncates and rewrites it: the folder's times stay as they are.
        let file = root.appendingPathComponent("cohorts/test-cohort/portfolios/p-two.xml")
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: 100)
        try handle.close()
        usleep(350_000)
        let scan = try store.mapSummaries(inCohort: "test-cohort", framework: npq)
        #expect(scan.values.map(\.id) == ["p-one"], "past the snapshot's age every file is checked again")
        #expect(scan.problems.map(\.path) == ["cohorts/test-cohort/portfolios/p-two.xml"])
    }

    @Test func eachFrameworkHasItsOwnSnapshot() throws {
        settle()
        var other = npq
        other.id = "npq-senco-2023-copy"
        _ = try list()
        let againstOther = try store.mapSummaries(inCohort: "test-cohort", framework: other)
        #expect(snapshots.hits == 0, "a list against another framework is not the NPQ list")
        #expect(againstOther.values.count == 2)
    }
}
