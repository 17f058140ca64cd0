import SencoCore
import SencoXML

/// Turns a parsed (and schema-valid) framework or crosswalk document into model values.
public enum FrameworkDecoder {
    public static func framework(from root: XMLElement, file: String = "") throws(DataError) -> Framework {
        guard root.name == "framework" else {
            throw DataError("root element is <\(root.name)>, expected <framework>", file: file, line: root.line)
        }
        let id = try required(root, "id", file)
        let kind = try required(root, "kind", file)
        let sourceElement = root.element(named: "source")
        let source = FrameworkSource(
            document: sourceElement?.element(named: "document")?.text ?? "",
            publisher: sourceElement?.element(named: "publisher")?.text ?? "",
            published: sourceElement?.element(named: "published")?.text ?? "",
            licence: sourceElement?.element(named: "licence")?.text ?? "",
            attribution: sourceElement?.element(named: "attribution")?.text ?? "",
            copyright: sourceElement?.element(named: "copyright")?.text,
            licenceURL: sourceElement?.element(named: "licenceURL")?.text)
        var order = 0
        func next() -> Int {
            defer { order += 1 }
            return order
        }
        let content: Framework.Content
        switch kind {
        case "npq":
            var sections: [NPQSection] = []
            for element in root.elements(named: "section") {
                let number = try integer(element, "number", file)
                let learnThat = try element.elements(named: "learnThat").map { (statement) throws(DataError) in
                    Statement(
                        id: try required(statement, "id", file), kind: .learnThat, text: statement.text, section: number,
                        group: nil, order: next(), line: statement.line, statute: statement[attribute: "statute"])
                }
                let references = element.element(named: "references")?.elements(named: "reference") ?? []
                var groups: [StatementGroup] = []
                for group in element.elements(named: "group") {
                    let heading = group.element(named: "heading")?.text ?? ""
                    let statements = try group.elements(named: "learnHowTo").map { (statement) throws(DataError) in
                        Statement(
                            id: try required(statement, "id", file), kind: .learnHowTo, text: statement.text,
                            section: number, group: heading, order: next(), line: statement.line,
                            statute: statement[attribute: "statute"])
                    }
                    groups.append(StatementGroup(heading: heading, statements: statements, line: group.line))
                }
                sections.append(
                    NPQSection(
                        number: number, title: element.element(named: "title")?.text ?? "",
                        intro: element.element(named: "intro")?.text, learnThat: learnThat, groups: groups,
                        references: references.map(\.text), referenceIDs: references.map { $0[attribute: "ref"] ?? "" }))
            }
            content = .npq(sections: sections)
        case "national-award":
            let features = root.element(named: "roleFeatures")
            var areas: [AwardArea] = []
            for element in root.elements(named: "area") {
                let number = try integer(element, "number", file)
                var subareas: [AwardSubarea] = []
                for sub in element.elements(named: "subarea") {
                    let subNumber = try required(sub, "number", file)
                    let outcomes = try sub.elements(named: "outcome").map { (outcome) throws(DataError) in
                        Statement(
                            id: try required(outcome, "id", file), kind: .outcome, text: outcome.text, section: number,
                            group: subNumber, order: next(), line: outcome.line)
                    }
                    subareas.append(
                        AwardSubarea(
                            number: subNumber, title: sub.element(named: "title")?.text ?? "",
                            stem: sub.element(named: "stem")?.text ?? "", outcomes: outcomes))
                }
                areas.append(AwardArea(number: number, title: element.element(named: "title")?.text ?? "", subareas: subareas))
            }
            content = .nationalAward(
                roleFeaturesStem: features?.element(named: "stem")?.text ?? "",
                roleFeatures: features?.elements(named: "feature").map(\.text) ?? [], areas: areas)
        default:
            throw DataError("unknown framework kind \"\(kind)\"", file: file, line: root.line)
        }
        return Framework(
            id: id, version: root[attribute: "version"] ?? "", title: root.element(named: "title")?.text ?? "",
            shortTitle: root.element(named: "shortTitle")?.text ?? "", source: source, content: content,
            notes: try notes(root, file: file))
    }

    /// Definitions, introduction and bibliography, each optional.
    static func notes(_ root: XMLElement, file: String) throws(DataError) -> FrameworkNotes {
        let definitions = try (root.element(named: "definitions")?.elements(named: "definition") ?? []).map {
            (element) throws(DataError) in
            guard let kind = StatementKind(rawValue: try required(element, "statementType", file)) else {
                throw DataError("unknown statementType in <definition>", file: file, line: element.line)
            }
            return FrameworkNotes.Definition(kind: kind, term: try required(element, "term", file), text: element.text)
        }
        let introduction = root.element(named: "introduction").map {
            FrameworkNotes.Introduction(
                title: $0.element(named: "title")?.text ?? "", paragraphs: $0.elements(named: "para").map(\.text))
        }
        let bibliography = try (root.element(named: "bibliography")?.elements(named: "entry") ?? []).map {
            (entry) throws(DataError) in
            let yearText = entry.element(named: "year")?.text ?? ""
            guard let year = Int(yearText) else {
                throw DataError("<entry> year \"\(yearText)\" is not a year", file: file, line: entry.line)
            }
            return FrameworkNotes.Reference(
                id: try required(entry, "id", file), authors: entry.element(named: "authors")?.text,
                body: entry.element(named: "body")?.text, year: year, title: entry.element(named: "title")?.text ?? "",
                addresses: entry.elements(named: "url").map {
                    FrameworkNotes.Reference.Address(url: $0.text, restoredFromLine: $0[attribute: "restoredFromLine"].flatMap { Int($0) })
                })
        }
        return FrameworkNotes(definitions: definitions, introduction: introduction, bibliography: bibliography)
    }

    public static func crosswalk(from root: XMLElement, file: String = "") throws(DataError) -> Crosswalk {
        guard root.name == "crosswalk" else {
            throw DataError("root element is <\(root.name)>, expected <crosswalk>", file: file, line: root.line)
        }
        var links: [CrosswalkLink] = []
        for link in root.elements(named: "link") {
            let relationName = try required(link, "relation", file)
            guard let relation = CrosswalkRelation(rawValue: relationName) else {
                throw DataError("unknown relation \"\(relationName)\"", file: file, line: link.line)
            }
            links.append(
                CrosswalkLink(
                    statement: try required(link, "statement", file), outcome: try required(link, "outcome", file),
                    relation: relation, rationale: link.element(named: "rationale")?.text ?? "", line: link.line))
        }
        let gaps = try root.elements(named: "noEquivalent").map { (gap) throws(DataError) in
            CrosswalkGap(
                outcome: try required(gap, "outcome", file), reason: gap.element(named: "reason")?.text ?? "",
                line: gap.line)
        }
        return Crosswalk(
            id: try required(root, "id", file), from: try required(root, "from", file),
            to: try required(root, "to", file), version: root[attribute: "version"] ?? "",
            title: root.element(named: "title")?.text ?? "", note: root.element(named: "note")?.text, links: links,
            noEquivalent: gaps)
    }

    private static func required(_ element: XMLElement, _ name: String, _ file: String) throws(DataError) -> String {
        guard let value = element[attribute: name], !value.isEmpty else {
            throw DataError("<\(element.name)> has no \(name) attribute", file: file, line: element.line)
        }
        return value
    }

    private static func integer(_ element: XMLElement, _ name: String, _ file: String) throws(DataError) -> Int {
        let text = try required(element, name, file)
        guard let value = Int(text) else {
            throw DataError("<\(element.name)> \(name)=\"\(text)\" is not a number", file: file, line: element.line)
        }
        return value
    }
}
