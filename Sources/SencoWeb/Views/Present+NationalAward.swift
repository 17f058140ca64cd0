import Foundation
import SencoCore

extension WebServices {
    /// The National Award outcomes and the crosswalk from the NPQ to them, when both are loaded.
    var nationalAward: (award: Framework, crosswalk: Crosswalk)? {
        guard let crosswalk = library.crosswalks.first(where: { $0.from == npq.id }),
            let award = library.framework(withID: crosswalk.to)
        else { return nil }
        return (award, crosswalk)
    }
}

extension Present {
    /// National Award outcomes seen through the crosswalk, each with the word that says whether
    /// it is sufficiently evidenced, evidenced only through related links, or not reached.
    static func outcomeRows(_ coverage: Coverage) -> [OutcomeRow] {
        coverage.outcomes.map { outcome in
            let status: (word: String, key: String)
            if outcome.sufficient {
                status = ("sufficiently evidenced", "complete")
            } else if outcome.onlyRelated {
                status = ("evidenced through related links only, not sufficient", "progress")
            } else if outcome.evidenced {
                status = ("evidenced, not yet sufficient", "progress")
            } else if outcome.noEquivalent != nil {
                status = ("no NPQ equivalent", "none")
            } else {
                status = ("not reached yet", "none")
            }
            return OutcomeRow(
                id: outcome.outcome.id, text: outcome.outcome.text, status: status.word, statusKey: status.key,
                routes: outcome.routes.map {
                    OutcomeRow.Route(statement: $0.statement, relation: $0.relation.rawValue)
                },
                hasRoutes: !outcome.routes.isEmpty, noEquivalent: outcome.noEquivalent != nil)
        }
    }

    static func outcomeTotals(_ coverage: Coverage) -> OutcomeTotals {
        OutcomeTotals(
            total: coverage.outcomes.count, evidenced: coverage.outcomes.filter(\.evidenced).count,
            sufficient: coverage.outcomes.filter(\.sufficient).count,
            onlyRelated: coverage.outcomes.filter(\.onlyRelated).count)
    }
}
