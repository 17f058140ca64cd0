import Foundation
import SencoCore

/// The coverage report for one participant, ready for JSON or HTML.
public struct CoverageReport: Sendable {
    public let portfolio: Portfolio
    public let framework: Framework
    public let coverage: Coverage
    public let rules: EvidenceRules

    public init(portfolio: Portfolio, framework: Framework, coverage: Coverage, rules: EvidenceRules) {
        self.portfolio = portfolio
        self.framework = framework
        self.coverage = coverage
        self.rules = rules
    }

    // MARK: JSON

    struct CountJSON: Encodable {
        let total, evidenced, sufficient, met: Int
        init(_ count: Coverage.Count) {
            total = count.total
            evidenced = count.evidenced
            sufficient = count.sufficient
            met = count.met
        }
    }

    struct SectionJSON: Encodable {
        let number: Int
        let title: String
        let learnThat: CountJSON
        let learnHowTo: CountJSON
    }

    struct StatementJSON: Encodable {
        let id, type, text, status: String
        let section: Int
        let evidence: [String]
        let evidenced, sufficient: Bool
    }

    struct RouteJSON: Encodable {
        let statement, relation: String
        /// The statement's own evidence is sufficient.
        let statementSufficient: Bool
        /// This route makes the outcome sufficient (a sufficient statement through an exact or partial link).
        let counts: Bool
    }

    struct OutcomeJSON: Encodable {
        let id, text: String
        let via: [String]
        let routes: [RouteJSON]
        let evidenced, sufficient: Bool
        /// Evidenced only through related links: not sufficient, whatever their evidence.
        let onlyRelated: Bool
        let noEquivalent: String?
    }

    struct WarningJSON: Encodable {
        let evidence: String
        let statements, limit: Int
        let message: String
    }

    struct ReportJSON: Encodable {
        let participant, name, framework, state: String
        let revision: Int
        let total: CountJSON
        let sections: [SectionJSON]
        let statements: [StatementJSON]
        let gaps: [String]
        let nationalAward: [OutcomeJSON]
        let warnings: [WarningJSON]
    }

    public func jsonValue() -> some Encodable {
        ReportJSON(
            participant: portfolio.id, name: portfolio.participant.name, framework: framework.id,
            state: portfolio.state.rawValue, revision: portfolio.revision, total: CountJSON(coverage.total),
            sections: coverage.sections.map {
                SectionJSON(number: $0.number, title: $0.title, learnThat: CountJSON($0.learnThat), learnHowTo: CountJSON($0.learnHowTo))
            },
            statements: coverage.statements.map {
                StatementJSON(
                    id: $0.statement.id, type: $0.statement.kind.rawValue, text: $0.statement.text, status: $0.status.rawValue,
                    section: $0.statement.section, evidence: $0.evidence, evidenced: !$0.evidence.isEmpty, sufficient: $0.sufficient)
            },
            gaps: coverage.gaps.map(\.id),
            nationalAward: coverage.outcomes.map {
                OutcomeJSON(
                    id: $0.outcome.id, text: $0.outcome.text, via: $0.via,
                    routes: $0.routes.map {
                        RouteJSON(
                            statement: $0.statement, relation: $0.relation.rawValue, statementSufficient: $0.statementSufficient,
                            counts: $0.counts)
                    },
                    evidenced: $0.evidenced, sufficient: $0.sufficient, onlyRelated: $0.onlyRelated, noEquivalent: $0.noEquivalent)
            },
            warnings: coverage.warnings.map {
                WarningJSON(evidence: $0.evidence, statements: $0.statements, limit: $0.limit, message: rules.stretchExplanation)
            })
    }

    // MARK: Text

    public func text() -> String {
        var out = "Coverage for \(portfolio.participant.name) (\(portfolio.id)): \(framework.shortTitle)\n"
        out += "State: \(portfolio.state.label), revision \(portfolio.revision)\n\n"
        var rows = [["SECTION", "LEARN THAT", "LEARN HOW TO", "SUFFICIENT", "STATUS", "TITLE"]]
        for section in coverage.sections {
            let sufficient = section.learnThat.sufficient + section.learnHowTo.sufficient
            let total = section.learnThat.total + section.learnHowTo.total
            rows.append([
                String(section.number), "\(section.learnThat.evidenced)/\(section.learnThat.total)",
                "\(section.learnHowTo.evidenced)/\(section.learnHowTo.total)", "\(sufficient)/\(total)",
                Self.sectionStatus(section).word, section.title,
            ])
        }
        let t = coverage.total
        rows.append(["all", "", "", "\(t.sufficient)/\(t.total)", "", "\(t.evidenced) of \(t.total) evidenced, \(t.met) met"])
        out += table(rows)
        let gaps = coverage.gaps
        out += "\nGaps (\(gaps.count) statement\(gaps.count == 1 ? "" : "s") with no evidence):\n"
        if gaps.isEmpty { out += "  none\n" }
        for gap in gaps { out += "  \(pad(gap.id, 5)) \(gap.text)\n" }
        let thin = coverage.insufficient
        if !thin.isEmpty {
            out += "\nEvidenced but not yet sufficient (\(thin.count)):\n"
            for item in thin {
                let rule = rules.rule(for: item.statement.kind)?.explanation ?? ""
                out += "  \(pad(item.statement.id, 5)) evidence \(item.evidence.joined(separator: ", ")). \(rule)\n"
            }
        }
        for warning in coverage.warnings {
            out += "\nwarning: evidence \(warning.evidence) is mapped to \(warning.statements) statements. \(rules.stretchExplanation)\n"
        }
        if !coverage.outcomes.isEmpty {
            let reached = coverage.outcomes.filter(\.evidenced).count
            let sufficient = coverage.outcomes.filter(\.sufficient).count
            let none = coverage.outcomes.filter { $0.noEquivalent != nil && !$0.evidenced }.count
            out += "\nNational Award outcomes reached through the crosswalk: \(reached) of \(coverage.outcomes.count) evidenced, "
            out += "\(sufficient) sufficiently (through an exact or partial link)"
            out += none > 0 ? " (\(none) have no NPQ equivalent)\n" : "\n"
            let pointers = coverage.outcomes.filter(\.onlyRelated)
            if !pointers.isEmpty {
                out += "\nEvidenced only through related links, so not sufficient (\(pointers.count)):\n"
                for outcome in pointers {
                    out += "  \(pad(outcome.outcome.id, 10)) via \(outcome.via.joined(separator: ", ")) (related)\n"
                }
            }
            let thinOutcomes = coverage.outcomes.filter { $0.evidenced && !$0.sufficient && !$0.onlyRelated }
            if !thinOutcomes.isEmpty {
                out += "\nEvidenced through exact or partial links, but that evidence is not yet sufficient (\(thinOutcomes.count)):\n"
                for outcome in thinOutcomes {
                    out += "  \(pad(outcome.outcome.id, 10)) via \(outcome.via.joined(separator: ", "))\n"
                }
            }
            let missing = coverage.outcomes.filter { !$0.evidenced && $0.noEquivalent == nil }
            if !missing.isEmpty { out += "\nNot yet reached (\(missing.count)):\n" }
            for outcome in missing.prefix(55) { out += "  \(pad(outcome.outcome.id, 10)) \(outcome.outcome.text)\n" }
        }
        out += "\n\(framework.source.attribution)\n"
        return out
    }

    static func sectionStatus(_ section: Coverage.SectionCoverage) -> (word: String, cssClass: String) {
        let total = section.learnThat.total + section.learnHowTo.total
        let evidenced = section.learnThat.evidenced + section.learnHowTo.evidenced
        let sufficient = section.learnThat.sufficient + section.learnHowTo.sufficient
        let met = section.learnThat.met + section.learnHowTo.met
        if total > 0 && met == total { return ("all met", "met") }
        if total > 0 && sufficient == total { return ("sufficient", "sufficient") }
        if evidenced == total && total > 0 { return ("all evidenced", "evidenced") }
        if evidenced == 0 { return ("not started", "gap") }
        return ("in progress", "partial")
    }

    // MARK: HTML

    public func html(templates: TemplateLibrary, generated: Date = Date()) throws -> String {
        let bySection = Dictionary(grouping: coverage.statements, by: \.statement.section)
        let sections: [[String: Any]] = coverage.sections.map { section in
            let status = Self.sectionStatus(section)
            let statements: [[String: Any]] = (bySection[section.number] ?? []).map { item in
                let evidenceWord: String
                let evidenceClass: String
                if item.evidence.isEmpty {
                    (evidenceWord, evidenceClass) = ("Gap: no evidence", "gap")
                } else if item.sufficient {
                    (evidenceWord, evidenceClass) = ("Sufficient", "sufficient")
                } else {
                    (evidenceWord, evidenceClass) = ("Evidenced, not yet sufficient", "partial")
                }
                var row: [String: Any] = [
                    "id": item.statement.id, "kind": item.statement.kind.label, "text": item.statement.text,
                    "evidence": item.evidence, "evidenceWord": evidenceWord, "evidenceClass": evidenceClass,
                    "judgement": item.status.label, "hasEvidence": !item.evidence.isEmpty,
                ]
                if item.statement.kind == .learnHowTo, let group = item.statement.group { row["group"] = group }
                return row
            }
            return [
                "number": section.number, "title": section.title, "statusWord": status.word, "statusClass": status.cssClass,
                "learnThat": counts(section.learnThat), "learnHowTo": counts(section.learnHowTo),
                "statements": statements,
            ]
        }
        let outcomes: [[String: Any]] = coverage.outcomes.map { outcome in
            let word: String
            let css: String
            if outcome.sufficient {
                (word, css) = ("Sufficient", "sufficient")
            } else if outcome.onlyRelated {
                (word, css) = ("Evidenced through related links only, not sufficient", "partial")
            } else if outcome.evidenced {
                (word, css) = ("Evidenced, not yet sufficient", "partial")
            } else if outcome.noEquivalent != nil {
                (word, css) = ("No NPQ equivalent", "gap")
            } else {
                (word, css) = ("Gap", "gap")
            }
            var row: [String: Any] = [
                "id": outcome.outcome.id, "text": outcome.outcome.text, "via": outcome.via, "hasVia": !outcome.via.isEmpty,
                "routes": outcome.routes.map { ["statement": $0.statement, "relation": $0.relation.rawValue] },
                "statusWord": word,
                "statusClass": css,
            ]
            if let reason = outcome.noEquivalent { row["noEquivalent"] = reason }
            return row
        }
        let p = portfolio.participant
        let context: [String: Any] = [
            "participant": ["id": p.id, "name": p.name, "school": p.school, "cohort": p.cohort],
            "framework": ["title": framework.title, "shortTitle": framework.shortTitle],
            "state": portfolio.state.label, "revision": portfolio.revision,
            "generated": Day(generated).description,
            "total": counts(coverage.total), "gapCount": coverage.gaps.count, "hasGaps": !coverage.gaps.isEmpty,
            "hasWarnings": !coverage.warnings.isEmpty,
            "gaps": coverage.gaps.map { ["id": $0.id, "kind": $0.kind.label, "text": $0.text] },
            "sections": sections, "outcomes": outcomes, "hasOutcomes": !outcomes.isEmpty,
            "outcomesTotal": outcomes.count, "outcomesEvidenced": coverage.outcomes.filter(\.evidenced).count,
            "outcomesSufficient": coverage.outcomes.filter(\.sufficient).count,
            "warnings": coverage.warnings.map {
                ["evidence": $0.evidence, "statements": $0.statements, "limit": $0.limit, "explanation": rules.stretchExplanation]
            },
            "attribution": framework.source.attribution,
        ]
        return try templates.render(context, template: "coverage")
    }

    private func counts(_ count: Coverage.Count) -> [String: Int] {
        ["total": count.total, "evidenced": count.evidenced, "sufficient": count.sufficient, "met": count.met]
    }
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

func table(_ rows: [[String]]) -> String {
    guard let first = rows.first else { return "" }
    let widths = (0..<first.count).map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
        row.enumerated().map { column, cell in column == row.count - 1 ? cell : pad(cell, widths[column]) }
            .joined(separator: "  ")
    }.joined(separator: "\n") + "\n"
}
