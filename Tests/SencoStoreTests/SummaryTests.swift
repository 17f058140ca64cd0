import Foundation
import SencoCore
import SencoData
import SencoStore
import SencoTestSupport
import Testing

/// Summaries kept beside portfolios: after every kind of change the stored summary equals one
/// made from the portfolio, the completion row from it equals the row from the portfolio, and a
/// summary of another revision (a crash between the two writes) is never trusted.
@Suite struct SummaryTests {
    let root: URL
    let store: DirectoryStore
    let npq: Framework
    let rules: EvidenceRules

    init() throws {
        root = try TestSupport.temporaryDirectory("summaries")
        let library = try TestSupport.library()
        npq = try #require(library.framework(withID: "npq-senco-2023"))
        let schemas = try TestSupport.schemas()
        rules = schemas.rules
        store = DirectoryStore(root: root, schemas: schemas, summaryFramework: npq)
        try store.createCohort(TestSupport.cohort())
    }

    func storedSummary(_ id: String) throws -> PortfolioSummary {
        let data = try Data(contentsOf: root.appendingPathComponent("cohorts/test-cohort/summaries/\(id).xml"))
        return try store.schemas.readSummary(data, source: id)
    }

    func expectSummaryMatches(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let portfolio = try store.portfolio(id)
        let made = PortfolioSummary(portfolio: portfolio, framework: npq, rules: rules)
        #expect(try storedSummary(id) == made, "the stored summary is the portfolio's", sourceLocation: sourceLocation)
        let today = Day("2027-06-01")!
        #expect(
            CompletionReport.row(for: made, today: today) == CompletionReport.row(for: portfolio, framework: npq, rules: rules, today: today),
            "the report's row is the same from either", sourceLocation: sourceLocation)
    }

    @Test func everyKindOfChangeKeepsTheSummaryEqualToTheRecomputation() throws {
        let now = Date().wholeSeconds
        var participant = TestSupport.participant("p-sum")
        participant.name = TestSupport.hostileText
        try store.create(Portfolio(participant: participant, frameworks: ["npq-senco-2023"], stateSince: now))
        try expectSummaryMatches("p-sum")

        let reflection = String(repeating: "I led the review of our register with colleagues & families. ", count: 8)
        var revision = 1
        func change(_ body: @escaping (inout Portfolio) throws(RuleError) -> Void) throws {
            let updated = try store.update("p-sum", expectedRevision: revision) { (p: inout Portfolio) throws(StoreError) in
                do throws(RuleError) { try body(&p) } catch { throw StoreError(.invalidInput, error.message) }
            }
            revision = updated.revision
            try expectSummaryMatches("p-sum")
        }
        let frameworks = try TestSupport.library().frameworks
        try change { (p: inout Portfolio) throws(RuleError) in
            try p.addEvidence(
                EvidenceItem(id: "e1", title: "Register", type: "reflective-account", date: Day("2025-10-10")!, reflection: reflection, added: now),
                by: "p-sum", role: .participant, rules: rules, at: now)
        }
        try change { (p: inout Portfolio) throws(RuleError) in
            try p.map(evidence: "e1", to: ["1.1", "2.1", "2.a"], claim: "c", frameworks: frameworks, by: "p-sum", role: .participant, at: now)
        }
        try change { (p: inout Portfolio) throws(RuleError) in try p.submit(by: "p-sum", at: now) }
        try change { (p: inout Portfolio) throws(RuleError) in
            try p.judge(statement: "1.1", status: .met, feedback: "", assessor: "t-one", frameworks: frameworks, at: now)
        }
        try change { (p: inout Portfolio) throws(RuleError) in
            try p.signOff(by: "t-one", outcome: .failed, reason: "Did not finish", framework: npq, at: now)
        }
        try change { (p: inout Portfolio) throws(RuleError) in try p.reopen(by: "t-one", role: .tutor, reason: "Query", at: now) }
        try change { (p: inout Portfolio) throws(RuleError) in try p.withdraw(by: "prov", reason: "Moved school", at: now) }
        let summary = try storedSummary("p-sum")
        #expect(summary.state == .withdrawn && summary.total.evidenced == 3 && summary.evidenceCount == 1)
        #expect(summary.participant.name == TestSupport.hostileText, "text survives the summary's XML")
    }

    @Test func aSummaryOfAnotherRevisionIsMadeAgainAndCheckCallsItDebris() throws {
        let now = Date().wholeSeconds
        try store.create(Portfolio(participant: TestSupport.participant("p-a"), frameworks: ["npq-senco-2023"], stateSince: now))
        try store.create(Portfolio(participant: TestSupport.participant("p-b"), frameworks: ["npq-senco-2023"], stateSince: now))
        let summaries = root.appendingPathComponent("cohorts/test-cohort/summaries")
        let old = try Data(contentsOf: summaries.appendingPathComponent("p-a.xml"))
        try store.update("p-a", expectedRevision: 1) { (p: inout Portfolio) throws(StoreError) in p.stateNote = "changed" }
        // As if the process died after writing the portfolio and before its summary.
        try old.write(to: summaries.appendingPathComponent("p-a.xml"))
        #expect(try storedSummary("p-a").revision == 1)

        let problems = try store.check()
        #expect(problems.map(\.path) == ["cohorts/test-cohort/summaries/p-a.xml"])
        #expect(problems.first?.kind == .debris)

        let scan = try store.mapSummaries(inCohort: "test-cohort", framework: npq)
        #expect(scan.problems.isEmpty)
        #expect(scan.values.map(\.id) == ["p-a", "p-b"])
        #expect(scan.values.first?.revision == 2, "made again from the portfolio, not trusted")
        #expect(try storedSummary("p-a").revision == 2, "and kept for next time")
        #expect(try store.check().isEmpty)
    }

    /// A server keeps the summaries it has read; a portfolio written by anyone else (another
    /// process, a restore from backup) is a new file, so the server reads it again.
    @Test func summariesKeptInMemoryFollowWritesByOtherProcesses() throws {
        let now = Date().wholeSeconds
        try store.create(Portfolio(participant: TestSupport.participant("p-a"), frameworks: ["npq-senco-2023"], stateSince: now))
        try store.create(Portfolio(participant: TestSupport.participant("p-b"), frameworks: ["npq-senco-2023"], stateSince: now))
        #expect(try store.mapSummaries(inCohort: "test-cohort", framework: npq).values.map(\.revision) == [1, 1])

        // Another process (its own store value, its own memory) changes p-a twice.
        let other = DirectoryStore(root: root, schemas: store.schemas, summaryFramework: npq)
        try other.update("p-a", expectedRevision: 1) { (p: inout Portfolio) throws(StoreError) in p.stateNote = "one" }
        try other.update("p-a", expectedRevision: 2) { (p: inout Portfolio) throws(StoreError) in p.stateNote = "two" }
        #expect(try store.mapSummaries(inCohort: "test-cohort", framework: npq).values.map(\.revision) == [3, 1])

        // A restore puts back an older file, with its older summary: the server follows it.
        let file = root.appendingPathComponent("cohorts/test-cohort/portfolios/p-b.xml")
        let older = try Data(contentsOf: file)
        try store.update("p-b", expectedRevision: 1) { (p: inout Portfolio) throws(StoreError) in p.stateNote = "three" }
        #expect(try store.mapSummaries(inCohort: "test-cohort", framework: npq).values.map(\.revision) == [3, 2])
        let restored = root.appendingPathComponent("cohorts/test-cohort/portfolios/.restore")
        try older.write(to: restored)
        #expect(rename(restored.path, file.path) == 0)
        #expect(try store.mapSummaries(inCohort: "test-cohort", framework: npq).values.map(\.revision) == [3, 1])
    }

    /// A portfolio file cut short after its summary was made keeps its first bytes (and so its
    /// revision); its end gives it away, and the list names it instead of trusting the summary.
    @Test func aPortfolioCutShortIsNamedEvenWithACurrentSummary() throws {
        let now = Date().wholeSeconds
        try store.create(Portfolio(participant: TestSupport.participant("p-a"), frameworks: ["npq-senco-2023"], stateSince: now))
        try store.create(Portfolio(participant: TestSupport.participant("p-b"), frameworks: ["npq-senco-2023"], stateSince: now))
        #expect(try store.mapSummaries(inCohort: "test-cohort", framework: npq).values.count == 2)
        let file = root.appendingPathComponent("cohorts/test-cohort/portfolios/p-b.xml")
        let whole = try Data(contentsOf: file)
        let fresh = DirectoryStore(root: root, schemas: store.schemas, summaryFramework: npq)
        try whole.prefix(whole.count - 20).write(to: file)
        for reader in [store, fresh] {
            let scan = try reader.mapSummaries(inCohort: "test-cohort", framework: npq)
            #expect(scan.values.map(\.id) == ["p-a"])
            #expect(scan.problems.map(\.path) == ["cohorts/test-cohort/portfolios/p-b.xml"])
        }
    }

    @Test func aStoreWithoutSummariesGetsThemOnFirstReadAndReportsDamageAsBefore() throws {
        let plain = DirectoryStore(root: root, schemas: store.schemas)
        let now = Date().wholeSeconds
        for id in ["p-1", "p-2", "p-3"] {
            try plain.create(Portfolio(participant: TestSupport.participant(id), frameworks: ["npq-senco-2023"], stateSince: now))
        }
        let summaries = root.appendingPathComponent("cohorts/test-cohort/summaries")
        #expect(!FileManager.default.fileExists(atPath: summaries.path), "a store without a framework keeps none")
        try Data("<portfolio".utf8).write(to: root.appendingPathComponent("cohorts/test-cohort/portfolios/p-2.xml"))
        let scan = try plain.mapSummaries(inCohort: "test-cohort", framework: npq)
        #expect(scan.values.map(\.id) == ["p-1", "p-3"])
        #expect(scan.problems.map(\.path) == ["cohorts/test-cohort/portfolios/p-2.xml"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: summaries.path).sorted() == ["p-1.xml", "p-3.xml"])
    }
}
