import Foundation
import SencoCore

/// One participant of a `GET /api/v3/participants/npq` response (`Participant` in the OpenAPI
/// document): the DfE's id, the teacher's details and their enrolments.
public struct DfEParticipant: Sendable, Hashable {
    public struct Enrolment: Sendable, Hashable {
        public var course: String
        public var schedule: String?
        public var cohort: Int?
        public var trainingStatus: DfEIdentity.TrainingStatus
        public var fundedPlace: Bool?
        public var email: String?
        public var schoolURN: String?
        /// The enrolment's `withdrawal` or `deferral` (whichever its training status is): the
        /// DfE's reason and when it was recorded.
        public var statusReason: String?
        public var statusSince: Date?
    }

    /// One of `participant_id_changes`: the DfE retired `from` and keeps everything under `to`.
    public struct IDChange: Sendable, Hashable {
        public var from: String
        public var to: String
        public var at: Date?
    }

    public var id: String
    public var fullName: String
    public var trn: String?
    public var enrolments: [Enrolment]
    public var idChanges: [IDChange] = []

    /// The DfE ids this participant was known by before the DfE merged them into `id`.
    public var retiredIDs: [String] { idChanges.filter { $0.to == id && $0.from != id }.map(\.from) }

    /// Every participant in a saved response: one page, or pages written one after another.
    /// A resource that does not have the document's shape is an error naming the page and
    /// item, and nothing is imported.
    public static func read(_ data: Data, file: String) throws(DfEError) -> [DfEParticipant] {
        let documents = JSONDocuments.split(data)
        guard !documents.isEmpty else { throw DfEError(.input, "\(file): no JSON in the file") }
        var participants: [DfEParticipant] = []
        for (pageIndex, document) in documents.enumerated() {
            let page = "page \(pageIndex + 1)"
            guard let object = (try? JSONSerialization.jsonObject(with: document)) as? [String: Any] else {
                throw DfEError(.input, "\(file), \(page): not a JSON object")
            }
            guard let items = object["data"] as? [[String: Any]] else {
                throw DfEError(
                    .input, "\(file), \(page): no \"data\" list (is this a GET /api/v3/participants/npq response?)")
            }
            for (index, item) in items.enumerated() {
                participants.append(try parse(item, place: "\(file), \(page), data[\(index)]"))
            }
        }
        return participants
    }

    public static func parse(_ item: [String: Any], place: String) throws(DfEError) -> DfEParticipant {
        guard item["type"] as? String == "npq-participant" else {
            throw DfEError(.input, "\(place): type is not npq-participant")
        }
        guard let id = item["id"] as? String, DfEIdentity.uuidProblem(id, field: "id") == nil else {
            throw DfEError(.input, "\(place): id is not a UUID")
        }
        guard let attributes = item["attributes"] as? [String: Any] else {
            throw DfEError(.input, "\(place): no attributes")
        }
        let trn = attributes["teacher_reference_number"] as? String
        if let trn, trn.count != 7 || !trn.allSatisfy({ $0.isASCII && $0.isNumber }) {
            throw DfEError(.input, "\(place): teacher_reference_number is not 7 digits")
        }
        var enrolments: [Enrolment] = []
        for (index, raw) in ((attributes["npq_enrolments"] as? [[String: Any]]) ?? []).enumerated() {
            let at = "\(place).npq_enrolments[\(index)]"
            guard let course = raw["course_identifier"] as? String else {
                throw DfEError(.input, "\(at): no course_identifier")
            }
            guard let statusText = raw["training_status"] as? String,
                let status = DfEIdentity.TrainingStatus(rawValue: statusText)
            else {
                throw DfEError(.input, "\(at): training_status is not active, deferred or withdrawn")
            }
            // `cohort` is a string of a year in the document ("2022"); a number is taken too.
            let cohort = (raw["cohort"] as? String).flatMap { Int($0) } ?? (raw["cohort"] as? NSNumber)?.intValue
            // `withdrawal` and `deferral`: `{reason, date}` or null; the one that matches the status counts.
            let detail = raw[status == .withdrawn ? "withdrawal" : "deferral"] as? [String: Any]
            let reason = status == .active ? nil : (detail?["reason"] as? String)
            if let reason, !TrainingStatusChange.reasons(for: status).contains(reason) {
                throw DfEError(.input, "\(at): \(status.rawValue) reason is not one of the document's values")
            }
            let since = status == .active ? nil : (detail?["date"] as? String).flatMap(Self.dateTime)
            enrolments.append(
                Enrolment(
                    course: course, schedule: raw["schedule_identifier"] as? String, cohort: cohort,
                    trainingStatus: status,
                    fundedPlace: raw["funded_place"] as? Bool, email: raw["email"] as? String,
                    schoolURN: raw["school_urn"] as? String, statusReason: reason, statusSince: since))
        }
        var changes: [IDChange] = []
        for (index, raw) in ((attributes["participant_id_changes"] as? [[String: Any]]) ?? []).enumerated() {
            guard let from = raw["from_participant_id"] as? String, let to = raw["to_participant_id"] as? String,
                DfEIdentity.uuidProblem(from, field: "") == nil, DfEIdentity.uuidProblem(to, field: "") == nil
            else {
                throw DfEError(.input, "\(place).participant_id_changes[\(index)]: the ids are not UUIDs")
            }
            changes.append(
                IDChange(
                    from: from.lowercased(), to: to.lowercased(),
                    at: (raw["changed_at"] as? String).flatMap(Self.dateTime)))
        }
        return DfEParticipant(
            id: id.lowercased(), fullName: (attributes["full_name"] as? String) ?? "", trn: trn, enrolments: enrolments,
            idChanges: changes)
    }

    /// A `format: date-time` value (RFC 3339, with or without fractions of a second).
    static func dateTime(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// What importing a participants response into one senco cohort would do, worked out in full
/// before anything is written.
public struct ParticipantImportPlan: Sendable {
    public var creates: [Portfolio] = []
    /// Existing participants whose DfE identity (or TRN) changes, as they will be.
    public var updates: [Participant] = []
    public var unchanged: [String] = []
    /// Updated participants whose DfE id the DfE retired in favour of another
    /// (`participant_id_changes`): senco participant id → the retired DfE id. They keep the new one.
    public var idChanges: [String: String] = [:]
    /// Listed, not guessed: a TRN held under another DfE id, a participant already in another cohort.
    public var conflicts: [String] = []
    /// Enrolments the provider did not choose (another course or DfE cohort).
    public var skipped: [String] = []

    /// - Parameters:
    ///   - existing: every portfolio's participant in the store (all cohorts), to match on DfE id and TRN.
    public init(
        participants: [DfEParticipant], cohort: Cohort, tutor: String, dfeCohort: Int,
        course: String = DfEIdentity.sencoCourse,
        existing: [Participant], frameworks: [String], now: Date
    ) {
        var byDfE: [String: Participant] = [:]
        var byTRN: [String: Participant] = [:]
        var usedIDs = Set(existing.map(\.id))
        for participant in existing {
            if let dfe = participant.dfe { byDfE[dfe.participantID] = participant }
            if let trn = participant.trn { byTRN[trn] = participant }
        }
        var seen = Set<String>()
        for incoming in participants {
            // Pages concatenated may overlap (a participant updated between two page reads): the last wins.
            guard seen.insert(incoming.id).inserted else { continue }
            guard let enrolment = incoming.enrolments.first(where: { $0.course == course && $0.cohort == dfeCohort })
            else {
                let courses = incoming.enrolments.map { "\($0.course) \($0.cohort.map(String.init) ?? "?")" }.joined(
                    separator: ", ")
                skipped.append(
                    "\(incoming.id): no \(course) enrolment in DfE cohort \(dfeCohort) (has \(courses.isEmpty ? "none" : courses))"
                )
                continue
            }
            if let schedule = enrolment.schedule, DfEIdentity.scheduleProblem(schedule, field: "schedule") != nil {
                conflicts.append("\(incoming.id): schedule \(schedule) is not an NPQ for SENCOs schedule")
                continue
            }
            let identity = DfEIdentity(
                participantID: incoming.id, course: course, schedule: enrolment.schedule, cohort: enrolment.cohort,
                deliveryPartner: nil, fundedPlace: enrolment.fundedPlace, trainingStatus: enrolment.trainingStatus,
                statusSince: enrolment.statusSince, statusReason: enrolment.statusReason)
            let retired = Set(incoming.retiredIDs)
            if let trn = incoming.trn, let holder = byTRN[trn], let held = holder.dfe?.participantID,
                held != incoming.id, !retired.contains(held)
            {
                conflicts.append("\(incoming.id): TRN \(trn) is already \(holder.id)'s, under DfE id \(held)")
                continue
            }
            // The DfE merged duplicates into this id: whoever holds a retired one follows it, unless
            // two senco participants would become one, which only a person can decide.
            var holders: [Participant] = []
            for candidate in [byDfE[incoming.id]] + incoming.retiredIDs.sorted().map({ byDfE[$0] }) {
                if let candidate, !holders.contains(where: { $0.id == candidate.id }) { holders.append(candidate) }
            }
            if holders.count > 1 {
                conflicts.append(
                    "\(incoming.id): the DfE merged the DfE ids of \(holders.map(\.id).joined(separator: " and ")) into this one; merge them by hand"
                )
                continue
            }
            if let current = holders.first
                ?? incoming.trn.flatMap({ byTRN[$0] }).flatMap({ $0.dfe == nil ? $0 : nil })
            {
                if current.cohort != cohort.id {
                    conflicts.append(
                        "\(incoming.id): already \(current.id) in cohort \(current.cohort), not \(cohort.id)")
                    continue
                }
                var updated = current
                // The delivery partner is the provider's choice, not the API's: keep what senco has.
                var merged = identity
                merged.deliveryPartner = current.dfe?.deliveryPartner
                // A status the API gives no date for keeps the date senco had for the same status.
                if merged.statusSince == nil, current.dfe?.trainingStatus == merged.trainingStatus {
                    merged.statusSince = current.dfe?.statusSince
                }
                updated.dfe = merged
                updated.trn = incoming.trn ?? current.trn
                if let old = current.dfe?.participantID, old != incoming.id { idChanges[current.id] = old }
                if updated == current { unchanged.append(current.id) } else { updates.append(updated) }
                continue
            }
            if let taken = incoming.retiredIDs.first(where: { byDfE[$0] != nil }) {
                conflicts.append("\(incoming.id): its retired id \(taken) is held in senco")
                continue
            }
            guard !incoming.fullName.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                conflicts.append("\(incoming.id): the API gives no full_name")
                continue
            }
            var id = "dfe-" + incoming.id.prefix(8)
            var length = 8
            while usedIDs.contains(id) && length < 32 {
                length += 4
                id = "dfe-" + incoming.id.replacingOccurrences(of: "-", with: "").prefix(length)
            }
            usedIDs.insert(id)
            let at = now.wholeSeconds
            let email = enrolment.email.map { Self.plain($0, limit: 254) }.flatMap { $0.contains("@") ? $0 : nil }
            let participant = Participant(
                id: id, name: Self.plain(incoming.fullName, limit: TextLimits.name),
                school: enrolment.schoolURN.map { "School URN \(Self.plain($0, limit: 20))" }
                    ?? "School not given by the DfE", email: email,
                trn: incoming.trn, cohort: cohort.id, tutor: tutor, started: cohort.start, dfe: identity)
            creates.append(
                Portfolio(
                    participant: participant, frameworks: frameworks, state: .draft, stateSince: at,
                    log: [
                        .activity(
                            Activity(
                                at: at, by: "senco", role: .system, action: "created",
                                note: "Imported from the DfE's participants"))
                    ]
                        + (identity.trainingStatus == .active
                            ? []
                            : [
                                .activity(
                                    Activity(
                                        at: at, by: "senco", role: .system, action: Portfolio.dfeStatusAction,
                                        note: "\(identity.trainingStatus.rawValue) in the DfE's participants",
                                        trainingStatus: TrainingStatusRecord(
                                            status: identity.trainingStatus, since: identity.statusSince ?? at,
                                            reason: identity.statusReason)))
                            ])))
        }
    }
}

extension ParticipantImportPlan {
    /// Makes `portfolio` what the plan says for `updated` (one of `updates`): its DfE identity and
    /// TRN, a `dfe-identity` log entry (naming the retired DfE id when the DfE merged ids) and,
    /// when the DfE's training status or its date changed, a `dfe-status` entry, so the periods
    /// no declaration may be dated in are kept.
    public func apply(_ updated: Participant, to portfolio: inout Portfolio, by actor: String, at now: Date) {
        let before = portfolio.participant.dfe
        portfolio.participant.dfe = updated.dfe
        portfolio.participant.trn = updated.trn
        let retired = idChanges[updated.id]
        portfolio.log.append(
            .activity(
                Activity(
                    at: now, by: actor, role: .system, action: Portfolio.dfeIdentityAction,
                    note: retired == nil
                        ? "Updated from the DfE's participants"
                        : "The DfE replaced the participant id \(retired!) with \(updated.dfe?.participantID ?? "")",
                    previousDfEID: retired)))
        if let dfe = updated.dfe,
            dfe.trainingStatus != (before?.trainingStatus ?? .active) || dfe.statusSince != before?.statusSince
        {
            portfolio.log.append(
                .activity(
                    Activity(
                        at: now, by: actor, role: .system, action: Portfolio.dfeStatusAction,
                        note: "\(dfe.trainingStatus.rawValue) in the DfE's participants",
                        trainingStatus: TrainingStatusRecord(
                            status: dfe.trainingStatus, since: dfe.statusSince ?? now, reason: dfe.statusReason))))
        }
    }

    /// Text from the API as senco stores it: no control characters, within the field's limit.
    static func plain(_ text: String, limit: Int) -> String {
        let kept = text.unicodeScalars.filter {
            $0.value >= 0x20 && $0.value != 0x7F && !(0x80..<0xA0).contains($0.value)
        }
        return String(String(String.UnicodeScalarView(kept)).prefix(limit)).trimmingCharacters(in: .whitespaces)
    }
}

/// Splits a file of JSON documents written one after another (pages of a response concatenated)
/// at the end of each top-level value, minding strings and escapes.
enum JSONDocuments {
    static func split(_ data: Data) -> [Data] {
        var documents: [Data] = []
        var depth = 0
        var inString = false
        var escaped = false
        var start: Int?
        let bytes = [UInt8](data)
        for (i, byte) in bytes.enumerated() {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth == 0 { start = i }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0, let s = start {
                    documents.append(Data(bytes[s...i]))
                    start = nil
                }
                if depth < 0 { return documents + [Data(bytes[i...])] }
            default: break
            }
        }
        if depth != 0, let start { documents.append(Data(bytes[start...])) }
        return documents
    }
}
