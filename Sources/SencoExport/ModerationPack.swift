import Crypto
import Foundation
import SencoCore
import SencoData
import SencoXML

/// Writes moderation packs: per portfolio, the portfolio XML (schema-valid) and a self-contained
/// HTML rendering, and one `manifest.xml` listing every file with its SHA-256 and whether
/// sensitive evidence was redacted.
public struct ModerationPack: Sendable {
    public static let manifestName = "manifest.xml"

    public let framework: Framework
    public let rules: EvidenceRules
    public let templates: TemplateLibrary
    public let portfolioSchema: XMLSchema

    public init(framework: Framework, rules: EvidenceRules, templates: TemplateLibrary, portfolioSchema: XMLSchema) {
        self.framework = framework
        self.rules = rules
        self.templates = templates
        self.portfolioSchema = portfolioSchema
    }

    public struct Result: Sendable {
        public var files: [String: String]  // relative path → sha256
        public var bytes: Int
        /// The SHA-256 of the manifest itself: keep it to prove the manifest was not replaced.
        public var manifestDigest: String
    }

    /// Writes the pack into `directory`, which must not exist or be empty.
    public func write(_ portfolios: [Portfolio], to directory: URL, includeSensitive: Bool, now: Date = Date()) throws -> Result {
        let byID = Dictionary(portfolios.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return try write(participants: Array(byID.keys), to: directory, includeSensitive: includeSensitive, now: now) { id in
            byID[id]!
        }
    }

    /// The same pack, loading one portfolio at a time with `load` and dropping it once written,
    /// so a whole cohort's pack needs the memory of one portfolio, not of the cohort. A
    /// participant for whom `load` gives nil (a damaged entry the caller has reported) is left
    /// out of the pack and its manifest.
    public func write(
        participants ids: [String], to directory: URL, includeSensitive: Bool, now: Date = Date(),
        load: (String) throws -> Portfolio?
    ) throws -> Result {
        let fm = FileManager.default
        if fm.fileExists(atPath: directory.path) {
            let contents = (try? fm.contentsOfDirectory(atPath: directory.path)) ?? []
            guard contents.isEmpty else {
                throw ExportError("\(directory.path) already exists and is not empty; choose a new directory for the pack")
            }
        }
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        var files: [String: String] = [:]
        var total = 0
        var written: [String] = []
        for id in Array(Set(ids)).sorted() {
            guard let portfolio = try load(id) else { continue }
            written.append(id)
            let folder = directory.appendingPathComponent(portfolio.id)
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in try self.files(for: portfolio, includeSensitive: includeSensitive, now: now) {
                try file.data.write(to: directory.appendingPathComponent(file.path))
                files[file.path] = file.sha256
                total += file.data.count
            }
        }
        let manifest = try Self.manifest(files: files, includeSensitive: includeSensitive, portfolios: written, now: now)
        try manifest.write(to: directory.appendingPathComponent(Self.manifestName))
        return Result(files: files, bytes: total + manifest.count, manifestDigest: Self.sha256(manifest))
    }

    /// One portfolio's files as the pack holds them, paths relative to the pack: its XML
    /// (sensitive evidence redacted unless `includeSensitive`), checked against the schema, and
    /// its HTML page. Pure CPU work on values, safe to run on any thread.
    public func files(for portfolio: Portfolio, includeSensitive: Bool, now: Date) throws -> [PackFile] {
        let exported = includeSensitive ? portfolio : portfolio.redactingSensitive()
        let xml = try PortfolioCodec.encode(exported)
        let violations = try portfolioSchema.validate(xml, source: "\(portfolio.id)/portfolio.xml")
        if let first = violations.first { throw ExportError("exported portfolio fails its schema: \(first)") }
        let html = Data(try html(exported, includeSensitive: includeSensitive, now: now).utf8)
        return [PackFile(path: "\(portfolio.id)/portfolio.xml", data: xml), PackFile(path: "\(portfolio.id)/portfolio.html", data: html)]
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    static func manifest(files: [String: String], includeSensitive: Bool, portfolios: [String], now: Date) throws -> Data {
        let w = try XMLWriter()
        try w.startDocument()
        try w.element(
            "manifest",
            [
                "created": ISO8601DateFormatter().string(from: now), "generator": "senco",
                "sensitiveEvidence": includeSensitive ? "included" : "redacted",
            ]
        ) {
            for path in files.keys.sorted() {
                try w.element("file", ["path": path, "sha256": files[path] ?? ""])
            }
        }
        return try w.finish()
    }

    func html(_ portfolio: Portfolio, includeSensitive: Bool, now: Date) throws -> String {
        let coverage = Coverage(portfolio: portfolio, framework: framework, rules: rules)
        let sections: [[String: Any]] = coverage.sections.map { section in
            let status = CoverageReport.sectionStatus(section)
            return [
                "number": section.number, "title": section.title, "statusWord": status.word, "statusClass": status.cssClass,
                "learnThat": ["evidenced": section.learnThat.evidenced, "total": section.learnThat.total],
                "learnHowTo": ["evidenced": section.learnHowTo.evidenced, "total": section.learnHowTo.total],
                "met": section.learnThat.met + section.learnHowTo.met,
                "total": section.learnThat.total + section.learnHowTo.total,
            ]
        }
        let statements: [[String: Any]] = coverage.statements.map {
            [
                "id": $0.statement.id, "text": $0.statement.text, "evidence": $0.evidence, "hasEvidence": !$0.evidence.isEmpty,
                "status": $0.status.label,
                "statusClass": $0.status == .met ? "met" : ($0.evidence.isEmpty ? "gap" : "partial"),
            ]
        }
        // Mappings grouped by item in one pass (asking per item would be items × mappings).
        var mappingsByEvidence: [String: [[String: String]]] = [:]
        for mapping in portfolio.mappings {
            mappingsByEvidence[mapping.evidence, default: []].append(["statement": mapping.statement, "claim": mapping.claim])
        }
        let items: [[String: Any]] = portfolio.evidence.map { item in
            let redacted = item.sensitive && !includeSensitive
            let mappings = mappingsByEvidence[item.id] ?? []
            return [
                "id": item.id, "title": item.title, "type": rules.type(withID: item.type)?.label ?? item.type,
                "date": item.date.description, "sensitiveWord": item.sensitive ? (redacted ? "yes (redacted)" : "yes (included)") : "no",
                "redacted": redacted, "reflection": item.reflection.isEmpty ? "(no reflection)" : item.reflection,
                "attachments": item.attachments.map { ["name": $0.name, "size": $0.size, "sha256": $0.sha256] },
                "hasAttachments": !item.attachments.isEmpty, "mappings": mappings, "hasMappings": !mappings.isEmpty,
            ]
        }
        let formatter = ISO8601DateFormatter()  // one per rendering, not one per judgement
        let judgements: [[String: Any]] = portfolio.judgements.map {
            [
                "at": formatter.string(from: $0.at), "statement": $0.statement,
                "kind": $0.kind == .first ? "first" : ($0.kind == .second ? "second (moderator)" : "agreed"),
                "status": $0.status.label, "by": $0.by, "role": $0.role.rawValue, "feedback": $0.feedback,
            ]
        }
        let p = portfolio.participant
        var context: [String: Any] = [
            "participant": ["id": p.id, "name": p.name, "school": p.school, "cohort": p.cohort, "tutor": p.tutor],
            "state": portfolio.state.label, "revision": portfolio.revision,
            "exported": Day(now).description,
            "sensitivity": includeSensitive ? "included in this export" : "redacted in this export",
            "sections": sections, "statements": statements, "items": items, "hasItems": !items.isEmpty,
            "evidenceCount": items.count, "judgements": judgements, "hasJudgements": !judgements.isEmpty,
            "judgementCount": judgements.count, "attribution": framework.source.attribution,
        ]
        // Absent rather than nil: Mustache would print an optional's description.
        if let outcome = portfolio.outcome { context["outcome"] = outcome.rawValue }
        return try templates.render(context, template: "pack")
    }
}
