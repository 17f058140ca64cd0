import Foundation
import SencoCore
import SencoData
import SencoTestSupport
import Testing

@testable import SencoStore

struct DirectoryStoreTests {
    let root: URL
    let store: DirectoryStore

    init() throws {
        root = try TestSupport.temporaryDirectory("store")
        store = DirectoryStore(root: root, schemas: try TestSupport.schemas(), attachmentLimit: 1024)
        try store.createCohort(TestSupport.cohort())
    }

    func newPortfolio(_ id: String = "p-test-01") throws -> Portfolio {
        try store.create(Portfolio(participant: TestSupport.participant(id), frameworks: ["npq-senco-2023"], stateSince: Date().wholeSeconds))
    }

    @Test func createsAndReadsBackAPortfolioAtRevisionOne() throws {
        let created = try newPortfolio()
        #expect(created.revision == 1)
        let read = try store.portfolio("p-test-01")
        #expect(read == created)
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("cohorts/test-cohort/portfolios/p-test-01.xml").path))
    }

    @Test func refusesDuplicateParticipants() throws {
        _ = try newPortfolio()
        let error = #expect(throws: StoreError.self) { try newPortfolio() }
        #expect(error?.code == .alreadyExists)
    }

    @Test func updatesBumpTheRevisionAndRefuseStaleOnes() throws {
        _ = try newPortfolio()
        let updated = try store.update("p-test-01", expectedRevision: 1) { $0.stateNote = "first" }
        #expect(updated.revision == 2)
        let before = TestSupport.snapshot(root)
        let error = #expect(throws: StoreError.self) {
            try store.update("p-test-01", expectedRevision: 1) { $0.stateNote = "second" }
        }
        #expect(error?.code == .staleRevision)
        #expect(error?.message.contains("you read revision 1; it is now at 2") == true)
        #expect(TestSupport.snapshot(root) == before, "a stale update changes nothing")
        #expect(try store.portfolio("p-test-01").stateNote == "first")
    }

    @Test(arguments: ["../../etc", "..", "a/b", "A-UPPER", "x.y", "", "-lead", "trail-", "double--hyphen", String(repeating: "a", count: 65), "p\u{0}1", "%2e%2e"])
    func refusesIDsThatCouldEscapeTheStore(id: String) throws {
        let before = TestSupport.snapshot(root)
        let error = #expect(throws: StoreError.self) { try store.portfolio(id) }
        #expect(error?.code == .invalidID)
        #expect(throws: StoreError.self) { try store.cohort(id) }
        #expect(throws: StoreError.self) {
            try store.create(Portfolio(participant: TestSupport.participant(id), frameworks: [], stateSince: Date().wholeSeconds))
        }
        #expect(TestSupport.snapshot(root) == before)
    }

    @Test func failedChangesLeaveEveryByteAsItWas() throws {
        _ = try newPortfolio()
        let before = TestSupport.snapshot(root)
        #expect(throws: StoreError.self) {
            try store.update("p-test-01", expectedRevision: 1) { (_: inout Portfolio) throws(StoreError) in
                throw StoreError(.invalidInput, "refused by the change")
            }
        }
        // A value the schema refuses (an id with a slash) must not be written.
        let error = #expect(throws: StoreError.self) {
            try store.update("p-test-01", expectedRevision: 1) { $0.evidence.append(
                EvidenceItem(id: "../x", title: "t", type: "observation", date: Day("2025-11-01")!, reflection: "", added: Date())) }
        }
        #expect(error?.code == .invalidInput)
        // A forbidden control character is refused by the writer.
        #expect(throws: StoreError.self) {
            try store.update("p-test-01", expectedRevision: 1) { $0.stateNote = "bell\u{07}" }
        }
        #expect(TestSupport.snapshot(root) == before)
    }

    @Test func storesAttachmentsOnceByContentHash() throws {
        let file = root.appendingPathComponent("notes.txt")
        try Data("provision map notes".utf8).write(to: file)
        _ = try newPortfolio()
        let before = TestSupport.snapshot(root)
        let first = try store.stageAttachment(from: file).attachment
        let staged = try store.stageAttachment(data: Data("provision map notes".utf8), name: "copy.txt")
        let second = staged.attachment
        #expect(TestSupport.snapshot(root) == before, "staging stores nothing")
        #expect(first.sha256 == second.sha256)
        #expect(first.sha256 == "bc82fc236868fd87f9e93290d7fe6e714cdd8186098d8253f2e05a9e22c1763e", "sha256sum of the same bytes")
        #expect(first.size == 19)
        #expect(first.mediaType == "text/plain")
        try store.update("p-test-01", expectedRevision: 1, adding: [staged, staged]) { (portfolio: inout Portfolio) throws(StoreError) in
            portfolio.evidence.append(
                EvidenceItem(id: "e1", title: "Map", type: "provision-map", date: Day("2025-10-01")!, reflection: "r", attachments: [second, first], added: Date().wholeSeconds))
        }
        #expect(try store.attachmentData(sha256: first.sha256) == Data("provision map notes".utf8))
        let stored = try FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent("attachments").path)
            .filter { $0.count > 60 }
        #expect(stored.count == 1, "one copy per content")
    }

    @Test func refusesMissingDirectoryAndOversizedAttachments() throws {
        let before = TestSupport.snapshot(root)
        let missing = #expect(throws: StoreError.self) { try store.stageAttachment(from: root.appendingPathComponent("nope.pdf")) }
        #expect(missing?.message.contains("does not exist") == true)
        let directory = #expect(throws: StoreError.self) { try store.stageAttachment(from: root) }
        #expect(directory?.message.contains("is a directory") == true)
        let big = root.deletingLastPathComponent().appendingPathComponent("big-\(UUID()).bin")
        try Data(repeating: 1, count: 2048).write(to: big)
        let oversized = #expect(throws: StoreError.self) { try store.stageAttachment(from: big) }
        #expect(oversized?.message.contains("limit is 1024") == true)
        #expect(TestSupport.snapshot(root) == before)
        #expect(throws: StoreError.self) { try store.attachmentData(sha256: "../../etc/passwd") }
    }

    @Test func racingWritersOneWinsTheOtherIsToldToRetry() async throws {
        _ = try newPortfolio()
        let store = self.store
        let outcomes = await withTaskGroup(of: Result<Int, StoreError>.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    do {
                        let result = try store.update("p-test-01", expectedRevision: 1) { (portfolio: inout Portfolio) throws(StoreError) in
                            portfolio.stateNote = "writer \(writer)"
                            Thread.sleep(forTimeInterval: 0.02)  // hold the lock long enough for the others to collide
                        }
                        return .success(result.revision)
                    } catch let error as StoreError {
                        return .failure(error)
                    } catch {
                        return .failure(StoreError(.io, "\(error)"))
                    }
                }
            }
            var all: [Result<Int, StoreError>] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        let wins = outcomes.filter { if case .success = $0 { true } else { false } }
        #expect(wins.count == 1, "exactly one writer wins")
        for case .failure(let error) in outcomes {
            #expect(error.code == .busy || error.code == .staleRevision)
            #expect(error.message.contains("try again"))
        }
        #expect(try store.portfolio("p-test-01").revision == 2)
    }

    @Test func listsCohortsAndPortfoliosInOrder() throws {
        _ = try newPortfolio("p-b")
        _ = try newPortfolio("p-a")
        #expect(try store.cohorts().map(\.id) == ["test-cohort"])
        #expect(try store.portfolios(inCohort: "test-cohort").map(\.id) == ["p-a", "p-b"])
        let missing = #expect(throws: StoreError.self) { try store.portfolio("p-zzz") }
        #expect(missing?.code == .notFound)
    }

    @Test func refusesAStoredFileThatIsNotAPortfolio() throws {
        _ = try newPortfolio()
        let file = root.appendingPathComponent("cohorts/test-cohort/portfolios/p-test-01.xml")
        try Data("<!DOCTYPE x [<!ENTITY a \"b\">]><portfolio/>".utf8).write(to: file)
        let error = #expect(throws: StoreError.self) { try store.portfolio("p-test-01") }
        #expect(error?.code == .invalidData)
        #expect(error?.message.contains("DOCTYPE") == true)
    }
}
