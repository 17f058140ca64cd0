import Foundation
import SencoCore
import SencoData
import SencoStore
import SencoTestSupport
import Testing

/// `senco store copy`: everything arrives and reads back with the same digests; a second run
/// (or a run after an interruption) copies only what is missing; nothing in the target is ever
/// overwritten; an unreadable source entry is named and skipped.
@Suite struct StoreCopyTests {
    let sourceRoot: URL
    let source: DirectoryStore
    let targetRoot: URL
    let target: DirectoryStore

    init() throws {
        let schemas = try TestSupport.schemas()
        let npq = try TestSupport.library().framework(withID: "npq-senco-2023")
        sourceRoot = try TestSupport.temporaryDirectory("copy-from")
        try FileManager.default.removeItem(at: sourceRoot)
        try FileManager.default.copyItem(at: TestSupport.sampleStore, to: sourceRoot)
        source = DirectoryStore(root: sourceRoot, schemas: schemas, summaryFramework: npq)
        targetRoot = try TestSupport.temporaryDirectory("copy-to")
        target = DirectoryStore(root: targetRoot, schemas: schemas, summaryFramework: npq)
    }

    func copy() async throws -> StoreCopy.Report {
        let schemas = try TestSupport.schemas()
        return try await StoreCopy(
            from: .init(
                store: OffloadedStore(source), users: OffloadedUsers(try UserDirectory(root: sourceRoot, schemaDirectory: schemas.directory))),
            to: .init(
                store: OffloadedStore(target), users: OffloadedUsers(try UserDirectory(root: targetRoot, schemaDirectory: schemas.directory)))
        ).run()
    }

    func digests(_ store: DirectoryStore) throws -> [String: String] {
        var all: [String: String] = [:]
        for id in store.allParticipantIDs() { all[id] = try StoreCopy.digest(try store.portfolio(id)) }
        return all
    }

    @Test func everythingArrivesAndASecondRunCopiesNothing() async throws {
        let first = try await copy()
        let ids = source.allParticipantIDs()
        #expect(ids.count == 14)
        #expect(first.portfolios == { var t = StoreCopy.Tally(); t.copied = 14; return t }())
        #expect(first.cohorts.copied == 2)
        #expect(first.attachments.copied == source.attachmentDigests().count)
        #expect(first.isComplete)
        #expect(try digests(target) == digests(source))
        #expect(target.attachmentDigests() == source.attachmentDigests())
        #expect(try target.check().isEmpty, "the copy is a clean store")

        let before = TestSupport.snapshot(targetRoot)
        let second = try await copy()
        #expect(second.portfolios.copied == 0 && second.portfolios.alreadyThere == 14)
        #expect(second.attachments.copied == 0)
        #expect(second.cohorts.alreadyThere == 2)
        #expect(TestSupport.snapshot(targetRoot) == before, "a second run writes nothing")
    }

    @Test func anInterruptedCopyIsFinishedByRunningItAgain() async throws {
        // As if a copy had stopped after its cohorts and a few portfolios.
        for cohort in try source.cohorts() { try target.createCohort(cohort) }
        let ids = source.allParticipantIDs()
        for id in ids.prefix(5) {
            let portfolio = try source.portfolio(id)
            let staged = try portfolio.evidence.flatMap(\.attachments).map { attachment throws(StoreError) in
                try source.stageAttachment(data: try source.attachmentData(sha256: attachment.sha256), name: attachment.name)
            }
            try target.importPortfolio(portfolio, adding: staged)
        }
        let report = try await copy()
        #expect(report.portfolios.alreadyThere == 5)
        #expect(report.portfolios.copied == ids.count - 5)
        #expect(report.cohorts.alreadyThere == 2)
        #expect(try digests(target) == digests(source))
    }

    @Test func aDifferentPortfolioInTheTargetIsAConflictAndIsNotOverwritten() async throws {
        for cohort in try source.cohorts() { try target.createCohort(cohort) }
        let id = source.allParticipantIDs()[0]
        var theirs = try source.portfolio(id)
        theirs.evidence.removeAll()
        theirs.mappings.removeAll()
        theirs.log.removeAll()
        theirs.state = .draft
        try target.importPortfolio(theirs)
        let before = try Data(contentsOf: targetRoot.appendingPathComponent("cohorts/\(theirs.participant.cohort)/portfolios/\(id).xml"))
        let report = try await copy()
        #expect(report.conflicts.count == 1)
        #expect(report.conflicts.first?.contains("portfolio \(id)") == true)
        #expect(!report.isComplete)
        #expect(report.portfolios.copied == 13)
        let after = try Data(contentsOf: targetRoot.appendingPathComponent("cohorts/\(theirs.participant.cohort)/portfolios/\(id).xml"))
        #expect(after == before, "the target's own document is left as it was")
    }

    @Test func anUnreadableSourcePortfolioIsNamedAndTheRestAreCopied() async throws {
        let id = source.allParticipantIDs()[3]
        let cohort = try source.portfolio(id).participant.cohort
        let file = sourceRoot.appendingPathComponent("cohorts/\(cohort)/portfolios/\(id).xml")
        let good = try Data(contentsOf: file)
        try good.prefix(good.count / 2).write(to: file)
        let report = try await copy()
        #expect(report.problems.map(\.path) == [id])
        #expect(report.portfolios.copied == 13)
        #expect(!target.allParticipantIDs().contains(id))
    }

    @Test func anAttachmentWhoseBytesNoLongerMatchItsHashIsNotCopied() async throws {
        let digest = try #require(source.attachmentDigests().first)
        let blob = sourceRoot.appendingPathComponent("attachments/sha256/\(digest.prefix(2))/\(digest)")
        try Data("altered".utf8).write(to: blob)
        let report = try await copy()
        #expect(report.problems.contains { $0.path == "attachments/\(digest)" })
        #expect(!target.attachmentDigests().contains(digest))
        #expect(!report.isComplete)
    }

    @Test func aMissingAttachmentIsNamedAndItsPortfolioLeftOut() async throws {
        let digest = try #require(source.attachmentDigests().first)
        try FileManager.default.removeItem(at: sourceRoot.appendingPathComponent("attachments/sha256/\(digest.prefix(2))/\(digest)"))
        let report = try await copy()
        let problem = try #require(report.problems.first { $0.path == "attachments/\(digest)" })
        #expect(problem.message.contains("missing"))
        #expect(report.portfolios.copied >= 1, "the other portfolios are copied")
        #expect(!report.isComplete)
    }
}
