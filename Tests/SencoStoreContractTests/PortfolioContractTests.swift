import Crypto
import Foundation
import SencoCore
import SencoData
import SencoStore
import SencoTestSupport
import Testing

/// What every portfolio store promises, run against the directory store and PostgreSQL alike.
@Suite struct PortfolioContractTests {
    @Test(arguments: Backend.allCases)
    func aCreatedPortfolioReadsBackEqualAndUpdatesRoundTrip(backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let created = try await f.newPortfolio(name: TestSupport.hostileText)
            #expect(created.revision == 1)
            #expect(try await f.store.portfolio("p-test-01") == created)

            let item = f.evidence("e1", reflection: TestSupport.hostileText)
            let updated = try await f.store.update("p-test-01", expectedRevision: 1) { $0.evidence.append(item) }
            #expect(updated.revision == 2)
            #expect(updated.evidence == [item])
            #expect(try await f.store.portfolio("p-test-01") == updated, "what update returns is what is stored")

            try await f.newPortfolio("p-test-00")
            #expect(try await f.store.participantIDs(inCohort: "test-cohort") == ["p-test-00", "p-test-01"])
            #expect(try await f.store.allParticipantIDs() == ["p-test-00", "p-test-01"])
            #expect(try await f.store.cohorts() == [TestSupport.cohort()])
            let scan = try await f.store.mapPortfolios(inCohort: "test-cohort") { $0.revision }
            #expect(scan.values == [1, 2])
            #expect(scan.problems.isEmpty)
        }
    }

    @Test(arguments: Backend.allCases)
    func unknownIDsAreNotFoundWithASuggestionAndHostileIDsAreRefused(backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            try await f.newPortfolio("p-test-01")
            let missing = await #expect(throws: StoreError.self) { try await f.store.portfolio("p-test-02") }
            #expect(missing?.code == .notFound)
            #expect(missing?.message.contains("p-test-01") == true, "did you mean the one that exists")
            let cohort = await #expect(throws: StoreError.self) { try await f.store.cohort("test-cohorts") }
            #expect(cohort?.code == .notFound)
            #expect(cohort?.message.contains("test-cohort") == true)
            for id in ["../x", "A-UPPER", "", "p\u{0}1"] {
                let error = await #expect(throws: StoreError.self) { try await f.store.portfolio(id) }
                #expect(error?.code == .invalidID)
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func aStaleRevisionIsRefusedAndChangesNothing(backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            try await f.newPortfolio()
            try await f.store.update("p-test-01", expectedRevision: 1) { $0.stateNote = "first" }
            let before = try await f.snapshot()
            let error = await #expect(throws: StoreError.self) {
                try await f.store.update("p-test-01", expectedRevision: 1) { $0.stateNote = "second" }
            }
            #expect(error?.code == .staleRevision)
            #expect(error?.message.contains("you read revision 1; it is now at 2") == true)
            #expect(try await f.snapshot() == before, "a stale update stores nothing")
            #expect(try await f.store.portfolio("p-test-01").stateNote == "first")
        }
    }

    enum Refusal: String, CaseIterable, Sendable {
        /// The change itself throws (a rule it breaks).
        case ruleError
        /// The result fails the portfolio schema.
        case schemaInvalid
        /// The result names an attachment the store does not hold.
        case unknownAttachment
    }

    @Test(arguments: Backend.allCases, Refusal.allCases)
    func aRefusedChangeStoresNothingNotEvenItsAttachment(backend: Backend, refusal: Refusal) async throws {
        try await StoreFixture.with(backend) { f in
            try await f.newPortfolio()
            let staged = try await f.store.stageAttachment(data: Data("notes from the review".utf8), name: "notes.txt")
            let before = try await f.snapshot()
            let item = f.evidence("e1", attachments: [staged.attachment])
            let error = await #expect(throws: StoreError.self) {
                switch refusal {
                case .ruleError:
                    try await f.store.update("p-test-01", expectedRevision: 1, adding: [staged]) {
                        (p: inout Portfolio) throws(StoreError) in
                        p.evidence.append(item)
                        throw StoreError(.invalidInput, "refused by the change")
                    }
                case .schemaInvalid:
                    try await f.store.update("p-test-01", expectedRevision: 1, adding: [staged]) {
                        var bad = item
                        bad.id = "../x"
                        $0.evidence.append(bad)
                    }
                case .unknownAttachment:
                    let other = SencoCore.Attachment(name: "elsewhere.pdf", size: 3, sha256: String(repeating: "b", count: 64))
                    try await f.store.update("p-test-01", expectedRevision: 1, adding: [staged]) {
                        $0.evidence.append(f.evidence("e1", attachments: [staged.attachment, other]))
                    }
                }
            }
            #expect(error?.code == .invalidInput)
            if refusal == .unknownAttachment {
                #expect(error?.message.contains("which the store does not hold") == true)
            }
            #expect(try await f.snapshot() == before, "no blob, no revision, no summary")
            #expect(try await f.store.attachmentDigests().isEmpty)
            #expect(try await f.store.portfolio("p-test-01").revision == 1)
        }
    }

    @Test(arguments: Backend.allCases)
    func ofConcurrentUpdatesFromOneRevisionExactlyOneWins(backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            try await f.newPortfolio()
            let store = f.store
            let outcomes = await withTaskGroup(of: Result<Int, StoreError>.self) { group in
                for n in 0..<8 {
                    group.addTask {
                        do throws(StoreError) {
                            return .success(try await store.update("p-test-01", expectedRevision: 1) { $0.stateNote = "writer \(n)" }.revision)
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let wins = outcomes.compactMap { try? $0.get() }
            #expect(wins == [2], "exactly one writer stored revision 2")
            for case .failure(let error) in outcomes {
                #expect([.staleRevision, .busy].contains(error.code), "the others are told to reload: \(error.message)")
            }
            let stored = try await store.portfolio("p-test-01")
            #expect(stored.revision == 2)
            #expect(stored.stateNote.hasPrefix("writer "))
        }
    }

    @Test(arguments: Backend.allCases)
    func creatingOrImportingAParticipantTwiceIsRefused(backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let first = try await f.newPortfolio()
            let before = try await f.snapshot()
            let again = await #expect(throws: StoreError.self) { try await f.newPortfolio(name: "Someone else") }
            #expect(again?.code == .alreadyExists)
            #expect(again?.message == "participant \"p-test-01\" already exists")
            let imported = await #expect(throws: StoreError.self) { try await f.store.importPortfolio(first) }
            #expect(imported?.code == .alreadyExists)
            #expect(try await f.snapshot() == before)
            let cohort = await #expect(throws: StoreError.self) { try await f.store.createCohort(TestSupport.cohort()) }
            #expect(cohort?.code == .alreadyExists)
            let elsewhere = await #expect(throws: StoreError.self) {
                try await f.store.create(
                    Portfolio(participant: TestSupport.participant("p-test-09", cohort: "no-such-cohort"), frameworks: [], stateSince: f.clock.now))
            }
            #expect(elsewhere?.code == .notFound)
        }
    }

    @Test(arguments: Backend.allCases)
    func anImportKeepsItsRevisionAndNeedsItsAttachments(backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            var portfolio = Portfolio(participant: TestSupport.participant("p-imported"), frameworks: ["npq-senco-2023"], stateSince: f.clock.now.wholeSeconds)
            portfolio.revision = 7
            portfolio.evidence = [f.evidence("e1", attachments: [SencoCore.Attachment(name: "gone.pdf", size: 1, sha256: String(repeating: "c", count: 64))])]
            let refused = await #expect(throws: StoreError.self) { try await f.store.importPortfolio(portfolio) }
            #expect(refused?.code == .invalidInput)
            #expect(try await f.store.allParticipantIDs().isEmpty)
            portfolio.evidence = [f.evidence("e1")]
            try await f.store.importPortfolio(portfolio)
            #expect(try await f.store.portfolio("p-imported") == portfolio)

            // A store being copied: the import brings its attachments, stored with it or not at all.
            let staged = try await f.store.stageAttachment(data: Data("copied notes".utf8), name: "copied.txt")
            var copied = portfolio
            copied.participant = TestSupport.participant("p-copied")
            copied.evidence = [f.evidence("e1", attachments: [staged.attachment])]
            var duplicate = copied
            duplicate.participant = portfolio.participant
            let before = try await f.snapshot()
            let refusedCopy = await #expect(throws: StoreError.self) { try await f.store.importPortfolio(duplicate, adding: [staged]) }
            #expect(refusedCopy?.code == .alreadyExists)
            #expect(try await f.snapshot() == before, "a refused import keeps none of its attachments")
            try await f.store.importPortfolio(copied, adding: [staged])
            #expect(try await f.store.attachmentDigests() == [staged.attachment.sha256])
            #expect(try await f.store.portfolio("p-copied") == copied)
        }
    }

    @Test(arguments: Backend.allCases)
    func summariesAreKeptWithEveryWriteAndAnOldOneIsMadeAgain(backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            func expectCurrent(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let portfolio = try await f.store.portfolio(id)
                #expect(try await f.keptSummaryRevision(id) == portfolio.revision, "kept with the write", sourceLocation: sourceLocation)
                let scan = try await f.store.mapSummaries(inCohort: "test-cohort", framework: f.npq)
                #expect(scan.problems.isEmpty, sourceLocation: sourceLocation)
                let made = PortfolioSummary(portfolio: portfolio, framework: f.npq, rules: f.rules)
                #expect(scan.values.first { $0.id == id } == made, sourceLocation: sourceLocation)
            }
            try await f.newPortfolio("p-sum", name: TestSupport.hostileText)
            try await expectCurrent("p-sum")
            let statement = try #require(f.npq.statements.first?.id)
            let item = f.evidence("e1")
            let afterUpdate = try await f.store.update("p-sum", expectedRevision: 1) {
                $0.evidence.append(item)
                $0.mappings.append(Mapping(evidence: "e1", statement: statement, claim: "It shows it."))
            }
            try await expectCurrent("p-sum")

            // A summary of an older revision (a crash between two writes, then a restart): never
            // trusted, made again from the portfolio, and kept.
            let old = PortfolioSummary(portfolio: try await f.store.portfolio("p-sum"), framework: f.npq, rules: f.rules)
            var planted = old
            planted.revision = 1
            planted.evidenceCount = 99
            try await f.plantSummary(planted)
            #expect(try await f.keptSummaryRevision("p-sum") == 1)
            let scan = try await f.reopened().mapSummaries(inCohort: "test-cohort", framework: f.npq)
            #expect(scan.values == [PortfolioSummary(portfolio: afterUpdate, framework: f.npq, rules: f.rules)])
            #expect(scan.values.first?.evidenceCount == 1, "made again from the portfolio")
            #expect(try await f.keptSummaryRevision("p-sum") == 2, "and kept for next time")
        }
    }

    /// Two servers over one store each keep the summaries they have read in memory; a write
    /// through one is seen by the other's next list, however many times each has listed.
    @Test(arguments: Backend.allCases)
    func aListThroughOneServerSeesWritesThroughAnother(backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            try await f.newPortfolio("p-one", name: "One")
            try await f.newPortfolio("p-two", name: "Two")
            let other = f.reopened()
            for _ in 0..<2 {
                #expect(try await f.store.mapSummaries(inCohort: "test-cohort", framework: f.npq).values.map(\.revision) == [1, 1])
                #expect(try await other.mapSummaries(inCohort: "test-cohort", framework: f.npq).values.map(\.revision) == [1, 1])
            }
            let item = f.evidence("e1")
            let changed = try await other.update("p-two", expectedRevision: 1) { $0.evidence.append(item) }
            let seen = try await f.store.mapSummaries(inCohort: "test-cohort", framework: f.npq).values
            #expect(seen.map(\.revision) == [1, 2])
            #expect(seen.last == PortfolioSummary(portfolio: changed, framework: f.npq, rules: f.rules))
        }
    }

    @Test(arguments: Backend.allCases)
    func attachmentsAreStoredOnceByTheirContentsHash(backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            try await f.newPortfolio("p-a")
            try await f.newPortfolio("p-b")
            let bytes = Data("provision map notes 🧾".utf8)
            let first = try await f.store.stageAttachment(data: bytes, name: "map.txt")
            let second = try await f.store.stageAttachment(data: bytes, name: "copy of map.txt")
            let unused = try await f.store.stageAttachment(data: Data("never referred to".utf8), name: "unused.txt")
            let hash = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            #expect(first.attachment.sha256 == hash)
            #expect(second.attachment.sha256 == hash)
            try await f.store.update("p-a", expectedRevision: 1, adding: [first, unused]) {
                $0.evidence.append(f.evidence("e1", attachments: [first.attachment]))
            }
            try await f.store.update("p-b", expectedRevision: 1, adding: [second]) {
                $0.evidence.append(f.evidence("e1", attachments: [second.attachment]))
            }
            #expect(try await f.store.attachmentDigests() == [hash], "one blob for the same bytes; none for the unreferenced")
            #expect(try await f.store.attachmentData(sha256: hash) == bytes)
            let missing = await #expect(throws: StoreError.self) { try await f.store.attachmentData(sha256: String(repeating: "d", count: 64)) }
            #expect(missing?.code == .notFound)
            let hostile = await #expect(throws: StoreError.self) { try await f.store.attachmentData(sha256: "../../etc/passwd") }
            #expect(hostile?.code == .invalidID)
            let tooBig = await #expect(throws: StoreError.self) {
                try await f.store.stageAttachment(data: Data(count: f.store.attachmentLimit + 1), name: "big.bin")
            }
            #expect(tooBig?.code == .invalidInput)
            // A later revision may refer to a blob an earlier one brought, without bringing it again.
            try await f.store.update("p-a", expectedRevision: 2) {
                $0.evidence.append(f.evidence("e2", attachments: [first.attachment]))
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func moderationPlansAreNeverOverwritten(backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let plan = ModerationPlan(
                id: "plan-1", cohort: "test-cohort", rate: 10, minimumPerTutor: 1, seed: 42, created: f.clock.now.wholeSeconds,
                createdBy: "t-one", entries: [.init(participant: "p-test-01", tutor: "t-one", borderline: 0.5)])
            try await f.store.savePlan(plan)
            var redrawn = plan
            redrawn.seed = 7
            redrawn.entries = []
            let error = await #expect(throws: StoreError.self) { try await f.store.savePlan(redrawn) }
            #expect(error?.code == .alreadyExists)
            #expect(error?.message == "moderation plan \"plan-1\" already exists; choose another id")
            #expect(try await f.store.plan("plan-1") == plan)
            #expect(try await f.store.plans() == [plan])
            let missing = await #expect(throws: StoreError.self) { try await f.store.plan("plan-2") }
            #expect(missing?.code == .notFound)
        }
    }

    @Test(arguments: Backend.allCases)
    func aCohortIsSavedOnlyIfItExists(backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            var cohort = TestSupport.cohort()
            cohort.tutors.append(.init(id: "t-two", name: "Tutor Two"))
            try await f.store.saveCohort(cohort)
            #expect(try await f.store.cohort("test-cohort") == cohort)
            let error = await #expect(throws: StoreError.self) { try await f.store.saveCohort(TestSupport.cohort("other-cohort")) }
            #expect(error?.code == .notFound)
        }
    }

    /// `senco dfe sync`'s marker and the DfE defaults are part of the cohort, in either store.
    @Test(arguments: Backend.allCases)
    func aCohortKeepsItsDfEDefaultsAndSyncMarker(backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            var cohort = TestSupport.cohort()
            cohort.dfe = Cohort.DfEDefaults(
                schedule: "npq-leadership-spring", cohort: 2025,
                deliveryPartner: "524df095-f9bf-4f9d-ba4c-772545a99e60")
            cohort.dfeSyncedSince = Date(timeIntervalSince1970: 1_790_000_000)
            try await f.store.saveCohort(cohort)
            #expect(try await f.store.cohort("test-cohort") == cohort)
            #expect(try await f.reopened().cohort("test-cohort").dfeSyncedSince == cohort.dfeSyncedSince)
        }
    }
}
