import Foundation
import Hummingbird
import HummingbirdTesting
import SencoCore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// Reflection prompts where a participant writes, key-ingredient tags that tutors see, and the
/// National Award outcomes on the portfolio page.
@Suite struct PromptsAndTagsTests {
    static let evidence: [(String, String)] = [
        ("title", "Scrutiny of Year 4 intervention books"), ("type", "work-scrutiny"), ("date", "2026-09-01"),
        ("reflection", String(repeating: "I looked at the books with the class teacher and saw the phonics work carried into class. ", count: 3)),
        ("statement", "1.1"), ("claim", "Shows how I check that intervention learning transfers."),
    ]

    @Test func theEvidenceFormShowsPromptsForTheChosenType() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "participant")
            let blank = String(buffer: try await browser.get(client, "/portfolios/p-demo-01/evidence/new").body)
            #expect(blank.contains("Show prompts for this type"), "a button, not a script, asks for prompts")
            #expect(!blank.contains("Is there evidence that work from interventions is being generalised into classroom work?"))
            #expect(blank.contains("Key ingredients of effective SEN support"), "the ingredient tags are offered")
            let chosen = String(buffer: try await browser.get(client, "/portfolios/p-demo-01/evidence/new?type=work-scrutiny").body)
            #expect(chosen.contains("Questions to reflect on: Work scrutiny"))
            #expect(chosen.contains("Is there evidence that work from interventions is being generalised into classroom work?"))
            #expect(chosen.contains("SENCO Induction Pack"), "each prompt names its source")
        }
    }

    @Test func askingForPromptsKeepsWhatWasTypedAndChangesNothing() async throws {
        let fixture = try WebFixture()
        let before = fixture.snapshot()
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "participant")
            try await browser.get(client, "/portfolios/p-demo-01/evidence/new")
            let fields: [(String, String)] = [
                ("title", "Half-written & <unsaved>"), ("type", "meeting-record"), ("date", "2026-09-01"),
                ("reflection", "So far: the review went well"), ("ingredient", "personalisation"), ("revision", "1"),
            ]
            let response = try await browser.post(client, "/portfolios/p-demo-01/evidence/new/prompts", fields)
            #expect(response.status == .ok)
            let html = String(buffer: response.body)
            #expect(html.contains("Half-written &amp; &lt;unsaved&gt;"), "the title is kept, escaped")
            #expect(html.contains("So far: the review went well"))
            #expect(html.contains("What is important to the child/young person at present?"), "a person-centred review question")
            #expect(html.contains("value=\"personalisation\" id=\"ingredient-personalisation\" checked"))
        }
        #expect(fixture.snapshot() == before, "showing prompts writes nothing")
    }

    @Test func ingredientTagsAreStoredAndTutorsSeeThem() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "participant")
            try await browser.get(client, "/portfolios/p-demo-01/evidence/new")
            let fields = Self.evidence + [
                ("ingredient", "progress-tracking"), ("ingredient", "no-such-ingredient"), ("ingredient", "high-quality-teaching"),
                ("revision", "1"),
            ]
            let response = try await browser.post(client, "/portfolios/p-demo-01/evidence", fields)
            #expect(response.status == .seeOther)
            var tutor = try await Browser.signIn(client, as: "tutor")
            let page = String(buffer: try await tutor.get(client, "/portfolios/p-demo-01/review/1.1").body)
            #expect(page.contains("<span class=\"tag\">2. High quality teaching</span>"))
            #expect(page.contains("<span class=\"tag\">6. Progress tracking</span>"))
        }
        let item = try #require(try fixture.store.portfolio("p-demo-01").evidenceItem(withID: "e2"))
        #expect(item.type == "work-scrutiny")
        #expect(item.ingredients == ["high-quality-teaching", "progress-tracking"], "unknown ids dropped, file order kept")
    }

    @Test func thePortfolioPageSaysWhichOutcomesAreSufficient() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "participant")
            let html = String(buffer: try await browser.get(client, "/portfolios/p-demo-01").body)
            #expect(html.contains("National Award outcomes, through the crosswalk"))
            #expect(html.contains("only an exact or partial link to a sufficiently evidenced statement makes it sufficient"))
            #expect(html.contains("(related)") || html.contains("(partial)") || html.contains("(exact)"), "each route names its relation")
        }
    }
}

/// The baseline-and-impact pair on the web form, stored with the item and shown to tutors.
@Suite struct ImpactEvidenceTests {
    @Test func anInterventionWithItsBaselineAndImpactIsStoredAndShownToTheTutor() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "participant")
            let form = String(buffer: try await browser.get(client, "/portfolios/p-demo-01/evidence/new").body)
            #expect(form.contains("Measure before (baseline)"))
            #expect(form.contains("Intervention: baseline and impact and Provision review: baseline and impact evidence is sufficient only with all three"))
            let fields: [(String, String)] = [
                ("title", "Year 2 phonics catch-up"), ("type", "intervention-review"), ("date", "2026-09-01"),
                ("reflection", String(repeating: "The group met daily for twelve weeks with a trained TA. ", count: 3)),
                ("baseline", "Phonics screening score 18/40 (5 January)"), ("after", "Phonics screening score 31/40 (30 March)"),
                ("change", "Thirteen marks gained; two pupils now read with the class."),
                ("statement", "1.a"), ("claim", "Shows an intervention chosen, run and evaluated."), ("revision", "1"),
            ]
            let response = try await browser.post(client, "/portfolios/p-demo-01/evidence", fields)
            #expect(response.status == .seeOther)
            var tutor = try await Browser.signIn(client, as: "tutor")
            let page = String(buffer: try await tutor.get(client, "/portfolios/p-demo-01/review/1.a").body)
            #expect(page.contains("Baseline and impact"))
            #expect(page.contains("Phonics screening score 31/40 (30 March)"))
            #expect(page.contains("Sufficient for this statement: yes."))
        }
        let item = try #require(try fixture.store.portfolio("p-demo-01").evidenceItem(withID: "e2"))
        #expect(item.impact == ImpactRecord(
            baseline: "Phonics screening score 18/40 (5 January)", after: "Phonics screening score 31/40 (30 March)",
            change: "Thirteen marks gained; two pupils now read with the class."))
    }

    @Test func withoutItsPairAnInterventionIsEvidencedButNotSufficient() async throws {
        let fixture = try WebFixture()
        try await fixture.app().test(.router) { client in
            var browser = try await Browser.signIn(client, as: "participant")
            try await browser.get(client, "/portfolios/p-demo-01/evidence/new")
            let fields: [(String, String)] = [
                ("title", "Year 2 phonics catch-up"), ("type", "intervention-review"), ("date", "2026-09-01"),
                ("reflection", String(repeating: "The group met daily for twelve weeks with a trained TA. ", count: 3)),
                ("statement", "1.a"), ("claim", "Shows an intervention run."), ("revision", "1"),
            ]
            #expect(try await browser.post(client, "/portfolios/p-demo-01/evidence", fields).status == .seeOther)
            var tutor = try await Browser.signIn(client, as: "tutor")
            let page = String(buffer: try await tutor.get(client, "/portfolios/p-demo-01/review/1.a").body)
            #expect(page.contains("Sufficient for this statement: no."))
            #expect(!page.contains("Baseline and impact"))
        }
        #expect(try fixture.store.portfolio("p-demo-01").evidenceItem(withID: "e2")?.impact == nil)
    }
}
