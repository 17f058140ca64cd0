import Foundation
import SencoCore
import SencoStore

/// Posts planned declarations and records each one in its portfolio's log, so that each
/// milestone is declared exactly once, even across a crash between a POST and its record, or a
/// connection dropped after the API recorded the declaration: before posting for a participant,
/// and before any retry whose first attempt may have landed, it asks the API what it already
/// holds, and records that instead of posting again.
public struct DeclarationSubmitter: Sendable {
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
        /// Set when the run stopped early (401, 403): nothing more would have worked.
        public var stopped: DfEError?

        public var succeeded: Bool { failed.isEmpty && unrecorded.isEmpty && stopped == nil }
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
        var result = Result()
        var order: [String] = []
        var byParticipant: [String: [DeclarationRequest]] = [:]
        for request in requests {
            if byParticipant[request.participant] == nil { order.append(request.participant) }
            byParticipant[request.participant, default: []].append(request)
        }
        for participant in order {
            let requests = byParticipant[participant] ?? []
            if let stopped = result.stopped {
                result.failed += requests.map { ($0, stopped) }
                continue
            }
            await submit(requests, for: participant, into: &result)
        }
        return result
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
                    let uncertain = error.code == .unavailable || error.code == .refused || error.code == .badResponse
                    if uncertain, let refreshed = try? await client.declarations(forParticipant: dfeID) {
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
    /// that recorded it and then stopped): recording is idempotent as posting is.
    private func record(_ request: DeclarationRequest, _ held: HeldDeclaration, found: Bool, into result: inout Result)
        async
    {
        let record = DeclarationRecord(type: request.type, dfeID: held.id, state: held.state)
        let at = now().wholeSeconds
        let actor = self.actor
        var lastProblem = ""
        // A stale revision means someone changed the portfolio meanwhile: read it again and retry.
        for _ in 0..<3 {
            do {
                let current = try await store.portfolio(request.participant)
                if current.declarationRecords[request.type]?.dfeID == held.id {
                    break
                }
                try await store.update(request.participant, expectedRevision: current.revision) {
                    portfolio throws(StoreError) in
                    portfolio.log.append(
                        .activity(
                            Activity(
                                at: at, by: actor, role: .system, action: Portfolio.declaredAction,
                                note: found ? "held by the DfE already" : "declared to the DfE", declaration: record)))
                }
                lastProblem = ""
                break
            } catch {
                lastProblem = error.message
                if error.code != .staleRevision && error.code != .busy { break }
            }
        }
        if !lastProblem.isEmpty {
            result.unrecorded.append((request, lastProblem))
        } else if found {
            result.found.append((request, held))
        } else {
            result.sent.append((request, held))
        }
    }
}
