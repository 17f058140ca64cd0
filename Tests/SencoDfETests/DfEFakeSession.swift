import Foundation
import SencoCore
import SencoDfE
import SencoDfEFake
import SencoStore
import Testing

/// A fixture, a started fake with the fixture's participants enrolled, and a client for it:
/// everything a test against the loopback API needs, stopped afterwards whatever happens.
struct DfEFakeSession {
    let fixture: DfEFixture
    let fake: FakeLeadProviderAPI
    let client: LeadProviderClient

    static func run(
        participants: Int = 1, items: Int = 2, retry: RetryPolicy = quickRetry,
        _ body: (DfEFakeSession) async throws -> Void
    ) async throws {
        let fixture = try DfEFixture.make(participants: participants, items: items)
        let fake = try await FakeLeadProviderAPI.start()
        for n in 1...participants { await fake.enrol(DfEFixture.dfeID(n)) }
        let client = try LeadProviderClient(
            baseURL: fake.baseURL, token: try LeadProviderToken(fake.token), retry: retry)
        let session = DfEFakeSession(fixture: fixture, fake: fake, client: client)
        do { try await body(session) } catch {
            await client.shutdown()
            await fake.stop()
            throw error
        }
        let violations = await fake.violations
        #expect(violations.isEmpty, "every request as the document describes it: \(violations)")
        await client.shutdown()
        await fake.stop()
    }

    var submitter: DeclarationSubmitter { DeclarationSubmitter(client: client, store: fixture.asyncStore) }
    var ledger: DeclarationLedger { DeclarationLedger(client: client, store: fixture.asyncStore) }

    /// Changes a portfolio in the store directly (what `signoff`, `reopen` and the like record).
    func change(_ participant: String, _ body: @escaping @Sendable (inout Portfolio) -> Void) throws {
        let current = try fixture.store.portfolio(participant)
        try fixture.store.update(participant, expectedRevision: current.revision) { portfolio throws(StoreError) in
            body(&portfolio)
        }
    }

    /// Signs the portfolio off (as the log records a sign-off) with `outcome`, `ago` seconds ago.
    func signOff(_ participant: String, _ outcome: Outcome, ago: TimeInterval = 120) throws {
        let at = Date().addingTimeInterval(-ago).wholeSeconds
        try change(participant) { portfolio in
            if portfolio.state == .signedOff {
                portfolio.log.append(
                    .activity(Activity(at: at, by: "t-one", role: .tutor, action: "reopened", note: "Reopened: test")))
            }
            portfolio.state = .signedOff
            portfolio.stateSince = at
            portfolio.log.append(
                .activity(
                    Activity(
                        at: at, by: "t-one", role: .tutor, action: "signed-off", outcome: outcome,
                        note: "Signed off: \(outcome.rawValue)")))
        }
    }

    func portfolio(_ participant: String) throws -> Portfolio { try fixture.store.portfolio(participant) }

    func posts(to path: String) async -> Int {
        await fake.requests.filter { $0.hasPrefix("POST \(path)") }.count
    }
}
