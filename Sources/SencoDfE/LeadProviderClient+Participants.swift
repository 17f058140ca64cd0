import Foundation
import NIOHTTP1
import SencoCore

extension LeadProviderClient {
    /// `GET /api/v3/participants/npq/{id}`: one participant as the API holds it now.
    public func participant(id dfeID: String) async throws(DfEError) -> DfEParticipant {
        if let problem = DfEIdentity.uuidProblem(dfeID, field: "DfE participant id") { throw DfEError(.input, problem) }
        let path = "/api/v3/participants/npq/\(dfeID.lowercased())"
        let (status, body) = try await send(.GET, path: path, body: nil, retryUncertain: true)
        guard status == 200 else { throw failure(status: status, body: body, what: "participant \(dfeID)") }
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
            let data = object["data"] as? [String: Any]
        else { throw DfEError(.badResponse, "the API's answer to GET \(path) is not a participant") }
        return try DfEParticipant.parse(data, place: "the API's answer to GET \(path)")
    }

    /// The DfE participant id that replaced `dfeID`, if the DfE has retired it
    /// (`GET /api/v3/participants/npq?filter[from_participant_id]=…`: the participant whose
    /// `participant_id_changes` name it), or nil while it is current.
    public func replacement(for dfeID: String) async throws(DfEError) -> String? {
        if let problem = DfEIdentity.uuidProblem(dfeID, field: "DfE participant id") { throw DfEError(.input, problem) }
        let id = dfeID.lowercased()
        let pages = try await pages(path: "/api/v3/participants/npq", filter: ["from_participant_id": id])
        for (index, page) in pages.enumerated() {
            for participant in try DfEParticipant.read(page, file: "GET /api/v3/participants/npq page \(index + 1)")
            where participant.id != id && participant.idChanges.contains(where: { $0.from == id }) {
                return participant.id
            }
        }
        return nil
    }

    // MARK: Outcomes

    /// `GET /api/v3/participants/npq/{id}/outcomes`, every page.
    public func outcomes(forParticipant dfeID: String) async throws(DfEError) -> [HeldOutcome] {
        if let problem = DfEIdentity.uuidProblem(dfeID, field: "DfE participant id") { throw DfEError(.input, problem) }
        return try await pages(path: "/api/v3/participants/npq/\(dfeID.lowercased())/outcomes", filter: [:]).flatMap(
            Self.outcomes(inPage:))
    }

    /// `GET /api/v3/participants/npq/outcomes` (with `filter[created_since]`), every page.
    public func outcomes(createdSince: Date?) async throws(DfEError) -> [HeldOutcome] {
        let filter = createdSince.map { ["created_since": DeclarationRequest.rfc3339($0)] } ?? [:]
        return try await pages(path: "/api/v3/participants/npq/outcomes", filter: filter).flatMap(
            Self.outcomes(inPage:))
    }

    /// `POST /api/v3/participants/npq/{id}/outcomes`. Not retried here after a dropped connection
    /// or a 5xx: the API may have recorded it, so the caller asks before trying again.
    public func postOutcome(_ request: OutcomeRequest) async throws(DfEError) -> HeldOutcome {
        let (status, body) = try await send(.POST, path: request.path, body: request.body, retryUncertain: false)
        guard status == 200 || status == 201 else {
            throw failure(status: status, body: body, what: "\(request.participant) outcome")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
            let data = object["data"] as? [String: Any], let held = HeldOutcome.parse(data)
        else {
            throw DfEError(
                .badResponse, "the API accepted \(request.participant)'s outcome but its answer is not an outcome")
        }
        return held
    }

    static func outcomes(inPage body: Data) -> [HeldOutcome] {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
            let data = object["data"] as? [[String: Any]]
        else { return [] }
        return data.compactMap(HeldOutcome.parse)
    }
}
