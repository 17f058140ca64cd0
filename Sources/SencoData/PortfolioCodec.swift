import Foundation
import SencoCore
import SencoXML

/// Reads and writes portfolio, cohort and evidence-rules documents in the shapes the schemas in
/// `Portfolios/` define. Writing always goes through the escaping `XMLWriter`.
public enum PortfolioCodec {
    // MARK: Portfolio

    public static func encode(_ portfolio: Portfolio) throws -> Data {
        let w = try XMLWriter()
        try w.startDocument()
        try w.element(
            "portfolio", ["revision": String(portfolio.revision), "schemaVersion": String(Portfolio.schemaVersion)]
        ) {
            try encodeParticipant(portfolio.participant, with: w)
            try w.element("frameworks") {
                for framework in portfolio.frameworks { try w.element("framework", ["ref": framework]) }
            }
            try w.element(
                "state", ["value": portfolio.state.rawValue, "since": Timestamp.string(portfolio.stateSince)],
                text: portfolio.stateNote)
            try w.element("evidence") {
                for item in portfolio.evidence {
                    try w.startElement("item")
                    try w.attribute("id", item.id)
                    try w.attribute("type", item.type)
                    try w.attribute("date", item.date.description)
                    try w.attribute("sensitive", item.sensitive ? "true" : "false")
                    try w.attribute("added", Timestamp.string(item.added))
                    try w.element("title", text: item.title)
                    try w.element("reflection", text: item.reflection)
                    for attachment in item.attachments {
                        try w.startElement("attachment")
                        try w.attribute("name", attachment.name)
                        try w.attribute("size", String(attachment.size))
                        try w.attribute("sha256", attachment.sha256)
                        if let mediaType = attachment.mediaType { try w.attribute("mediaType", mediaType) }
                        try w.endElement()
                    }
                    for ingredient in item.ingredients { try w.element("ingredient", text: ingredient) }
                    if let impact = item.impact {
                        try w.element("impact") {
                            try w.element("baseline", text: impact.baseline)
                            try w.element("after", text: impact.after)
                            try w.element("change", text: impact.change)
                        }
                    }
                    try w.endElement()
                }
            }
            try w.element("mappings") {
                for mapping in portfolio.mappings {
                    try w.element("mapping", ["evidence": mapping.evidence, "statement": mapping.statement]) {
                        try w.element("claim", text: mapping.claim)
                    }
                }
            }
            try w.element("log") {
                for event in portfolio.log {
                    switch event {
                    case .activity(let a):
                        try w.startElement("entry")
                        try w.attribute("at", Timestamp.string(a.at))
                        try w.attribute("by", a.by)
                        try w.attribute("role", a.role.rawValue)
                        try w.attribute("action", a.action)
                        if let evidence = a.evidence { try w.attribute("evidence", evidence) }
                        if let statement = a.statement { try w.attribute("statement", statement) }
                        if let outcome = a.outcome { try w.attribute("outcome", outcome.rawValue) }
                        if let record = a.declaration {
                            try w.attribute("declaration", record.type.rawValue)
                            try w.attribute("declarationId", record.dfeID)
                            try w.attribute("declarationState", record.state)
                        }
                        try encodeDfEDetails(a, with: w)
                        try w.text(a.note)
                        try w.endElement()
                    case .judgement(let j):
                        try w.startElement("judgement")
                        try w.attribute("at", Timestamp.string(j.at))
                        try w.attribute("by", j.by)
                        try w.attribute("role", j.role.rawValue)
                        try w.attribute("statement", j.statement)
                        try w.attribute("status", j.status.rawValue)
                        try w.attribute("kind", j.kind.rawValue)
                        try w.text(j.feedback)
                        try w.endElement()
                    }
                }
            }
        }
        return try w.finish()
    }

    /// `<participant>`, as portfolios and summaries both hold it.
    static func encodeParticipant(_ p: Participant, with w: XMLWriter) throws {
        try w.element("participant", ["id": p.id, "cohort": p.cohort, "tutor": p.tutor, "started": p.started.description]) {
            try w.element("name", text: p.name)
            try w.element("school", text: p.school)
            if let email = p.email { try w.element("email", text: email) }
            if let trn = p.trn { try w.element("trn", text: trn) }
            if let dfe = p.dfe {
                try w.startElement("dfe")
                try w.attribute("participantId", dfe.participantID)
                try w.attribute("course", dfe.course)
                if let schedule = dfe.schedule { try w.attribute("schedule", schedule) }
                if let cohort = dfe.cohort { try w.attribute("cohort", String(cohort)) }
                if let partner = dfe.deliveryPartner { try w.attribute("deliveryPartner", partner) }
                if let funded = dfe.fundedPlace { try w.attribute("fundedPlace", funded ? "true" : "false") }
                try w.attribute("trainingStatus", dfe.trainingStatus.rawValue)
                if let since = dfe.statusSince { try w.attribute("statusSince", Timestamp.string(since)) }
                if let reason = dfe.statusReason { try w.attribute("statusReason", reason) }
                try w.endElement()
            }
        }
    }

    static func decodeParticipant(_ p: XMLElement, _ d: Decoding) throws(DataError) -> Participant {
        Participant(
            id: try d.attribute(p, "id"), name: try d.child(p, "name").text, school: try d.child(p, "school").text,
            email: p.element(named: "email")?.text, trn: p.element(named: "trn")?.text,
            cohort: try d.attribute(p, "cohort"), tutor: try d.attribute(p, "tutor"), started: try d.day(p, "started"),
            dfe: try p.element(named: "dfe").map { (e) throws(DataError) in try decodeDfE(e, d) })
    }

    static func decodeDfE(_ e: XMLElement, _ d: Decoding) throws(DataError) -> DfEIdentity {
        let status = try d.attribute(e, "trainingStatus")
        guard let trainingStatus = DfEIdentity.TrainingStatus(rawValue: status) else {
            throw DataError("<dfe> trainingStatus=\"\(status)\" is not active, deferred or withdrawn", file: d.file, line: e.line)
        }
        return DfEIdentity(
            participantID: try d.attribute(e, "participantId"), course: try d.attribute(e, "course"),
            schedule: e[attribute: "schedule"], cohort: e[attribute: "cohort"] == nil ? nil : try d.integer(e, "cohort"),
            deliveryPartner: e[attribute: "deliveryPartner"], fundedPlace: e[attribute: "fundedPlace"].map { $0 == "true" || $0 == "1" },
            trainingStatus: trainingStatus,
            statusSince: e[attribute: "statusSince"] == nil ? nil : try d.timestamp(e, "statusSince"),
            statusReason: e[attribute: "statusReason"])
    }

    /// `<dfe>` in a cohort or a participant: the DfE defaults a cohort gives its participants.
    static func encodeDefaults(_ defaults: Cohort.DfEDefaults, with w: XMLWriter) throws {
        guard !defaults.isEmpty else { return }
        try w.startElement("dfe")
        if let schedule = defaults.schedule { try w.attribute("schedule", schedule) }
        if let cohort = defaults.cohort { try w.attribute("cohort", String(cohort)) }
        if let partner = defaults.deliveryPartner { try w.attribute("deliveryPartner", partner) }
        try w.endElement()
    }

    public static func decodePortfolio(_ root: XMLElement, file: String = "") throws(DataError) -> Portfolio {
        let d = Decoding(file: file)
        guard root.name == "portfolio" else {
            throw DataError("root element is <\(root.name)>, expected <portfolio>: not a portfolio", file: file, line: root.line)
        }
        let version = try d.integer(root, "schemaVersion")
        guard (1...Portfolio.schemaVersion).contains(version) else {
            throw DataError(
                "schemaVersion \(version) is not one this version of senco reads (1 to \(Portfolio.schemaVersion))", file: file, line: root.line)
        }
        let participant = try decodeParticipant(try d.child(root, "participant"), d)
        let state = try d.child(root, "state")
        guard let stateValue = PortfolioState(rawValue: try d.attribute(state, "value")) else {
            throw DataError("unknown portfolio state", file: file, line: state.line)
        }
        var evidence: [EvidenceItem] = []
        for item in try d.child(root, "evidence").elements(named: "item") {
            let attachments = try item.elements(named: "attachment").map { (a) throws(DataError) in
                Attachment(
                    name: try d.attribute(a, "name"), size: try d.integer(a, "size"), sha256: try d.attribute(a, "sha256"),
                    mediaType: a[attribute: "mediaType"])
            }
            evidence.append(
                EvidenceItem(
                    id: try d.attribute(item, "id"), title: try d.child(item, "title").text,
                    type: try d.attribute(item, "type"), date: try d.day(item, "date"),
                    reflection: item.element(named: "reflection")?.text ?? "", attachments: attachments,
                    sensitive: try d.attribute(item, "sensitive") == "true" || item[attribute: "sensitive"] == "1",
                    added: try d.timestamp(item, "added"), ingredients: item.elements(named: "ingredient").map(\.text),
                    impact: item.element(named: "impact").map {
                        ImpactRecord(
                            baseline: $0.element(named: "baseline")?.text ?? "", after: $0.element(named: "after")?.text ?? "",
                            change: $0.element(named: "change")?.text ?? "")
                    }))
        }
        let mappings = try d.child(root, "mappings").elements(named: "mapping").map { (m) throws(DataError) in
            Mapping(
                evidence: try d.attribute(m, "evidence"), statement: try d.attribute(m, "statement"),
                claim: m.element(named: "claim")?.text ?? "")
        }
        var log: [LogEvent] = []
        for event in try d.child(root, "log").elements {
            guard let role = Role(rawValue: try d.attribute(event, "role")) else {
                throw DataError("unknown role", file: file, line: event.line)
            }
            switch event.name {
            case "entry":
                log.append(
                    .activity(
                        Activity(
                            at: try d.timestamp(event, "at"), by: try d.attribute(event, "by"), role: role,
                            action: try d.attribute(event, "action"), evidence: event[attribute: "evidence"],
                            statement: event[attribute: "statement"],
                            outcome: event[attribute: "outcome"].flatMap(Outcome.init(rawValue:)), note: event.text,
                            declaration: try decodeRecord(event, d), trainingStatus: try decodeStatus(event, d),
                            dfeOutcome: try decodeOutcome(event, d),
                            previousDfEID: event[attribute: "previousParticipantId"])))
            case "judgement":
                guard let status = JudgementStatus(rawValue: try d.attribute(event, "status")),
                    let kind = Judgement.Kind(rawValue: event[attribute: "kind"] ?? "first")
                else { throw DataError("unknown judgement status or kind", file: file, line: event.line) }
                log.append(
                    .judgement(
                        Judgement(
                            at: try d.timestamp(event, "at"), by: try d.attribute(event, "by"), role: role,
                            statement: try d.attribute(event, "statement"), status: status, kind: kind,
                            feedback: event.text)))
            default:
                throw DataError("unexpected <\(event.name)> in the log", file: file, line: event.line)
            }
        }
        // Version 1 had no DfE identity and no declaration records: one that holds them was not
        // written by senco, and saying which version it is matters to whoever reads it next.
        if version < 2 {
            if let dfe = root.element(named: "participant")?.element(named: "dfe") {
                throw DataError("<dfe> needs schemaVersion 2; this document says \(version)", file: file, line: dfe.line)
            }
            if let entry = log.firstIndex(where: { event in
                guard case .activity(let a) = event else { return false }
                return a.declaration != nil || a.trainingStatus != nil || a.dfeOutcome != nil || a.previousDfEID != nil
            }) {
                throw DataError("log entry \(entry + 1) records a DfE declaration, which needs schemaVersion 2; this document says \(version)", file: file, line: root.line)
            }
        }
        return Portfolio(
            revision: try d.integer(root, "revision"), participant: participant,
            frameworks: try d.child(root, "frameworks").elements(named: "framework").map { (f) throws(DataError) in
                try d.attribute(f, "ref")
            },
            state: stateValue, stateSince: try d.timestamp(state, "since"), stateNote: state.text, evidence: evidence,
            mappings: mappings, log: log)
    }

    // MARK: Cohort

    public static func encode(_ cohort: Cohort) throws -> Data {
        let w = try XMLWriter()
        try w.startDocument()
        try w.element("cohort", ["id": cohort.id, "start": cohort.start.description, "course": cohort.course]) {
            try w.element("title", text: cohort.title)
            try w.element("provider", text: cohort.provider)
            try encodeDefaults(cohort.dfe, with: w)
            if let since = cohort.dfeSyncedSince { try w.element("dfeSync", ["updatedSince": Timestamp.string(since)]) }
            for tutor in cohort.tutors { try w.element("tutor", ["id": tutor.id], text: tutor.name) }
        }
        return try w.finish()
    }

    public static func decodeCohort(_ root: XMLElement, file: String = "") throws(DataError) -> Cohort {
        let d = Decoding(file: file)
        guard root.name == "cohort" else {
            throw DataError("root element is <\(root.name)>, expected <cohort>", file: file, line: root.line)
        }
        return Cohort(
            id: try d.attribute(root, "id"), title: try d.child(root, "title").text,
            provider: try d.child(root, "provider").text, course: try d.attribute(root, "course"),
            start: try d.day(root, "start"),
            tutors: try root.elements(named: "tutor").map { (t) throws(DataError) in
                Cohort.Tutor(id: try d.attribute(t, "id"), name: t.text)
            },
            dfe: try root.element(named: "dfe").map { (e) throws(DataError) in
                Cohort.DfEDefaults(
                    schedule: e[attribute: "schedule"], cohort: e[attribute: "cohort"] == nil ? nil : try d.integer(e, "cohort"),
                    deliveryPartner: e[attribute: "deliveryPartner"])
            } ?? Cohort.DfEDefaults(),
            dfeSyncedSince: try root.element(named: "dfeSync").map { (e) throws(DataError) in
                try d.timestamp(e, "updatedSince")
            })
    }

    /// A `dfe-status`, `dfe-outcome` or `dfe-identity` entry's DfE details, as attributes.
    static func encodeDfEDetails(_ a: Activity, with w: XMLWriter) throws {
        if let status = a.trainingStatus {
            try w.attribute("trainingStatus", status.status.rawValue)
            if let since = status.since { try w.attribute("statusSince", Timestamp.string(since)) }
            if let reason = status.reason { try w.attribute("dfeReason", reason) }
        }
        if let outcome = a.dfeOutcome {
            try w.attribute("outcomeState", outcome.state)
            try w.attribute("completionDate", outcome.completionDate.description)
            if let id = outcome.dfeID { try w.attribute("outcomeId", id) }
        }
        if let previous = a.previousDfEID { try w.attribute("previousParticipantId", previous) }
    }

    static func decodeStatus(_ event: XMLElement, _ d: Decoding) throws(DataError) -> TrainingStatusRecord? {
        guard let text = event[attribute: "trainingStatus"] else { return nil }
        guard let status = DfEIdentity.TrainingStatus(rawValue: text) else {
            throw DataError(
                "trainingStatus=\"\(text)\" is not active, deferred or withdrawn", file: d.file, line: event.line)
        }
        return TrainingStatusRecord(
            status: status, since: event[attribute: "statusSince"] == nil ? nil : try d.timestamp(event, "statusSince"),
            reason: event[attribute: "dfeReason"])
    }

    static func decodeOutcome(_ event: XMLElement, _ d: Decoding) throws(DataError) -> OutcomeRecord? {
        guard let state = event[attribute: "outcomeState"] else { return nil }
        return OutcomeRecord(
            state: state, completionDate: try d.day(event, "completionDate"), dfeID: event[attribute: "outcomeId"])
    }

    /// The DfE declaration an activity records, if it records one.
    static func decodeRecord(_ event: XMLElement, _ d: Decoding) throws(DataError) -> DeclarationRecord? {
        guard let typeText = event[attribute: "declaration"] else { return nil }
        guard let type = DeclarationType(rawValue: typeText) else {
            throw DataError("declaration=\"\(typeText)\" is not a DfE declaration type", file: d.file, line: event.line)
        }
        return DeclarationRecord(
            type: type, dfeID: try d.attribute(event, "declarationId"), state: try d.attribute(event, "declarationState"))
    }

    // MARK: Evidence rules

    public static func decodeRules(_ root: XMLElement, file: String = "") throws(DataError) -> EvidenceRules {
        let d = Decoding(file: file)
        let types = try root.elements(named: "type").map { (t) throws(DataError) in
            guard let shows = EvidenceRules.Shows(rawValue: try d.attribute(t, "shows")) else {
                throw DataError("unknown value of shows", file: file, line: t.line)
            }
            guard let impact = EvidenceRules.Impact(rawValue: t[attribute: "impact"] ?? "none") else {
                throw DataError("unknown value of impact", file: file, line: t.line)
            }
            return EvidenceRules.EvidenceType(
                id: try d.attribute(t, "id"), label: try d.child(t, "label").text,
                description: try d.child(t, "description").text, shows: shows, impact: impact)
        }
        let rules = try root.elements(named: "sufficiency").map { (s) throws(DataError) in
            guard let kind = StatementKind(rawValue: try d.attribute(s, "statementType")),
                let wants = EvidenceRules.Wants(rawValue: try d.attribute(s, "wants"))
            else { throw DataError("unknown statementType or wants", file: file, line: s.line) }
            return EvidenceRules.Sufficiency(
                statementKind: kind, wants: wants, minimumReflection: try d.integer(s, "minimumReflection"),
                explanation: s.text)
        }
        let stretch = try d.child(root, "stretch")
        return EvidenceRules(
            types: types, sufficiency: rules, stretchWarnAbove: try d.integer(stretch, "warnAbove"),
            stretchExplanation: stretch.text)
    }
}

/// Small helpers that turn a missing or malformed attribute into a located `DataError`.
struct Decoding {
    let file: String

    func child(_ element: XMLElement, _ name: String) throws(DataError) -> XMLElement {
        guard let child = element.element(named: name) else {
            throw DataError("<\(element.name)> has no <\(name)>", file: file, line: element.line)
        }
        return child
    }

    func attribute(_ element: XMLElement, _ name: String) throws(DataError) -> String {
        guard let value = element[attribute: name] else {
            throw DataError("<\(element.name)> has no \(name) attribute", file: file, line: element.line)
        }
        return value
    }

    func integer(_ element: XMLElement, _ name: String) throws(DataError) -> Int {
        let text = try attribute(element, name)
        guard let value = Int(text) else {
            throw DataError("<\(element.name)> \(name)=\"\(text)\" is not a whole number", file: file, line: element.line)
        }
        return value
    }

    func day(_ element: XMLElement, _ name: String) throws(DataError) -> Day {
        let text = try attribute(element, name)
        guard let value = Day(text) else {
            throw DataError("<\(element.name)> \(name)=\"\(text)\" is not a date (YYYY-MM-DD)", file: file, line: element.line)
        }
        return value
    }

    func timestamp(_ element: XMLElement, _ name: String) throws(DataError) -> Date {
        let text = try attribute(element, name)
        guard let value = Timestamp.date(text) else {
            throw DataError("<\(element.name)> \(name)=\"\(text)\" is not a date and time", file: file, line: element.line)
        }
        return value
    }
}

extension PortfolioCodec {
    // MARK: Moderation plan

    public static func encode(_ plan: ModerationPlan) throws -> Data {
        let w = try XMLWriter()
        try w.startDocument()
        try w.element(
            "moderationPlan",
            [
                "id": plan.id, "cohort": plan.cohort, "rate": String(plan.rate),
                "minimumPerTutor": String(plan.minimumPerTutor), "seed": String(plan.seed),
                "created": Timestamp.string(plan.created), "createdBy": plan.createdBy,
            ]
        ) {
            for entry in plan.entries {
                try w.startElement("sample")
                try w.attribute("participant", entry.participant)
                try w.attribute("tutor", entry.tutor)
                try w.attribute("borderline", String(format: "%.3f", entry.borderline))
                if let moderator = entry.moderator { try w.attribute("moderator", moderator) }
                try w.endElement()
            }
        }
        return try w.finish()
    }

    public static func decodePlan(_ root: XMLElement, file: String = "") throws(DataError) -> ModerationPlan {
        let d = Decoding(file: file)
        guard root.name == "moderationPlan" else {
            throw DataError("root element is <\(root.name)>, expected <moderationPlan>", file: file, line: root.line)
        }
        guard let seed = UInt64(try d.attribute(root, "seed")) else {
            throw DataError("seed is not a whole number", file: file, line: root.line)
        }
        return ModerationPlan(
            id: try d.attribute(root, "id"), cohort: try d.attribute(root, "cohort"), rate: try d.integer(root, "rate"),
            minimumPerTutor: try d.integer(root, "minimumPerTutor"), seed: seed, created: try d.timestamp(root, "created"),
            createdBy: try d.attribute(root, "createdBy"),
            entries: try root.elements(named: "sample").map { (s) throws(DataError) in
                ModerationPlan.Entry(
                    participant: try d.attribute(s, "participant"), tutor: try d.attribute(s, "tutor"),
                    borderline: Double(try d.attribute(s, "borderline")) ?? 0, moderator: s[attribute: "moderator"])
            })
    }
}
