import Foundation
import SencoCore
import SencoXML

/// The schemas and rules in `Portfolios/`: what a portfolio and a cohort must look like, and the
/// evidence types with their sufficiency rules.
public struct PortfolioSchemas: Sendable {
    public let directory: URL
    public let portfolio: XMLSchema
    public let cohort: XMLSchema
    public let moderationPlan: XMLSchema
    public let summary: XMLSchema
    public let rules: EvidenceRules
    /// The reflection prompts and key ingredients (`reflection-prompts.xml`), checked against `rules`.
    public let prompts: ReflectionPrompts

    public init(directory: URL) throws(DataError) {
        self.directory = directory
        do {
            portfolio = try XMLSchema(contentsOf: directory.appendingPathComponent("portfolio.xsd"))
            cohort = try XMLSchema(contentsOf: directory.appendingPathComponent("cohort.xsd"))
            moderationPlan = try XMLSchema(contentsOf: directory.appendingPathComponent("moderation-plan.xsd"))
            summary = try XMLSchema(contentsOf: directory.appendingPathComponent("summary.xsd"))
            let rulesSchema = try XMLSchema(contentsOf: directory.appendingPathComponent("evidence-rules.xsd"))
            let rulesFile = directory.appendingPathComponent("evidence-rules.xml")
            let data: Data
            do { data = try Data(contentsOf: rulesFile) } catch {
                throw DataError("cannot read the evidence rules", file: rulesFile.path)
            }
            let violations = try rulesSchema.validate(data, source: rulesFile.path)
            if !violations.isEmpty { throw DataError(violations.map(\.finding)) }
            rules = try PortfolioCodec.decodeRules(try XMLReader().read(data, source: rulesFile.path), file: rulesFile.path)
            prompts = try ReflectionPromptsCodec.load(directory: directory, rules: rules)
        } catch let error as XMLError {
            throw DataError(error)
        } catch let error as DataError {
            throw error
        } catch {
            throw DataError("\(error)", file: directory.path)
        }
    }

    /// `Portfolios/` beside the frameworks directory, unless `$SENCO_PORTFOLIO_SCHEMAS` says otherwise.
    public static func locate(frameworks: URL, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let explicit = environment["SENCO_PORTFOLIO_SCHEMAS"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit)
        }
        return frameworks.deletingLastPathComponent().appendingPathComponent("Portfolios")
    }

    /// Parses, schema-checks and decodes a portfolio document, reporting every problem found.
    public func readPortfolio(_ data: Data, source: String) throws(DataError) -> Portfolio {
        try read(data, source: source, root: "portfolio", schema: portfolio) { (root) throws(DataError) in
            try PortfolioCodec.decodePortfolio(root, file: source)
        }
    }

    public func readPlan(_ data: Data, source: String) throws(DataError) -> ModerationPlan {
        try read(data, source: source, root: "moderationPlan", schema: moderationPlan) { (root) throws(DataError) in
            try PortfolioCodec.decodePlan(root, file: source)
        }
    }

    public func readSummary(_ data: Data, source: String) throws(DataError) -> PortfolioSummary {
        try read(data, source: source, root: "summary", schema: summary) { (root) throws(DataError) in
            try PortfolioCodec.decodeSummary(root, file: source)
        }
    }

    public func readCohort(_ data: Data, source: String) throws(DataError) -> Cohort {
        try read(data, source: source, root: "cohort", schema: cohort) { (root) throws(DataError) in
            try PortfolioCodec.decodeCohort(root, file: source)
        }
    }

    /// The safe reader, the root element's name, the schema, then the decoder: the first stage
    /// that fails says why, with every schema violation rather than only the first.
    private func read<Value>(
        _ data: Data, source: String, root name: String, schema: XMLSchema,
        decode: (XMLElement) throws(DataError) -> Value
    ) throws(DataError) -> Value {
        let root: XMLElement
        let violations: [XMLError]
        do {
            // One parse gives both the values and the validation (it used to parse twice).
            let (parsed, found) = try schema.read(data, source: source)
            guard parsed.name == name else {
                throw DataError("root element is <\(parsed.name)>, not <\(name)>", file: source, line: parsed.line)
            }
            root = parsed
            violations = found
        } catch let error as XMLError {
            throw DataError(error)
        } catch let error as DataError {
            throw error
        } catch {
            throw DataError("\(error)", file: source)
        }
        if !violations.isEmpty { throw DataError(violations.map(\.finding)) }
        return try decode(root)
    }
}
