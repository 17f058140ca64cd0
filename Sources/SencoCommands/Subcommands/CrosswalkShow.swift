import ArgumentParser
import SencoCore
import SencoData

struct CrosswalkShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show what a statement or outcome links to, in either direction.",
        discussion: "Give an NPQ id (1.1, 2.l) to see its National Award outcomes, or an outcome id (NA-3.1.6) to see its NPQ statements.")

    @OptionGroup var frameworks: FrameworkOptions
    @Argument(help: "A statement id, e.g. 2.e or NA-3.1.6.") var statementID: String
    @Option(help: "Output format: text or json.") var format: TextOrJSON = .text

    func run() throws {
        print(try Self.render(try frameworks.load(), statementID: statementID, format: format), terminator: "")
    }

    struct LinkJSON: Encodable {
        let id: String
        let framework: String
        let text: String
        let relation: String
        let rationale: String
    }

    struct ResultJSON: Encodable {
        let id: String
        let framework: String
        let text: String
        let links: [LinkJSON]
        let noEquivalent: String?
    }

    static func render(_ library: FrameworkLibrary, statementID: String, format: TextOrJSON) throws -> String {
        guard let home = library.framework(containing: statementID), let statement = home.statement(withID: statementID)
        else {
            let suggestions = library.frameworks.flatMap { $0.suggestions(for: statementID) }.prefix(4)
            throw CommandError(
                "unknown statement id \"\(statementID)\""
                    + (suggestions.isEmpty ? "" : "; did you mean \(suggestions.joined(separator: ", "))?"))
        }
        var links: [LinkJSON] = []
        var gap: String?
        for crosswalk in library.crosswalks(involving: home.id) {
            let outgoing = crosswalk.from == home.id
            let otherID = outgoing ? crosswalk.to : crosswalk.from
            let other = library.framework(withID: otherID)
            let found = outgoing ? crosswalk.links(fromStatement: statement.id) : crosswalk.links(toOutcome: statement.id)
            for link in found {
                let target = outgoing ? link.outcome : link.statement
                links.append(
                    LinkJSON(
                        id: target, framework: otherID, text: other?.statement(withID: target)?.text ?? "",
                        relation: link.relation.rawValue, rationale: link.rationale))
            }
            if !outgoing, let missing = crosswalk.gap(forOutcome: statement.id) { gap = missing.reason }
        }
        let result = ResultJSON(id: statement.id, framework: home.id, text: statement.text, links: links, noEquivalent: gap)
        switch format {
        case .json:
            return try JSON.string(result) + "\n"
        case .text:
            var out = "\(statement.id) (\(home.shortTitle), \(statement.kind.label))\n  \(statement.text)\n"
            if links.isEmpty {
                out += gap.map { "\nNo equivalent: \($0)\n" } ?? "\nNo links.\n"
            } else {
                let direction = home.kind == .npq ? "Links to" : "Linked from"
                out += "\n\(direction) \(Set(links.map(\.framework)).sorted().joined(separator: ", ")):\n"
                for link in links {
                    out += "  \(FrameworkText.pad(link.relation, 8)) \(FrameworkText.pad(link.id, 10)) \(link.text)\n"
                    out += "  \(String(repeating: " ", count: 20))why: \(link.rationale)\n"
                }
            }
            return out
        }
    }
}

extension Framework {
    enum Kind { case npq, nationalAward }
    var kind: Kind { npqSections.isEmpty ? .nationalAward : .npq }
}
