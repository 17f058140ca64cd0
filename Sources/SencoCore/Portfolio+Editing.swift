import Foundation

extension PortfolioState {
    /// Participants change evidence and mappings only while the portfolio is with them.
    public var allowsParticipantChanges: Bool {
        self == .draft || self == .returned
    }
}

/// The changes participants make to their portfolio. Each checks the rules, changes the value and
/// appends a log entry; none touches storage, so the CLI and the web app share them.
extension Portfolio {
    public func requireEditable() throws(RuleError) {
        guard state.allowsParticipantChanges else {
            switch state {
            case .signedOff: throw RuleError("portfolio \(id) is signed off and locked; a tutor must reopen it first")
            case .withdrawn: throw RuleError("portfolio \(id) is withdrawn; it cannot be changed")
            default:
                throw RuleError("portfolio \(id) is \(state.label); evidence can change again once the tutor returns it")
            }
        }
    }

    /// Checks an evidence item's fields: a known type, a real date not in the future, a title.
    public static func validate(
        _ item: EvidenceItem, rules: EvidenceRules, today: Day = .today
    ) throws(RuleError) {
        if let problem = Identifier.problem(with: item.id, what: "evidence") { throw RuleError(problem) }
        if item.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw RuleError("evidence \(item.id) needs a title")
        }
        if let problem = TextLimits.problem(item.title, field: "the title of evidence \(item.id)", limit: TextLimits.title) {
            throw RuleError(problem)
        }
        if item.reflection.utf8.count > TextLimits.reflectionBytes {
            throw RuleError("the reflection of evidence \(item.id) is \(item.reflection.utf8.count) bytes; the limit is \(TextLimits.reflectionBytes)")
        }
        for attachment in item.attachments {
            if let problem = Attachment.nameProblem(attachment.name) { throw RuleError("evidence \(item.id): \(problem)") }
        }
        if rules.type(withID: item.type) == nil {
            throw RuleError(
                "unknown evidence type \"\(item.type)\"; use one of: \(rules.types.map(\.id).joined(separator: ", "))")
        }
        if let problem = PlausibleDates.evidenceProblem(item.date, today: today) { throw RuleError(problem) }
    }

    /// The item with this id, or an error naming the nearest real ids.
    public func requireEvidence(_ evidenceID: String) throws(RuleError) -> EvidenceItem {
        guard let item = evidenceItem(withID: evidenceID) else { throw noEvidence(evidenceID) }
        return item
    }

    func noEvidence(_ evidenceID: String) -> RuleError {
        RuleError(
            "no evidence \(evidenceID.quotedForMessage()) in portfolio \(id)\(Suggestions.phrase(for: evidenceID, among: evidence.map(\.id)))")
    }

    public mutating func addEvidence(
        _ item: EvidenceItem, by actor: String, role: Role, rules: EvidenceRules, at now: Date, today: Day = .today
    ) throws(RuleError) {
        try requireEditable()
        try Self.validate(item, rules: rules, today: today)
        if evidenceItem(withID: item.id) != nil {
            throw RuleError("evidence id \(item.id) is already used in portfolio \(id)")
        }
        evidence.append(item)
        log.append(
            .activity(Activity(at: now, by: actor, role: role, action: "evidence-added", evidence: item.id, note: "Added evidence \(item.id) (\(item.type))")))
    }

    public mutating func replaceEvidence(
        _ item: EvidenceItem, by actor: String, role: Role, rules: EvidenceRules, at now: Date, today: Day = .today
    ) throws(RuleError) {
        try requireEditable()
        try Self.validate(item, rules: rules, today: today)
        guard let index = evidence.firstIndex(where: { $0.id == item.id }) else {
            throw noEvidence(item.id)
        }
        evidence[index] = item
        log.append(.activity(Activity(at: now, by: actor, role: role, action: "evidence-edited", evidence: item.id, note: "Edited evidence \(item.id)")))
    }

    /// Removes an item and its mappings; returns the statement ids it had been mapped to.
    @discardableResult
    public mutating func removeEvidence(_ evidenceID: String, by actor: String, role: Role, at now: Date) throws(RuleError) -> [String] {
        try requireEditable()
        _ = try requireEvidence(evidenceID)
        let removed = mappings(forEvidence: evidenceID).map(\.statement)
        evidence.removeAll { $0.id == evidenceID }
        mappings.removeAll { $0.evidence == evidenceID }
        let note = removed.isEmpty
            ? "Removed evidence \(evidenceID)"
            : "Removed evidence \(evidenceID) and its mappings to \(removed.joined(separator: ", "))"
        log.append(.activity(Activity(at: now, by: actor, role: role, action: "evidence-removed", evidence: evidenceID, note: note)))
        return removed
    }

    /// Maps an item to statements with one claim. Every id must be a statement of a framework this
    /// portfolio follows; an unknown id is refused with the nearest real ids.
    public mutating func map(
        evidence evidenceID: String, to statementIDs: [String], claim: String, frameworks: [Framework], by actor: String,
        role: Role, at now: Date
    ) throws(RuleError) {
        try requireEditable()
        _ = try requireEvidence(evidenceID)
        if statementIDs.isEmpty { throw RuleError("name at least one statement to map \(evidenceID) to") }
        let claim = claim.trimmingCharacters(in: .whitespacesAndNewlines)
        if claim.isEmpty { throw RuleError("a mapping needs a claim: say how \(evidenceID) shows the statement") }
        if let problem = TextLimits.problem(claim, field: "--claim", limit: TextLimits.claim) { throw RuleError(problem) }
        for statementID in statementIDs {
            try requireStatement(statementID, frameworks: frameworks)
            if mappings.contains(where: { $0.evidence == evidenceID && $0.statement == statementID }) {
                throw RuleError("\(evidenceID) is already mapped to \(statementID)")
            }
        }
        if Set(statementIDs).count != statementIDs.count { throw RuleError("a statement id is named twice") }
        for statementID in statementIDs {
            mappings.append(Mapping(evidence: evidenceID, statement: statementID, claim: claim))
            log.append(.activity(Activity(at: now, by: actor, role: role, action: "mapped", evidence: evidenceID, statement: statementID, note: "Mapped \(evidenceID) to \(statementID)")))
        }
    }

    public mutating func unmap(evidence evidenceID: String, from statementIDs: [String], by actor: String, role: Role, at now: Date) throws(RuleError) {
        try requireEditable()
        if statementIDs.isEmpty { throw RuleError("name at least one statement to unmap \(evidenceID) from") }
        for statementID in statementIDs where !mappings.contains(where: { $0.evidence == evidenceID && $0.statement == statementID }) {
            throw RuleError("\(evidenceID) is not mapped to \(statementID)")
        }
        for statementID in statementIDs {
            mappings.removeAll { $0.evidence == evidenceID && $0.statement == statementID }
            log.append(.activity(Activity(at: now, by: actor, role: role, action: "unmapped", evidence: evidenceID, statement: statementID, note: "Unmapped \(evidenceID) from \(statementID)")))
        }
    }
}
