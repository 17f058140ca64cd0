import Foundation
import SencoCore
import SencoXML

/// Reads `Portfolios/reflection-prompts.xml`: the safe reader, its schema, then the decoder.
public enum ReflectionPromptsCodec {
    public static let fileName = "reflection-prompts.xml"
    public static let schemaName = "reflection-prompts.xsd"

    /// Parses, validates and decodes the prompts file in `directory`, then checks it against the
    /// evidence rules (every type it names exists, every type has a prompt).
    public static func load(directory: URL, rules: EvidenceRules) throws(DataError) -> ReflectionPrompts {
        let file = directory.appendingPathComponent(fileName)
        do {
            let schema = try XMLSchema(contentsOf: directory.appendingPathComponent(schemaName))
            let data: Data
            do { data = try Data(contentsOf: file) } catch {
                throw DataError("cannot read the reflection prompts", file: file.path)
            }
            let (root, violations) = try schema.read(data, source: file.path)
            if !violations.isEmpty { throw DataError(violations.map(\.finding)) }
            let prompts = try decode(root, file: file.path)
            let findings = prompts.check(against: rules).located(in: file.path)
            if findings.hasErrors { throw DataError(findings) }
            return prompts
        } catch let error as XMLError {
            throw DataError(error)
        } catch let error as DataError {
            throw error
        } catch {
            throw DataError("\(error)", file: file.path)
        }
    }

    public static func decode(_ root: XMLElement, file: String = "") throws(DataError) -> ReflectionPrompts {
        guard root.name == "reflectionPrompts" else {
            throw DataError("root element is <\(root.name)>, not <reflectionPrompts>", file: file, line: root.line)
        }
        let d = Decoding(file: file)
        let sources = try root.elements(named: "source").map { (s) throws(DataError) in
            ReflectionPrompts.Source(
                id: try d.attribute(s, "id"), file: try d.attribute(s, "file"), title: try d.child(s, "title").text,
                publisher: try d.child(s, "publisher").text, published: try d.child(s, "published").text,
                licence: try d.child(s, "licence").text)
        }
        let ingredients = try root.elements(named: "ingredient").map { (i) throws(DataError) in
            ReflectionPrompts.Ingredient(
                id: try d.attribute(i, "id"), number: try d.integer(i, "number"), name: i.text,
                source: try d.attribute(i, "source"), section: try d.attribute(i, "section"), line: try d.integer(i, "line"))
        }
        let prompts = try root.elements(named: "prompt").map { (p) throws(DataError) in
            let sections = try (try d.attribute(p, "npqSections")).split(separator: " ").map { (text) throws(DataError) in
                guard let number = Int(text) else {
                    throw DataError("<prompt> npqSections holds \"\(text)\", not a section number", file: file, line: p.line)
                }
                return number
            }
            return ReflectionPrompts.Prompt(
                id: try d.attribute(p, "id"), source: try d.attribute(p, "source"), section: try d.attribute(p, "section"),
                heading: p[attribute: "heading"], line: try d.integer(p, "line"), stem: p.element(named: "stem")?.text,
                label: p.element(named: "label")?.text, text: try d.child(p, "text").text,
                types: (try d.attribute(p, "types")).split(separator: " ").map(String.init), npqSections: sections)
        }
        return ReflectionPrompts(
            version: try d.integer(root, "version"), attribution: try d.child(root, "attribution").text, sources: sources,
            ingredients: ingredients, prompts: prompts)
    }
}
