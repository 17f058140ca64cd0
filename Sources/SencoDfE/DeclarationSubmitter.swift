import Foundation
import SencoCore
import SencoData
import SencoStore

/// Sends a plan to the API and records each thing sent in its portfolio's log, so that each
/// milestone is declared, each outcome corrected and each withdrawal sent exactly once, even
/// across a crash between a request and its record, or a connection dropped after the API
/// recorded it: before posting for a participant, and before any retry whose first attempt may
/// have landed, it asks the API what it already holds, and records that instead of sending again.
public struct DeclarationSubmitter: Sendable {
    /// What became of an outcome correction or a withdrawal.
    public enum ItemResult: Sendable {
        /// Sent now and recorded; the text says what the API holds.
        case sent(String)
        /// Already held by the API: recorded, not sent again.
        case found(String)
        case failed(DfEError)
        /// The API has it but the portfolio could not be changed: the next run records it.
        case unrecorded(String)

        public var succeeded: Bool {
            switch self {
            case .sent, .found: true
            case .failed, .unrecorded: false
            }
        }
    }

    public struct Result: Sendable {
        /// Posted now and recorded.
        public var sent: [(DeclarationRequest, HeldDeclaration)] = []
        /// Already held by the API (an earlier run, or an attempt whose answer was lost): recorded, not posted.
        public var found: [(DeclarationRequest, HeldDeclaration)] = []
        /// Not declared, and why (one line each).
        public var failed: [(DeclarationRequest, DfEError)] = []
        /// The API accepted the declaration but the portfolio could not be changed: the next run
        /// finds it held and records it.
        public var unrecorded: [(DeclarationRequest, String)] = []
        public var outcomes: [(OutcomeRequest, ItemResult)] = []
        public var withdrawals: [(StatusChangeRequest, ItemResult)] = []
        /// Set when the run stopped early (401, 403): nothing more would have worked.
        public var stopped: DfEError?
        /// Participants not reached before the run's deadline, and how many requests they have:
        /// nothing was sent for them, and the next run sends it.
        public var notReached: [String] = []
        public var notReachedRequests = 0

        public var succeeded: Bool {
            failed.isEmpty && unrecorded.isEmpty && stopped == nil && notReached.isEmpty
                && outcomes.allSatisfy(\.1.succeeded) && withdrawals.allSatisfy(\.1.succeeded)
        }
    }

    let client: LeadProviderClient
    let store: any AsyncPortfolioRepository
    /// Who the log says recorded the declaration.
    let actor: String
    let now: @Sendable () -> Date

    public init(
        client: LeadProviderClient, store: any AsyncPortfolioRepository, actor: String = "senco",
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.client = client
        self.store = store
        self.actor = actor
        self.now = now
    }

    public func submit(_ requests: [DeclarationRequest]) async -> Result {
        await submit(DeclarationPlanner.Plan(requests: requests))
    }

    /// Sends everything the plan holds, one participant at a time: declarations first, then an
    /// outcome correction, then a withdrawal (which the API accepts only after `started`). With
    /// a `deadline`, no participant is begun after it; those left are listed in `notReached`.
    public func submit(_ plan: DeclarationPlanner.Plan, deadline: ContinuousClock.Instant? = nil) async -> Result {
        var result = Result()
        var order: [String] = []
        func note(_ participant: String) { if !order.contains(participant) { order.append(participant) } }
        for request in plan.requests { note(request.participant) }
        for request in plan.outcomes { note(request.participant) }
        for request in plan.withdrawals { note(request.participant) }
        for participant in order {
            let requests = plan.requests.filter { $0.participant == participant }
            let outcomes = plan.outcomes.filter { $0.participant == participant }
            let withdrawals = plan.withdrawals.filter { $0.participant == participant }
            if let stopped = result.stopped {
                result.failed += requests.map { ($0, stopped) }
                result.outcomes += outcomes.map { ($0, .failed(stopped)) }
                result.withdrawals += withdrawals.map { ($0, .failed(stopped)) }
                continue
            }
            if let deadline, ContinuousClock.now >= deadline {
                result.notReached.append(participant)
                result.notReachedRequests += requests.count + outcomes.count + withdrawals.count
                continue
            }
            // Nothing goes under a participant id the DfE has retired: ask first.
            let dfeID =
                requests.first?.dfeParticipantID ?? outcomes.first?.dfeParticipantID
                ?? withdrawals.first?.dfeParticipantID ?? ""
            if let refusal = await retired(dfeID, participant: participant, stopping: &result) {
                result.failed += requests.map { ($0, refusal) }
                result.outcomes += outcomes.map { ($0, .failed(refusal)) }
                result.withdrawals += withdrawals.map { ($0, .failed(refusal)) }
                continue
            }
            if !requests.isEmpty { await submit(requests, for: participant, into: &result) }
            for request in outcomes {
                if let stopped = result.stopped {
                    result.outcomes.append((request, .failed(stopped)))
                } else {
                    let item = await send(request, stopping: &result)
                    result.outcomes.append((request, item))
                }
            }
            for request in withdrawals {
                if let stopped = result.stopped {
                    result.withdrawals.append((request, .failed(stopped)))
                } else {
                    let item = await send(request, stopping: &result)
                    result.withdrawals.append((request, item))
                }
            }
        }
        return result
    }

    /// Why nothing may be sent under `dfeID`: the DfE retired it (and which id replaced it), or
    /// the API could not say. Nil: it is current.
    private func retired(_ dfeID: String, participant: String, stopping result: inout Result) async -> DfEError? {
        do {
            guard let replacement = try await client.replacement(for: dfeID) else { return nil }
            return DfEError(
                .participantReplaced,
                "the DfE has replaced \(participant)'s participant id \(dfeID) with \(replacement): nothing was sent under the old id; senco dfe pull (or import) follows the change",
                replacement: replacement)
        } catch {
            if error.code == .unauthorised || error.code == .forbidden { result.stopped = error }
            return error
        }
    }

    private func submit(_ requests: [DeclarationRequest], for participant: String, into result: inout Result) async {
        guard let dfeID = requests.first?.dfeParticipantID else { return }
        var held: [HeldDeclaration]
        do { held = try await client.declarations(forParticipant: dfeID) } catch {
            note(error, for: requests, into: &result)
            return
        }
        for request in requests {
            if result.stopped != nil {
                result.failed.append((request, result.stopped!))
                continue
            }
            if let existing = Self.match(request, in: held) {
                await record(request, existing, found: true, into: &result)
                continue
            }
            var attempt = 1
            var wait = client.retry.firstWait
            while true {
                do {
                    let accepted = try await client.postDeclaration(request)
                    await record(request, accepted, found: false, into: &result)
                    break
                } catch {
                    // Whether the API holds it now decides what happened: a 422 for a duplicate,
                    // or a dropped connection after the API recorded it, both end here.
                    if Self.uncertain(error), let refreshed = try? await client.declarations(forParticipant: dfeID) {
                        held = refreshed
                        if let existing = Self.match(request, in: held) {
                            await record(request, existing, found: true, into: &result)
                            break
                        }
                    }
                    guard error.code == .unavailable, attempt < client.retry.attempts else {
                        note(error, for: [request], into: &result)
                        break
                    }
                    try? await Task.sleep(for: wait)
                    wait = min(wait * 2, client.retry.longestWait)
                    attempt += 1
                }
            }
        }
    }

    /// An answer that leaves open whether the API recorded the request.
    static func uncertain(_ error: DfEError) -> Bool {
        error.code == .unavailable || error.code == .refused || error.code == .badResponse
    }

    private func note(_ error: DfEError, for requests: [DeclarationRequest], into result: inout Result) {
        if error.code == .unauthorised || error.code == .forbidden { result.stopped = error }
        result.failed += requests.map { ($0, error) }
    }

    /// A declaration the API holds that stands for `request`: same participant, type and course,
    /// and not voided.
    static func match(_ request: DeclarationRequest, in held: [HeldDeclaration]) -> HeldDeclaration? {
        held.first {
            $0.participantID == request.dfeParticipantID.lowercased() && $0.type == request.type.rawValue
                && $0.course == request.course
                && $0.counts
        }
    }

    /// Appends the `dfe-declared` entry, unless the log already has this declaration (a run
    /// that recorded it and then stopped): recording is idempotent as posting is. A completed
    /// declaration's entry also records the outcome the API made from it.
    private func record(_ request: DeclarationRequest, _ held: HeldDeclaration, found: Bool, into result: inout Result)
        async
    {
        let record = DeclarationRecord(type: request.type, dfeID: held.id, state: held.state)
        let outcome: OutcomeRecord? =
            request.type == .completed
            ? (held.hasPassed ?? request.hasPassed).map {
                OutcomeRecord(state: $0 ? "passed" : "failed", completionDate: held.date ?? Day(request.date))
            } : nil
        let entry = Activity(
            at: now().wholeSeconds, by: actor, role: .system, action: Portfolio.declaredAction,
            note: found ? "held by the DfE already" : "declared to the DfE", declaration: record, dfeOutcome: outcome)
        let problem = await append(entry, to: request.participant) {
            $0.declarationRecords[request.type]?.dfeID == held.id
        }
        if let problem {
            result.unrecorded.append((request, problem))
        } else if found {
            result.found.append((request, held))
        } else {
            result.sent.append((request, held))
        }
    }

    // MARK: Outcomes

    /// Posts an outcome correction unless the API's latest outcome already says it (asked
    /// first, and again before any retry whose first attempt may have landed).
    private func send(_ request: OutcomeRequest, stopping result: inout Result) async -> ItemResult {
        var held: [HeldOutcome]
        do { held = try await client.outcomes(forParticipant: request.dfeParticipantID) } catch {
            return stop(error, &result)
        }
        var attempt = 1
        var wait = client.retry.firstWait
        while true {
            if request.isHeld(in: held), let latest = HeldOutcome.latest(held) {
                return await record(request, latest, found: true)
            }
            do {
                return await record(request, try await client.postOutcome(request), found: false)
            } catch {
                guard Self.uncertain(error),
                    let refreshed = try? await client.outcomes(forParticipant: request.dfeParticipantID)
                else { return stop(error, &result) }
                held = refreshed
                if request.isHeld(in: held) { continue }
                guard error.code == .unavailable, attempt < client.retry.attempts else { return stop(error, &result) }
                try? await Task.sleep(for: wait)
                wait = min(wait * 2, client.retry.longestWait)
                attempt += 1
            }
        }
    }

    private func record(_ request: OutcomeRequest, _ held: HeldOutcome, found: Bool) async -> ItemResult {
        let entry = Activity(
            at: now().wholeSeconds, by: actor, role: .system, action: Portfolio.dfeOutcomeAction,
            note: found ? "outcome held by the DfE already" : "outcome sent to the DfE", dfeOutcome: held.record)
        let problem = await append(entry, to: request.participant) {
            $0.dfeOutcome?.state == held.state && $0.dfeOutcome?.completionDate == held.completionDate
        }
        let text = "\(held.state) on \(held.completionDate) (\(held.id))"
        if let problem { return .unrecorded(problem) }
        return found ? .found(text) : .sent(text)
    }

    // MARK: Withdrawals

    /// Sends a withdrawal (a PUT, which cannot change the status twice; a repeat is read back)
    /// and records the status the DfE then holds, clearing the withdrawal to send.
    private func send(_ request: StatusChangeRequest, stopping result: inout Result) async -> ItemResult {
        let answer: TrainingStatusResult
        do {
            answer = try await client.change(
                request.change, participant: request.dfeParticipantID, course: request.course)
        } catch { return stop(error, &result) }
        let at = now().wholeSeconds
        let status = TrainingStatusResult.record(answer, after: request.change, at: at)
        let (change, actor) = (request.change, actor)
        let problem = await append(
            nil, to: request.participant,
            also: { portfolio in portfolio.recordDfEStatus(answer, after: change, by: actor, at: at) },
            done: { $0.pendingDfEWithdrawal == nil })
        let text = "\(answer.status.rawValue) since \(status.since.map(Timestamp.string) ?? "now")"
        if let problem { return .unrecorded(problem) }
        return answer.alreadyHeld ? .found(text) : .sent(text)
    }

    private func stop(_ error: DfEError, _ result: inout Result) -> ItemResult {
        if error.code == .unauthorised || error.code == .forbidden { result.stopped = error }
        return .failed(error)
    }

    // MARK: Recording

    /// Appends `entry` (if any) to `participant`'s log and makes `also`'s change, unless `done`
    /// says the log already has it. A stale revision means someone changed the portfolio
    /// meanwhile: read it again and retry. Returns why it could not be recorded, or nil.
    private func append(
        _ entry: Activity?, to participant: String, also: @escaping @Sendable (inout Portfolio) -> Void = { _ in },
        done: @escaping @Sendable (Portfolio) -> Bool
    ) async -> String? {
        var lastProblem: String?
        for _ in 0..<3 {
            do {
                let current = try await store.portfolio(participant)
                if done(current) { return nil }
                try await store.update(participant, expectedRevision: current.revision) {
                    portfolio throws(StoreError) in
                    if let entry { portfolio.log.append(.activity(entry)) }
                    also(&portfolio)
                }
                return nil
            } catch {
                lastProblem = error.message
                if error.code != .staleRevision && error.code != .busy { break }
            }
        }
        return lastProblem
    }
}
