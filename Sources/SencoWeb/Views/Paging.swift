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

    /// The navigation for the `pagination` partial: previous, next, and the page numbers around
    /// this one, each as a link that keeps `query` (the filters); `label` names the list for
    /// assistive technology ("Pages of participants").
    func navigation(path: String, query: [(String, String)], label: String) -> PageNavigation {
        func link(_ number: Int) -> String {
            var components = URLComponents()
            components.path = path
            let items = (query.filter { !$0.1.isEmpty } + (number == 1 ? [] : [("page", String(number))]))
                .map { URLQueryItem(name: $0.0, value: $0.1) }
            // No items, no "?": the first page of an unfiltered list is the list's own address.
            components.queryItems = items.isEmpty ? nil : items
            return components.string ?? path
        }
        let window = Set([1, pages, page - 1, page, page + 1].filter { (1...pages).contains($0) }).sorted()
        var items: [PageNavigation.Item] = []
        var previousNumber = 0
        for number in window {
            if number > previousNumber + 1 { items.append(.gap) }
            items.append(PageNavigation.Item(gap: false, number: number, href: link(number), current: number == page))
            previousNumber = number
        }
        return PageNavigation(
            label: label, several: pages > 1, previous: page > 1 ? link(page - 1) : nil,
            next: page < pages ? link(page + 1) : nil, pages: items)
    }
}

/// A paged list's navigation, as the `pagination` partial renders it (inside `{{#paging}}`).
struct PageNavigation {
    struct Item {
        /// Pages left out between two numbers ("…").
        var gap: Bool
        var number: Int
        var href: String
        var current: Bool

        static let gap = Item(gap: true, number: 0, href: "", current: false)
    }

    /// The navigation's accessible name, which says what is paged.
    var label: String
    /// Whether there is more than one page (with one, nothing is shown).
    var several: Bool
    var previous: String?
    var next: String?
    var pages: [Item]
}
