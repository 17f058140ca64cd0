import Foundation
import SencoCore
import SencoData
import SencoDfE
import SencoDfEFake
import SencoStore
import Testing

/// A withdrawal recorded in senco with the DfE's reason, sent later; and no declaration dated
/// after a withdrawal or during a deferral.
@Suite(.serialized)
struct WithdrawalTests {
    static let started = Date(timeIntervalSince1970: 1_759_708_800)  // 2025-10-06T00:00:00Z, the fixture's start

    @Test func aWithdrawalKeptToSendGoesAfterTheDeclarationsAndOnlyOnce() async throws {
        try await DfEFakeSession.run { session in
            try session.change("p-dfe-1") { portfolio in
                try? portfolio.withdraw(
                    by: "t-one", reason: "Left the school", dfeReason: "change-in-career", at: Date())
            }
            #expect(try session.portfolio("p-dfe-1").pendingDfEWithdrawal == "change-in-career")
            let plan = try session.fixture.plan()
            // Started was met before the withdrawal, so it is declared first: the API withdraws
            // only a participant with a started declaration.
            #expect(plan.requests.map(\.type) == [.started])
            let withdrawal = try #require(plan.withdrawals.first)
            #expect(TrainingStatusSchema.check(withdrawal.body, action: "withdraw").isEmpty)
            let result = await session.submitter.submit(plan)
            #expect(result.succeeded, "\(result.withdrawals.map(\.1)) \(result.failed.map(\.1.message))")
            #expect(await session.fake.state.trainingStatus(DfEFixture.dfeID(1)) == "withdrawn")
            let portfolio = try session.portfolio("p-dfe-1")
            #expect(portfolio.pendingDfEWithdrawal == nil, "sent, so no longer waiting")
            #expect(portfolio.participant.dfe?.trainingStatus == .withdrawn)
            #expect(portfolio.participant.dfe?.statusReason == "change-in-career")
            #expect(portfolio.participant.dfe?.statusSince != nil, "the DfE's withdrawal date")
            #expect(try session.fixture.plan().isEmpty)
            let puts = await session.fake.requests.filter { $0.hasPrefix("PUT") }
            #expect(puts.count == 1, "\(puts)")
        }
    }

    @Test func aWithdrawalTheAPIRefusesStaysToSend() async throws {
        try await DfEFakeSession.run { session in
            try session.change("p-dfe-1") { portfolio in
                try? portfolio.withdraw(by: "t-one", reason: "Left", dfeReason: "other", at: Date())
            }
            // Only the withdrawal, with no started declaration at the DfE: the API refuses it.
            let plan = DeclarationPlanner.Plan(withdrawals: try session.fixture.plan().withdrawals)
            let result = await session.submitter.submit(plan)
            guard case .failed(let error) = try #require(result.withdrawals.first?.1) else {
                Issue.record("refused: \(result.withdrawals.map(\.1))")
                return
            }
            #expect(error.message.contains("has not got a started declaration"), "\(error.message)")
            #expect(!result.succeeded)
            #expect(try session.portfolio("p-dfe-1").pendingDfEWithdrawal == "other")
        }
    }

    @Test func aWithdrawalWithoutADfEIDIsHeldWithALine() throws {
        let fixture = try DfEFixture.make(participants: 0, items: 2, withoutDfE: 1)
        let current = try fixture.store.portfolio("p-dfe-1")
        try fixture.store.update("p-dfe-1", expectedRevision: current.revision) { portfolio throws(StoreError) in
            try? portfolio.withdraw(by: "t-one", reason: "Left", dfeReason: "other", at: Date())
        }
        let plan = try fixture.plan()
        #expect(plan.withdrawals.isEmpty)
        #expect(
            plan.held.contains { $0.hasPrefix("p-dfe-1: withdrawn (DfE reason other), but with no DfE participant id") }
        )
    }

    /// The DfE held the participant withdrawn or deferred from `from` (and active again from `until`).
    func plan(_ status: DfEIdentity.TrainingStatus, from: String, until: String? = nil) throws
        -> DeclarationPlanner.Plan
    {
        let fixture = try DfEFixture.make(participants: 1, items: 2)
        let current = try fixture.store.portfolio("p-dfe-1")
        try fixture.store.update("p-dfe-1", expectedRevision: current.revision) { portfolio throws(StoreError) in
            let start = Timestamp.date(from)!
            portfolio.log.append(
                .activity(
                    Activity(
                        at: start, by: "senco", role: .system, action: Portfolio.dfeStatusAction,
                        trainingStatus: TrainingStatusRecord(status: status, since: start, reason: "other"))))
            portfolio.participant.dfe?.trainingStatus = status
            portfolio.participant.dfe?.statusSince = start
            if let until {
                let end = Timestamp.date(until)!
                portfolio.log.append(
                    .activity(
                        Activity(
                            at: end, by: "senco", role: .system, action: Portfolio.dfeStatusAction,
                            trainingStatus: TrainingStatusRecord(status: .active, since: end))))
                portfolio.participant.dfe?.trainingStatus = .active
                portfolio.participant.dfe?.statusSince = nil
            }
        }
        return try fixture.plan()
    }

    @Test func aDeclarationDatedBeforeTheWithdrawalIsSent() throws {
        let plan = try plan(.withdrawn, from: "2025-10-07T09:00:00Z")
        #expect(plan.requests.map(\.type) == [.started])
        #expect(plan.requests.first?.date == Self.started)
    }

    @Test func aDeclarationDatedAfterTheWithdrawalIsRefusedWithOneLine() throws {
        let plan = try plan(.withdrawn, from: "2025-10-05T09:00:00Z")
        #expect(plan.requests.isEmpty)
        #expect(
            plan.held == [
                "p-dfe-1: started would be dated 2025-10-06T00:00:00Z, after the DfE withdrawal on 2025-10-05T09:00:00Z, so it is not sent"
            ])
    }

    @Test func aDeclarationDuringADeferralIsRefusedUntilTheParticipantResumes() throws {
        let deferred = try plan(.deferred, from: "2025-10-05T09:00:00Z")
        #expect(deferred.requests.isEmpty)
        #expect(
            deferred.held.first?.contains("during the DfE deferral from 2025-10-05T09:00:00Z") == true,
            "\(deferred.held)")
        // Resumed: declared as of the resumption, never inside the deferral.
        let resumed = try plan(.deferred, from: "2025-10-05T09:00:00Z", until: "2025-11-03T10:00:00Z")
        #expect(resumed.requests.map(\.type) == [.started])
        #expect(resumed.requests.first.map { Timestamp.string($0.date) } == "2025-11-03T10:00:00Z")
    }

    @Test func aWithdrawalWithNoKnownDateHoldsEverythingBack() throws {
        let fixture = try DfEFixture.make(participants: 1, items: 2)
        let current = try fixture.store.portfolio("p-dfe-1")
        try fixture.store.update("p-dfe-1", expectedRevision: current.revision) { portfolio throws(StoreError) in
            portfolio.participant.dfe?.trainingStatus = .withdrawn
        }
        let plan = try fixture.plan()
        #expect(plan.requests.isEmpty)
        #expect(plan.held.first?.contains("withdrawn in the DfE's records since a date senco does not know") == true)
    }

    @Test func theAPIRefusesADeclarationDatedAfterTheWithdrawal() async throws {
        try await DfEFakeSession.run { session in
            let request = try #require(try session.fixture.plan().requests.first)
            _ = try await session.client.postDeclaration(request)
            _ = try await session.client.change(.withdraw(reason: "other"), participant: DfEFixture.dfeID(1))
            var late = request
            late.type = .retained1
            late.date = Date().addingTimeInterval(2)
            let refused = await #expect(throws: DfEError.self) { try await session.client.postDeclaration(late) }
            #expect(refused?.field == "participant_id")
            #expect(refused?.message.contains("withdrew from this course") == true, "\(refused?.message ?? "")")
        }
    }
}
