import Foundation
import SencoCore
import SencoData
import SencoTestSupport
import Testing

/// Summary schema version 3 keeps which NPQ statements are evidenced and which sufficiently
/// (what a cohort's National Award table needs); a summary of an earlier version is refused,
/// so the stores make it again from the portfolio rather than trust it.
struct SummaryStatementsCodecTests {
    func summary() throws -> PortfolioSummary {
        let schemas = try TestSupport.schemas()
        let framework = try #require(try TestSupport.library().framework(withID: "npq-senco-2023"))
        var generator = TestSupport.SeededGenerator(seed: 7)
        let portfolio = TestSupport.generatedPortfolio(
            items: 12, reflectionLength: 200, statementIDs: framework.statements.map(\.id), generator: &generator)
        return PortfolioSummary(portfolio: portfolio, framework: framework, rules: schemas.rules)
    }

    @Test func theStatementListsRoundTripThroughTheSchema() throws {
        let schemas = try TestSupport.schemas()
        let original = try summary()
        #expect(
            !original.evidencedStatements.isEmpty && !original.sufficientStatements.isEmpty, "a portfolio with both")
        #expect(original.sufficientStatements.count < original.evidencedStatements.count, "and some thin evidence")
        #expect(Set(original.sufficientStatements).isSubset(of: Set(original.evidencedStatements)))
        let data = try PortfolioCodec.encode(original)
        #expect(String(decoding: data, as: UTF8.self).contains("schemaVersion=\"3\""))
        #expect(try schemas.readSummary(data, source: "s.xml") == original)
    }

    @Test func anEmptyPortfolioHasEmptyLists() throws {
        let schemas = try TestSupport.schemas()
        let framework = try #require(try TestSupport.library().framework(withID: "npq-senco-2023"))
        let empty = PortfolioSummary(
            portfolio: Portfolio(
                revision: 1, participant: TestSupport.participant(), frameworks: ["npq-senco-2023"],
                stateSince: Date(timeIntervalSince1970: 0)),
            framework: framework, rules: schemas.rules)
        let read = try schemas.readSummary(try PortfolioCodec.encode(empty), source: "s.xml")
        #expect(read.evidencedStatements.isEmpty && read.sufficientStatements.isEmpty)
    }

    @Test func aSummaryOfAnEarlierVersionIsRefused() throws {
        let schemas = try TestSupport.schemas()
        let text = String(decoding: try PortfolioCodec.encode(try summary()), as: UTF8.self)
        let older = text.replacingOccurrences(of: "schemaVersion=\"3\"", with: "schemaVersion=\"2\"")
        #expect(older != text)
        #expect(throws: DataError.self) { try schemas.readSummary(Data(older.utf8), source: "old.xml") }
        // Version 2 had no statement lists: without them the document fails its schema.
        let withoutLists = text.replacingOccurrences(
            of: #"<statements[^>]*(/>|></statements>)"#, with: "", options: .regularExpression)
        #expect(withoutLists != text)
        #expect(throws: DataError.self) { try schemas.readSummary(Data(withoutLists.utf8), source: "old.xml") }
    }
}
