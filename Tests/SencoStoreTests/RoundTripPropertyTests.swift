import Foundation
import SencoCore
import SencoData
import SencoTestSupport
import Testing

@testable import SencoStore

/// Generated portfolios survive write → read unchanged, whatever their text holds.
struct RoundTripPropertyTests {
    @Test(arguments: 1...25)
    func generatedPortfoliosSurviveTheStore(seed: Int) throws {
        var generator = TestSupport.SeededGenerator(seed: UInt64(seed))
        let library = try TestSupport.library()
        let ids = try #require(library.framework(withID: "npq-senco-2023")).statements.map(\.id)
        var portfolio = TestSupport.generatedPortfolio(
            id: "p-gen-\(seed)", items: Int.random(in: 0...30, using: &generator), statementIDs: ids,
            generator: &generator)
        portfolio.stateNote = TestSupport.hostileText
        portfolio.participant.name = "Zoë O’Brien-Nakamura & <Co> \"quoted\""

        let data = try PortfolioCodec.encode(portfolio)
        let schemas = try TestSupport.schemas()
        #expect(try schemas.portfolio.validate(data).isEmpty, "the writer's output satisfies the schema")
        let decoded = try schemas.readPortfolio(data, source: "generated")
        #expect(decoded == portfolio)

        let root = try TestSupport.temporaryDirectory("roundtrip")
        let store = DirectoryStore(root: root, schemas: schemas)
        try store.createCohort(TestSupport.cohort())
        try store.create(portfolio)
        var expected = portfolio
        expected.revision = 1
        #expect(try store.portfolio(portfolio.id) == expected)
    }
}
