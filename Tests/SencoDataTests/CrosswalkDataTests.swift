import Foundation
import SencoCore
import SencoData
import SencoTestSupport
import SencoXML
import Testing

/// The shipped crosswalk (`Frameworks/npq-to-national-award.xml`): valid, complete, using only the
/// allowed relations, and counted in `Frameworks/README.md` exactly as the file holds it.
struct CrosswalkDataTests {
    static let file = TestSupport.frameworksDirectory.appendingPathComponent("npq-to-national-award.xml")

    @Test func crosswalkFileValidatesAgainstItsSchema() throws {
        let schema = try XMLSchema(contentsOf: TestSupport.frameworksDirectory.appendingPathComponent("crosswalk.xsd"))
        let violations = try schema.validate(try Data(contentsOf: Self.file), source: Self.file.path)
        #expect(violations.isEmpty, "\(violations)")
    }

    @Test func everyOutcomeHasALinkOrAReasonedNoEquivalent() throws {
        let library = try TestSupport.library()
        let crosswalk = try #require(library.crosswalks.first)
        let award = try #require(library.framework(withID: "national-award-2009"))
        #expect(award.statements.count == 55)
        for outcome in award.statements {
            let links = crosswalk.links(toOutcome: outcome.id)
            if let gap = crosswalk.gap(forOutcome: outcome.id) {
                #expect(links.isEmpty, "\(outcome.id) is both linked and marked as having no equivalent")
                #expect(gap.reason.count >= 40, "\(outcome.id): a no-equivalent entry gives its reason")
            } else {
                #expect(!links.isEmpty, "\(outcome.id) has neither a link nor a no-equivalent entry")
            }
        }
        for link in crosswalk.links {
            #expect(link.rationale.count >= 20, "\(link.statement) → \(link.outcome) has a one-line rationale")
            #expect(!link.rationale.contains("\n"), "\(link.statement) → \(link.outcome): one line")
        }
    }

    /// Read as raw attributes, so a relation the decoder might one day tolerate is still caught.
    @Test func everyRelationIsOneOfTheAllowedValues() throws {
        let root = try XMLReader().read(contentsOf: Self.file)
        let allowed = Set(CrosswalkRelation.allCases.map(\.rawValue))
        #expect(allowed == ["exact", "partial", "related"])
        let links = root.elements(named: "link")
        #expect(!links.isEmpty)
        for link in links {
            let relation = link[attribute: "relation"] ?? ""
            #expect(allowed.contains(relation), "line \(link.line): relation \"\(relation)\"")
        }
    }

    /// A partial link whose own rationale says it gives knowledge only, or knowledge rather than
    /// strategy, is really `related` (the review's finding).
    @Test func noPartialLinkCallsItselfKnowledgeOnly() throws {
        let crosswalk = try #require(try TestSupport.library().crosswalks.first)
        for link in crosswalk.links where link.relation != .related {
            let text = link.rationale.lowercased()
            #expect(
                !text.contains("knowledge only") && !text.contains("rather than strategy")
                    && !text.contains("knowledge rather than"),
                "\(link.statement) → \(link.outcome) is \(link.relation.rawValue) but its rationale says related")
        }
    }

    /// The README's "Counts by relation" table: its last column is the file as shipped.
    @Test func readmeCountsMatchTheFile() throws {
        let crosswalk = try #require(try TestSupport.library().crosswalks.first)
        let readme = try String(contentsOf: TestSupport.frameworksDirectory.appendingPathComponent("README.md"), encoding: .utf8)
        let table = try #require(Self.countsTable(in: readme), "README.md has a \"Counts by relation\" table")
        var expected: [String: Int] = [
            "links": crosswalk.links.count,
            "no equivalent": crosswalk.noEquivalent.count,
            "outcomes linked": Set(crosswalk.links.map(\.outcome)).count,
            "outcomes linked only as related": Dictionary(grouping: crosswalk.links, by: \.outcome).values
                .filter { links in links.allSatisfy { $0.relation == .related } }.count,
        ]
        for relation in CrosswalkRelation.allCases {
            expected[relation.rawValue] = crosswalk.links.filter { $0.relation == relation }.count
        }
        #expect(Set(table.keys) == Set(expected.keys), "rows: \(table.keys.sorted())")
        for (row, count) in expected {
            #expect(table[row] == count, "README says \(row) = \(table[row] ?? -1); the file has \(count)")
        }
        #expect(crosswalk.version == "2", "the README's last column describes version 2")
        let relatedOnly = Dictionary(grouping: crosswalk.links, by: \.outcome)
            .filter { $0.value.allSatisfy { $0.relation == .related } }.keys.sorted()
        #expect(relatedOnly == ["NA-1.1.4", "NA-1.1.5", "NA-1.1.6", "NA-2.2.1", "NA-3.3.2", "NA-4.2.1"])
        for outcome in relatedOnly { #expect(readme.contains(outcome), "README names \(outcome) as related-only") }
    }

    /// Rows of the first table after the "### Counts by relation" heading: first cell → last cell.
    static func countsTable(in readme: String) -> [String: Int]? {
        let lines = readme.components(separatedBy: "\n")
        guard let heading = lines.firstIndex(of: "### Counts by relation") else { return nil }
        var rows: [String: Int] = [:]
        var inTable = false
        for line in lines[(heading + 1)...] {
            guard line.hasPrefix("|") else {
                if inTable { break }
                continue
            }
            inTable = true
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard let name = cells.first, let last = cells.last, let value = Int(last) else { continue }
            rows[name] = value
        }
        return rows.isEmpty ? nil : rows
    }
}
