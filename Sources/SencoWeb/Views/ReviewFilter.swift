import Foundation
import SencoCore

/// Which of a portfolio's 224 statements a tutor is working through: one section, one current
/// judgement, or both. It travels in the query string of every review link and in the judgement
/// form, so "next statement" means the next one in the tutor's own list.
struct ReviewFilter: Equatable {
    var section: Int?
    var status: JudgementStatus?

    /// From `section` and `status` values (a query or a form); anything unknown means "any".
    init(section: String?, status: String?, framework: Framework) {
        let number = section.flatMap { Int($0) }
        self.section = framework.npqSections.contains { $0.number == number } ? number : nil
        self.status = status.flatMap { JudgementStatus(rawValue: $0) }
    }

    var isActive: Bool { section != nil || status != nil }

    /// `?section=…&status=…` (empty when no filter), to append to a review link.
    var query: String {
        var items: [URLQueryItem] = []
        if let section { items.append(URLQueryItem(name: "section", value: String(section))) }
        if let status { items.append(URLQueryItem(name: "status", value: status.rawValue)) }
        guard !items.isEmpty else { return "" }
        var components = URLComponents()
        components.queryItems = items
        return "?" + (components.percentEncodedQuery ?? "")
    }

    /// The statements in the framework's order, as the review page lists them.
    static func ordered(_ framework: Framework) -> [(section: Int, statement: Statement)] {
        framework.npqSections.flatMap { section in (section.learnThat + section.learnHowTo).map { (section.number, $0) } }
    }

    func includes(section number: Int, statement: String, in portfolio: Portfolio) -> Bool {
        if let section, section != number { return false }
        if let status, portfolio.status(of: statement) != status { return false }
        return true
    }

    /// The statements before and after `statementID` in the filtered list, in framework order.
    /// The statement itself need not match (its judgement may just have changed).
    func neighbours(of statementID: String, in portfolio: Portfolio, framework: Framework) -> (previous: String?, next: String?) {
        let all = Self.ordered(framework)
        guard let index = all.firstIndex(where: { $0.statement.id == statementID }) else { return (nil, nil) }
        let matches = { (entry: (section: Int, statement: Statement)) in
            includes(section: entry.section, statement: entry.statement.id, in: portfolio)
        }
        let previous = all[..<index].last(where: matches)?.statement.id
        let next = all[(index + 1)...].first(where: matches)?.statement.id
        return (previous, next)
    }
}
