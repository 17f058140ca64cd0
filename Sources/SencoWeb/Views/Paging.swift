import Foundation

/// One page of a long list (a cohort of 5,000): which rows to show, and the links to the pages
/// around it, each keeping the list's filters.
struct Paging {
    static let pageSize = 50

    let total: Int
    let page: Int
    let size: Int

    /// `requested` is the `page` query value; anything unusable means the first page, and a page
    /// past the end means the last.
    init(total: Int, requested: String?, size: Int = Paging.pageSize) {
        self.total = total
        self.size = size
        let pages = max(1, (total + size - 1) / size)
        page = min(max(1, requested.flatMap { Int($0) } ?? 1), pages)
    }

    var pages: Int { max(1, (total + size - 1) / size) }
    var range: Range<Int> { min(total, (page - 1) * size)..<min(total, page * size) }

    /// "Showing 51 to 100 of 1,000" (or the whole count when it fits one page).
    var summary: String {
        let count = total.formatted()
        if total == 0 { return "No participants match." }
        if pages == 1 { return total == 1 ? "1 participant." : "\(count) participants." }
        return "Showing \((range.lowerBound + 1).formatted()) to \(range.upperBound.formatted()) of \(count) participants."
    }

    /// The navigation's values for a template: previous, next, and the page numbers around this
    /// one, each as a link that keeps `query` (the filters).
    func navigation(path: String, query: [(String, String)]) -> [String: Any] {
        func link(_ number: Int) -> String {
            var components = URLComponents()
            components.path = path
            components.queryItems = (query.filter { !$0.1.isEmpty } + (number == 1 ? [] : [("page", String(number))]))
                .map { URLQueryItem(name: $0.0, value: $0.1) }
            return components.string ?? path
        }
        let window = Set([1, pages, page - 1, page, page + 1].filter { (1...pages).contains($0) }).sorted()
        var items: [[String: Any]] = []
        var previousNumber = 0
        for number in window {
            if number > previousNumber + 1 { items.append(["gap": true]) }
            items.append(["number": number, "href": link(number), "current": number == page])
            previousNumber = number
        }
        var values: [String: Any] = ["pages": items, "several": pages > 1]
        if page > 1 { values["previous"] = link(page - 1) }
        if page < pages { values["next"] = link(page + 1) }
        return values
    }
}
