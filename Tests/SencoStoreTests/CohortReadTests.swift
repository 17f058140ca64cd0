import Foundation
import SencoCore
import SencoData
import SencoTestSupport
import Testing

@testable import SencoStore

/// A cohort is read on every core (issue 7), with the results and errors a sequential read gives.
struct CohortReadTests {
    @Test func readsEveryPortfolioInParticipantOrder() throws {
        let root = try TestSupport.temporaryDirectory("cohort-read")
        let store = DirectoryStore(root: root, schemas: try TestSupport.schemas())
        try store.createCohort(TestSupport.cohort())
        let ids = try TestSupport.library().framework(withID: "npq-senco-2023")!.statements.map(\.id)
        var generator = TestSupport.SeededGenerator(seed: 7)
        var expected: [Portfolio] = []
        for n in (1...24).shuffled(using: &generator) {
            let portfolio = TestSupport.generatedPortfolio(
                id: String(format: "p-%02d", n), items: n % 5, statementIDs: ids, generator: &generator)
            expected.append(try store.create(portfolio))
        }
        #expect(try store.portfolios(inCohort: "test-cohort") == expected.sorted { $0.id < $1.id })
        #expect(try store.mapPortfolios(inCohort: "test-cohort") { $0.id }.values == expected.map(\.id).sorted())

        // The completion report from rows made while streaming equals the one from the whole cohort.
        let framework = try #require(try TestSupport.library().framework(withID: "npq-senco-2023"))
        let rules = try TestSupport.schemas().rules
        let today = Day("2026-11-20")!
        let whole = CompletionReport(
            cohort: TestSupport.cohort(), portfolios: expected, framework: framework, rules: rules, today: today)
        let streamed = CompletionReport(
            cohort: TestSupport.cohort(), framework: framework,
            rows: try store.mapPortfolios(inCohort: "test-cohort") {
                CompletionReport.row(for: $0, framework: framework, rules: rules, today: today)
            }.values, today: today)
        #expect(streamed == whole)
    }

    @Test func reportsTheFirstBrokenPortfolioAsASequentialReadWould() throws {
        let root = try TestSupport.temporaryDirectory("cohort-read")
        let store = DirectoryStore(root: root, schemas: try TestSupport.schemas())
        try store.createCohort(TestSupport.cohort())
        for n in 1...16 {
            try store.create(Portfolio(participant: TestSupport.participant(String(format: "p-%02d", n)), frameworks: ["npq-senco-2023"], stateSince: Date(timeIntervalSince1970: 1_759_700_000)))
        }
        let directory = root.appendingPathComponent("cohorts/test-cohort/portfolios")
        for broken in ["p-13", "p-05", "p-09"] {
            try Data("<portfolio>".utf8).write(to: directory.appendingPathComponent("\(broken).xml"))
        }
        let error = #expect(throws: StoreError.self) { try store.portfolios(inCohort: "test-cohort") }
        #expect(error?.code == .invalidData)
        #expect(error?.message.contains("p-05.xml") == true, "the first broken file in participant order: \(error?.message ?? "")")
        // A whole-cohort report carries on: every broken file named, in order, and the rest read.
        let scan = try store.mapPortfolios(inCohort: "test-cohort") { $0.id }
        #expect(scan.problems.map(\.path) == ["p-05", "p-09", "p-13"].map { "cohorts/test-cohort/portfolios/\($0).xml" })
        #expect(scan.values.count == 13)
    }
}
