import Foundation
import SencoCore
import SencoData
import SencoStore
import SencoTestSupport
import Testing

/// A store written by the previous version keeps version 2 summaries, which lack the statement
/// lists: the first list of the cohort makes each again from its portfolio and keeps it.
struct SummaryVersionTests {
    @Test func aSummaryOfThePreviousVersionIsMadeAgainWithTheStatementLists() throws {
        let root = try TestSupport.temporaryDirectory("summary-version")
        defer { try? FileManager.default.removeItem(at: root) }
        let library = try TestSupport.library()
        let npq = try #require(library.framework(withID: "npq-senco-2023"))
        let schemas = try TestSupport.schemas()
        let store = DirectoryStore(root: root, schemas: schemas, summaryFramework: npq)
        try store.createCohort(TestSupport.cohort())
        var generator = TestSupport.SeededGenerator(seed: 11)
        let portfolio = TestSupport.generatedPortfolio(
            id: "p-old", items: 6, statementIDs: npq.statements.map(\.id), generator: &generator)
        try store.create(portfolio)
        let file = root.appendingPathComponent("cohorts/test-cohort/summaries/p-old.xml")
        let current = String(decoding: try Data(contentsOf: file), as: UTF8.self)
        #expect(current.contains("schemaVersion=\"3\"") && current.contains("<statements"))

        // As the previous version wrote it: version 2, no statement lists.
        let previous = current.replacingOccurrences(of: "schemaVersion=\"3\"", with: "schemaVersion=\"2\"")
            .replacingOccurrences(of: #"<statements[^>]*(/>|></statements>)"#, with: "", options: .regularExpression)
        try Data(previous.utf8).write(to: file)

        let fresh = DirectoryStore(root: root, schemas: schemas, summaryFramework: npq)
        let scan = try fresh.mapSummaries(inCohort: "test-cohort", framework: npq)
        let made = PortfolioSummary(portfolio: try store.portfolio("p-old"), framework: npq, rules: schemas.rules)
        #expect(scan.problems.isEmpty)
        #expect(scan.values == [made])
        #expect(!made.evidencedStatements.isEmpty)
        #expect(
            try schemas.readSummary(try Data(contentsOf: file), source: "p-old.xml") == made, "and kept for next time")
    }
}
