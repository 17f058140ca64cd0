import Foundation
import SencoCore
import SencoStore
import SencoTestSupport
import Testing

/// A store that has been damaged by hand, a crash or a bad copy: every whole-cohort read names
/// each bad entry and carries on with the rest; `check` finds every problem; `repair` removes
/// only debris; and nothing is ever written to a misfiled copy.
@Suite struct DamagedStoreTests {
    let root: URL
    let store: DirectoryStore

    init() throws {
        root = try TestSupport.temporaryDirectory("damaged")
        store = DirectoryStore(root: root, schemas: try TestSupport.schemas())
        try store.createCohort(TestSupport.cohort())
        try store.createCohort(TestSupport.cohort("other-cohort"))
        for id in ["p-a", "p-b", "p-c"] {
            try store.create(Portfolio(participant: TestSupport.participant(id), frameworks: ["npq-senco-2023"], stateSince: Date().wholeSeconds))
        }
    }

    var portfolios: URL { root.appendingPathComponent("cohorts/test-cohort/portfolios") }

    func portfolioBytes(_ id: String) throws -> Data { try Data(contentsOf: portfolios.appendingPathComponent("\(id).xml")) }

    /// One kind of damage, the entry it makes, and words the problem must contain.
    struct Damage: Sendable, CustomTestStringConvertible {
        let name: String
        let entry: String
        let phrase: String
        let make: @Sendable (URL, Data) throws -> Void  // (portfolios folder, a good portfolio's bytes)
        var testDescription: String { name }
    }

    static let damages: [Damage] = [
        Damage(name: "truncated", entry: "p-x.xml", phrase: "line") { folder, good in
            try good.prefix(good.count / 2).write(to: folder.appendingPathComponent("p-x.xml"))
        },
        Damage(name: "garbage", entry: "p-x.xml", phrase: "line 1") { folder, _ in
            try Data("\u{1}\u{2}not xml at all".utf8).write(to: folder.appendingPathComponent("p-x.xml"))
        },
        Damage(name: "empty", entry: "p-x.xml", phrase: "empty") { folder, _ in
            try Data().write(to: folder.appendingPathComponent("p-x.xml"))
        },
        Damage(name: "symbolic link", entry: "p-x.xml", phrase: "symbolic link") { folder, _ in
            try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("p-x.xml").path, withDestinationPath: "/etc/passwd")
        },
        Damage(name: "named for another participant", entry: "p-x.xml", phrase: "misfiled") { folder, good in
            try good.write(to: folder.appendingPathComponent("p-x.xml"))  // holds p-a
        },
        Damage(name: "a folder named like a portfolio", entry: "p-x.xml", phrase: "not a regular file") { folder, _ in
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("p-x.xml"), withIntermediateDirectories: false)
        },
        Damage(name: "a name that is not a participant id", entry: "Notes.xml", phrase: "not a portfolio file") { folder, good in
            try good.write(to: folder.appendingPathComponent("Notes.xml"))
        },
    ]

    @Test(arguments: damages)
    func aWholeCohortReadNamesTheBadEntryAndReadsTheRest(_ damage: Damage) throws {
        try damage.make(portfolios, try portfolioBytes("p-a"))
        let scan = try store.mapPortfolios(inCohort: "test-cohort") { $0.id }
        #expect(scan.values == ["p-a", "p-b", "p-c"], "every good portfolio is read")
        let problem = try #require(scan.problems.first, "the bad entry is reported")
        #expect(scan.problems.count == 1)
        #expect(problem.path == "cohorts/test-cohort/portfolios/\(damage.entry)")
        #expect(problem.message.contains(damage.phrase), "\(problem)")
        #expect(try store.check().contains { $0.path == problem.path && $0.kind == .damage }, "store check finds it too")
    }

    @Test func aPortfolioInAnotherCohortsFolderIsMisfiledAndNeverWritten() throws {
        let good = try portfolioBytes("p-a")
        let elsewhere = root.appendingPathComponent("cohorts/other-cohort/portfolios/p-d.xml")
        try String(decoding: good, as: UTF8.self).replacingOccurrences(of: "id=\"p-a\"", with: "id=\"p-d\"").write(
            to: elsewhere, atomically: true, encoding: .utf8)
        let scan = try store.mapPortfolios(inCohort: "other-cohort") { $0.id }
        #expect(scan.values.isEmpty)
        #expect(scan.problems.first?.message.contains("belongs to cohort") == true)
        let before = TestSupport.snapshot(root)
        let error = #expect(throws: StoreError.self) {
            try store.update("p-d", expectedRevision: 1) { (p: inout Portfolio) throws(StoreError) in p.stateNote = "x" }
        }
        #expect(error?.message.contains("misfiled") == true)
        #expect(TestSupport.snapshot(root) == before, "nothing written to the misfiled copy")
    }

    @Test func aParticipantStoredTwiceIsReportedInBothCohortsAndNeverWritten() throws {
        try portfolioBytes("p-b").write(to: root.appendingPathComponent("cohorts/other-cohort/portfolios/p-b.xml"))
        let here = try store.mapPortfolios(inCohort: "test-cohort") { $0.id }
        #expect(here.values == ["p-a", "p-c"])
        #expect(here.problems.first?.message.contains("stored twice") == true)
        let there = try store.mapPortfolios(inCohort: "other-cohort") { $0.id }
        #expect(there.problems.count == 1)
        let before = TestSupport.snapshot(root)
        let error = #expect(throws: StoreError.self) {
            try store.update("p-b", expectedRevision: 1) { (p: inout Portfolio) throws(StoreError) in p.stateNote = "x" }
        }
        #expect(error?.message.contains("stored twice") == true)
        #expect(TestSupport.snapshot(root) == before)
    }

    @Test func aBrokenCohortFileIsReportedAndTheOtherCohortsRead() throws {
        try Data("<cohort".utf8).write(to: root.appendingPathComponent("cohorts/other-cohort/cohort.xml"))
        let scan = store.scanCohorts()
        #expect(scan.values.map(\.id) == ["test-cohort"])
        #expect(scan.problems.map(\.path) == ["cohorts/other-cohort/cohort.xml"])
        #expect(try store.check().contains { $0.path == "cohorts/other-cohort/cohort.xml" })
    }

    @Test func checkFindsMissingAndAlteredAttachmentsAndRepairRemovesOnlyDebris() throws {
        let staged = try store.stageAttachment(data: Data("a provision map".utf8), name: "map.csv")
        let altered = try store.stageAttachment(data: Data("a meeting record".utf8), name: "meeting.txt")
        let missing = try store.stageAttachment(data: Data("an observation".utf8), name: "obs.txt")
        try store.update("p-a", expectedRevision: 1, adding: [staged, altered, missing]) { (p: inout Portfolio) throws(StoreError) in
            p.evidence.append(
                EvidenceItem(
                    id: "e1", title: "Map", type: "provision-map", date: Day("2025-10-01")!, reflection: "r",
                    attachments: [staged.attachment, altered.attachment, missing.attachment], added: Date().wholeSeconds))
        }
        let blobs = root.appendingPathComponent("attachments/sha256")
        func blob(_ hash: String) -> URL { blobs.appendingPathComponent(String(hash.prefix(2))).appendingPathComponent(hash) }
        try FileManager.default.removeItem(at: blob(missing.attachment.sha256))
        try Data("changed".utf8).write(to: blob(altered.attachment.sha256))

        // Debris: an old temporary file, a lock nobody holds, an old orphaned blob; and a young
        // temporary file and a young orphan, which may belong to a change committing right now.
        let old = Date().addingTimeInterval(-3600)
        let debris = [
            portfolios.appendingPathComponent(".p-b.xml.123.456.tmp"), portfolios.appendingPathComponent("p-c.lock"),
            blobs.appendingPathComponent("ab/ab\(String(repeating: "0", count: 62))"),
        ]
        for file in debris {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("left behind".utf8).write(to: file)
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: file.path)
        }
        let young = portfolios.appendingPathComponent(".p-a.xml.1.2.tmp")
        try Data("being written".utf8).write(to: young)

        let problems = try store.check()
        let byPath = Dictionary(problems.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byPath[store.relativePath(blob(missing.attachment.sha256))]?.message.contains("missing: referenced by p-a e1") == true)
        #expect(byPath[store.relativePath(blob(altered.attachment.sha256))]?.message.contains("does not match") == true)
        for file in debris { #expect(byPath[store.relativePath(file)]?.kind == .debris, "\(file.lastPathComponent) is debris") }
        #expect(byPath[store.relativePath(young)] == nil, "a young temporary file is not yet debris")
        #expect(problems.filter { $0.kind == .debris }.count == 3)

        let documents = try ["p-a", "p-b", "p-c"].map(portfolioBytes)
        let removed = store.repair(problems)
        #expect(removed.count == 3)
        for file in debris { #expect(!FileManager.default.fileExists(atPath: file.path)) }
        #expect(FileManager.default.fileExists(atPath: young.path))
        #expect(try ["p-a", "p-b", "p-c"].map(portfolioBytes) == documents, "repair never touches a portfolio")
        #expect(FileManager.default.fileExists(atPath: blob(altered.attachment.sha256).path), "damage is left for a person")
        #expect(try store.check().allSatisfy { $0.kind == .damage })
    }

    @Test func aRefusedChangeLeavesNoBlobLockOrTemporaryFile() throws {
        let staged = try store.stageAttachment(data: Data("new bytes".utf8), name: "new.txt")
        let before = TestSupport.snapshot(root)
        // Refused by the rule inside the change.
        #expect(throws: StoreError.self) {
            try store.update("p-a", expectedRevision: 1, adding: [staged]) { (_: inout Portfolio) throws(StoreError) in
                throw StoreError(.invalidInput, "refused")
            }
        }
        // Refused for a stale revision.
        #expect(throws: StoreError.self) {
            try store.update("p-a", expectedRevision: 7, adding: [staged]) { (p: inout Portfolio) throws(StoreError) in p.stateNote = "x" }
        }
        // Refused by the schema (an evidence id the schema forbids).
        #expect(throws: StoreError.self) {
            try store.update("p-a", expectedRevision: 1, adding: [staged]) { (p: inout Portfolio) throws(StoreError) in
                p.evidence.append(
                    EvidenceItem(id: "bad id", title: "T", type: "observation", date: Day("2025-10-01")!, reflection: "", attachments: [staged.attachment], added: Date()))
            }
        }
        // Refused for naming an attachment the store does not hold and the change does not bring.
        let error = #expect(throws: StoreError.self) {
            try store.update("p-a", expectedRevision: 1) { (p: inout Portfolio) throws(StoreError) in
                p.evidence.append(
                    EvidenceItem(id: "e1", title: "T", type: "observation", date: Day("2025-10-01")!, reflection: "", attachments: [staged.attachment], added: Date()))
            }
        }
        #expect(error?.message.contains("does not hold") == true)
        #expect(TestSupport.snapshot(root) == before, "no blob, lock or temporary file")

        // A staged attachment the committed change does not refer to is not stored either.
        try store.update("p-a", expectedRevision: 1, adding: [staged]) { (p: inout Portfolio) throws(StoreError) in p.stateNote = "x" }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("attachments").path))
        #expect(try store.check().isEmpty)
    }

    @Test func noLockFileIsEverLeftBesideAPortfolio() throws {
        try store.update("p-a", expectedRevision: 1) { (p: inout Portfolio) throws(StoreError) in p.stateNote = "x" }
        let names = try FileManager.default.contentsOfDirectory(atPath: portfolios.path).sorted()
        #expect(names == ["p-a.xml", "p-b.xml", "p-c.xml"])
    }
}

extension DirectoryStore {
    /// The path of `url` inside the store, as problems name it.
    func relativePath(_ url: URL) -> String {
        String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
    }
}
