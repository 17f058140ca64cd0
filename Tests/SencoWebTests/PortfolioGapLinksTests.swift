import Foundation
import Hummingbird
import HummingbirdTesting
import SencoCore
import Testing

@testable import SencoWeb

/// Each gap on a participant's own portfolio page leads to a new evidence form with that
/// statement already ticked; nobody else's view of the page offers it.
@Suite struct PortfolioGapLinksTests {
    @Test func aGapLinksToTheEvidenceFormWithItsStatementTicked() async throws {
        let fixture = try WebFixture()
        let portfolio = try fixture.store.portfolio("p-demo-01")
        #expect(portfolio.state.allowsParticipantChanges)
        try await fixture.app().test(.router) { client in
            var participant = try await Browser.signIn(client, as: "participant")
            let page = String(buffer: try await participant.get(client, "/portfolios/p-demo-01").body)
            let link = try #require(page.firstRange(of: #"/portfolios/p-demo-01/evidence/new?statement="#))
            let statement = String(page[link.upperBound...].prefix { $0 != "\"" })
            #expect(page.contains(">Add evidence for \(statement)</a>"))
            let form = String(
                buffer: try await participant.get(client, "/portfolios/p-demo-01/evidence/new?statement=\(statement)")
                    .body)
            #expect(
                form.contains(
                    #"value="\#(statement)" id="st-\#(statement.replacingOccurrences(of: ".", with: "-"))" checked"#),
                "the statement is ticked")

            var tutor = try await Browser.signIn(client, as: "tutor")
            let tutors = String(buffer: try await tutor.get(client, "/portfolios/p-demo-01").body)
            #expect(!tutors.contains("Add evidence for"), "only the participant adds evidence")
        }
    }
}
