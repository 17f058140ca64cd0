import Foundation
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoStore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// Evidence mapped on the command line can carry a claim per statement; the web form shows one
/// claim. Saving the form with that claim left as it was must keep every statement's own claim;
/// rewriting it applies the new text to every ticked statement.
@Suite struct EvidenceClaimsTests {
    static let edit = "/portfolios/p-demo-01/evidence/e1"

    /// Maps e1 to 1.1 and 1.2 with claims of their own, as `senco map` would.
    static func mapWithTwoClaims(_ fixture: WebFixture) throws {
        let frameworks = try TestSupport.library().frameworks
        try StaleForm.elsewhere(fixture, "p-demo-01") { p in
            let mapped = p.mappings(forEvidence: "e1").map(\.statement)
            if !mapped.isEmpty {
                try p.unmap(evidence: "e1", from: mapped, by: "p-demo-01", role: .participant, at: StaleForm.elsewhereTime)
            }
            try p.map(
                evidence: "e1", to: ["1.1"], claim: "Claim for 1.1", frameworks: frameworks, by: "p-demo-01",
                role: .participant, at: StaleForm.elsewhereTime)
            try p.map(
                evidence: "e1", to: ["1.2"], claim: "Claim for 1.2", frameworks: frameworks, by: "p-demo-01",
                role: .participant, at: StaleForm.elsewhereTime)
        }
    }

    static func fields(claim: String) -> [(String, String)] {
        [
            ("title", "Reading log"), ("type", "reading-log"), ("date", "2026-05-05"), ("reflection", "What I read."),
            ("statement", "1.1"), ("statement", "1.2"), ("statement", "1.3"), ("claim", claim),
        ]
    }

    func claims(_ fixture: WebFixture) throws -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: try fixture.store.portfolio("p-demo-01").mappings(forEvidence: "e1").map {
                ($0.statement, $0.claim)
            })
    }

    @Test func aClaimLeftAsShownKeepsEachStatementsOwnClaim() async throws {
        let fixture = try WebFixture()
        try Self.mapWithTwoClaims(fixture)
        try await fixture.app().test(.router) { client in
            var participant = try await Browser.signIn(client, as: "participant")
            let page = String(buffer: try await participant.get(client, Self.edit).body)
            #expect(page.contains("each have a claim of their own"), "the form says only the first claim is shown")
            #expect(page.contains(">Claim for 1.1</textarea>"))
            let hidden = try StaleForm.hidden(page, action: Self.edit)
            let saved = try await participant.post(client, Self.edit, hidden + Self.fields(claim: "Claim for 1.1"))
            #expect(saved.status == .seeOther)
            #expect(
                try claims(fixture) == ["1.1": "Claim for 1.1", "1.2": "Claim for 1.2", "1.3": "Claim for 1.1"],
                "1.2 keeps its own claim; the newly ticked 1.3 takes the one in the box")
        }
    }

    @Test func aRewrittenClaimIsUsedForEveryTickedStatement() async throws {
        let fixture = try WebFixture()
        try Self.mapWithTwoClaims(fixture)
        try await fixture.app().test(.router) { client in
            var participant = try await Browser.signIn(client, as: "participant")
            let page = String(buffer: try await participant.get(client, Self.edit).body)
            let hidden = try StaleForm.hidden(page, action: Self.edit)
            let saved = try await participant.post(client, Self.edit, hidden + Self.fields(claim: "One claim for all"))
            #expect(saved.status == .seeOther)
            #expect(try claims(fixture) == ["1.1": "One claim for all", "1.2": "One claim for all", "1.3": "One claim for all"])
        }
    }

    @Test func oneClaimForAllIsNotCalledDifferent() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var participant = try await Browser.signIn(client, as: "participant")
            let page = String(buffer: try await participant.get(client, Self.edit).body)
            #expect(!page.contains("each have a claim of their own"))
        }
    }
}
