import Foundation

/// The links of a paged list as a typed value for a template: previous, next, and the page
/// numbers around the current one, each keeping the list's filters (`Paging.links`).
struct PageLinks {
    struct Item {
        var number: Int
        var href: String
        var current: Bool
        /// Pages left out before this one ("…").
        var gapBefore: Bool
    }

    /// What the navigation is called for assistive technology ("Pages of participants").
    var label: String
    /// Whether there is more than one page (otherwise nothing is shown).
    var several: Bool
    var previous: String?
    var next: String?
    var pages: [Item]
}

extension Paging {
    /// This page's navigation: the first and last pages and those either side of this one.
    func links(path: String, query: [(String, String)], label: String) -> PageLinks {
        func link(_ number: Int) -> String {
            var components = URLComponents()
            components.path = path
            components.queryItems = (query.filter { !$0.1.isEmpty } + (number == 1 ? [] : [("page", String(number))]))
                .map { URLQueryItem(name: $0.0, value: $0.1) }
            return components.string ?? path
        }
        let window = Set([1, pages, page - 1, page, page + 1].filter { (1...pages).contains($0) }).sorted()
        var items: [PageLinks.Item] = []
        var previousNumber = 0
        for number in window {
            items.append(
                PageLinks.Item(
                    number: number, href: link(number), current: number == page, gapBefore: number > previousNumber + 1)
            )
            previousNumber = number
        }
        return PageLinks(
            label: label, several: pages > 1, previous: page > 1 ? link(page - 1) : nil,
            next: page < pages ? link(page + 1) : nil, pages: items)
    }
}
