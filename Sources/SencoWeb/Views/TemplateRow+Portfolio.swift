/// The rows a portfolio page has by the hundred give their values themselves: reflecting each
/// (`TemplateValues`) was an eighth of a first view of a 100-item portfolio. A test checks every
/// one against what reflection gives, so the two cannot drift apart.
extension GapSection.Statement: TemplateRow {
    var templateValues: [String: Any] {
        var values: [String: Any] = ["id": id, "text": text]
        if let addEvidence { values["addEvidence"] = addEvidence }
        return values
    }
}

extension EvidenceRow: TemplateRow {
    var templateValues: [String: Any] {
        var values: [String: Any] = [
            "id": id, "participant": participant, "title": title, "type": type, "date": date, "sensitive": sensitive,
            "attachments": attachments.map(\.templateValues),
        ]
        if let statements { values["statements"] = statements }
        return values
    }
}

extension AttachmentLink: TemplateRow {
    var templateValues: [String: Any] { ["name": name, "sha256": sha256, "size": size] }
}

extension OutcomeRow: TemplateRow {
    var templateValues: [String: Any] {
        [
            "id": id, "text": text, "status": status, "statusKey": statusKey, "routes": routes.map(\.templateValues),
            "hasRoutes": hasRoutes, "noEquivalent": noEquivalent,
        ]
    }
}

extension OutcomeRow.Route: TemplateRow {
    var templateValues: [String: Any] { ["statement": statement, "relation": relation] }
}
