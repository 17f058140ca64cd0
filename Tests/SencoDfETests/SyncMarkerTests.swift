import Foundation
import SencoCore
import SencoData
import SencoDfE
import SencoDfEFake
import SencoStore
import Testing

/// `dfe sync` keeps where it got to in the store (the cohort's `dfeSync updatedSince`), so the
/// next sync asks only for what changed; `full` ignores it.
@Suite(.serialized)
struct SyncMarkerTests {
    static func declarationGets(_ fake: FakeLeadProviderAPI) async -> [String] {
        await fake.requests.filter { $0.hasPrefix("GET /api/v3/participant-declarations") }
    }

    @Test func theNextSyncAsksOnlyForWhatChangedSinceTheLast() async throws {
        try await DfEFakeSession.run(participants: 2) { session in
            _ = await session.submitter.submit(try session.fixture.plan())
            let cohort = session.fixture.cohort.id
            #expect(try session.fixture.store.cohort(cohort).dfeSyncedSince == nil)
            let before = Date()
            let first = try await session.ledger.sync(cohort: cohort)
            #expect(first.asked == nil, "never synced: everything")
            let marker = try #require(try session.fixture.store.cohort(cohort).dfeSyncedSince)
            #expect(first.kept == marker)
            #expect(
                marker <= before && marker >= before.addingTimeInterval(-DeclarationLedger.clockAllowance - 5),
                "just before the sync began, allowing for the API's clock")
            #expect(!(await Self.declarationGets(session.fake)).contains { $0.contains("updated_since") })

            // The DfE moves a declaration on; the next sync asks from the marker and finds it.
            let held = try #require(await session.fake.declarations.first)
            await session.fake.state.setState(held.id, to: "eligible")
            let second = try await session.ledger.sync(cohort: cohort)
            #expect(second.asked == marker)
            #expect(second.changes.map(\.to) == ["eligible"])
            let asked = await Self.declarationGets(session.fake).last ?? ""
            #expect(asked.contains("filter[updated_since]=\(Timestamp.string(marker))"), "\(asked)")
            #expect(try session.fixture.store.cohort(cohort).dfeSyncedSince! >= marker, "the marker moves on")
        }
    }

    @Test func fullReadsEverythingAndALaterSinceDoesNotMoveTheMarker() async throws {
        try await DfEFakeSession.run { session in
            _ = await session.submitter.submit(try session.fixture.plan())
            let cohort = session.fixture.cohort.id
            _ = try await session.ledger.sync(cohort: cohort)
            let marker = try #require(try session.fixture.store.cohort(cohort).dfeSyncedSince)
            // A window after the marker leaves changes before it unread: the marker stays.
            let later = try await session.ledger.sync(cohort: cohort, since: Date().addingTimeInterval(60))
            #expect(later.kept == nil)
            #expect(try session.fixture.store.cohort(cohort).dfeSyncedSince == marker)
            let full = try await session.ledger.sync(cohort: cohort, full: true)
            #expect(full.asked == nil && full.kept != nil)
            #expect(!((await Self.declarationGets(session.fake)).last ?? "x").contains("updated_since"))
        }
    }

    @Test func theMarkerIsPartOfTheCohortDocumentAndReadsBack() throws {
        let fixture = try DfEFixture.make(participants: 1, items: 1)
        var cohort = try fixture.store.cohort(fixture.cohort.id)
        cohort.dfeSyncedSince = Timestamp.date("2026-03-01T08:00:00Z")
        try fixture.store.saveCohort(cohort)
        let data = try PortfolioCodec.encode(cohort)
        #expect(String(decoding: data, as: UTF8.self).contains("<dfeSync updatedSince=\"2026-03-01T08:00:00Z\""))
        #expect(try fixture.store.cohort(fixture.cohort.id).dfeSyncedSince == cohort.dfeSyncedSince)
    }
}
