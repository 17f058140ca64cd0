import Foundation
import Testing

@testable import SencoWeb

/// The paged lists' navigation is a typed value, and one partial draws it for every list with
/// the accessible name the page gives.
@Suite struct PageNavigationTests {
    @Test func aMiddlePageLinksBothWaysAndElidesTheRest() {
        let paging = Paging(total: 1_000, requested: "10")
        let navigation = paging.navigation(path: "/tutor", query: [("q", "bulk"), ("waiting", "")], label: "Pages of participants")
        #expect(navigation.several)
        #expect(navigation.previous == "/tutor?q=bulk&page=9")
        #expect(navigation.next == "/tutor?q=bulk&page=11")
        #expect(navigation.pages.map { $0.gap ? "…" : String($0.number) } == ["1", "…", "9", "10", "11", "…", "20"])
        #expect(navigation.pages.filter(\.current).map(\.number) == [10])
        #expect(navigation.pages.first?.href == "/tutor?q=bulk", "page 1 has no page parameter")
    }

    @Test func oneShortListHasNoNavigation() throws {
        let navigation = Paging(total: 3, requested: nil).navigation(path: "/tutor", query: [], label: "Pages of participants")
        #expect(!navigation.several && navigation.previous == nil && navigation.next == nil)
        let views = try Views.bundled()
        let html = views.library.render(Holder(paging: navigation), withTemplate: "pagination") ?? "missing"
        #expect(!html.contains("<nav"), "a single page draws no navigation")
    }

    @Test func thePartialNamesTheListItPages() throws {
        let views = try Views.bundled()
        let navigation = Paging(total: 120, requested: "2").navigation(path: "/provider/users", query: [], label: "Pages of accounts")
        let html = try #require(views.library.render(Holder(paging: navigation), withTemplate: "pagination"))
        #expect(html.contains("<nav class=\"pagination\" aria-label=\"Pages of accounts\">"))
        #expect(html.contains("<a href=\"/provider/users?page=2\" aria-current=\"page\">Page 2</a>"))
        #expect(html.contains("<a href=\"/provider/users\" rel=\"prev\">Previous page</a>"))
        #expect(html.contains("<a href=\"/provider/users?page=3\" rel=\"next\">Next page</a>"))
    }

    /// What a page holding a paged list looks like to the partial.
    private struct Holder {
        var paging: PageNavigation
    }
}
