import Foundation
import SencoCore
import SencoData
import SencoTestSupport
import SencoXML
import Testing

@testable import SencoExport

/// Whole exports compared with checked-in golden files. Re-record deliberately with
/// `SENCO_RECORD_GOLDEN=1 swift test --filter ExportGoldenTests`; never silently.
struct ExportGoldenTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let recording = ProcessInfo.processInfo.environment["SENCO_RECORD_GOLDEN"] == "1"
    static let now = Date(timeIntervalSince1970: 1_763_000_000)  // 2025-11-13

    let framework: Framework
    let schemas: PortfolioSchemas
    let templates: TemplateLibrary

    init() throws {
        framework = try #require(try TestSupport.library().framework(withID: "npq-senco-2023"))
        schemas = try TestSupport.schemas()
        templates = try TemplateLibrary()
    }

    /// A small portfolio full of text that needs escaping, with one sensitive item and judgements.
    static func hostilePortfolio() -> Portfolio {
        let at = Date(timeIntervalSince1970: 1_760_000_000)
        var p = Portfolio(
            revision: 7,
            participant: Participant(
                id: "p-golden", name: "Zoë “Zed” O’Brien & <Co>", school: "St Mary’s <C of E> Primary", email: "zoe@example.org",
                trn: "7654321", cohort: "2025-autumn", tutor: "t-okafor", started: Day("2025-10-06")!),
            frameworks: ["npq-senco-2023", "national-award-2009"], state: .inReview, stateSince: at)
        p.evidence = [
            EvidenceItem(
                id: "e1", title: "<script>alert('x')</script> & \"quotes\"", type: "reflective-account", date: Day("2025-10-20")!,
                reflection: "I read the Code of Practice & reflected: <b>bold</b> isn’t markup here. 🧑🏽‍🏫 ‘Single’ “double”.\nSecond line.",
                attachments: [Attachment(name: "notes & <plan>.txt", size: 12, sha256: String(repeating: "ab", count: 32), mediaType: "text/plain")],
                added: at),
            EvidenceItem(
                id: "e2", title: "Meeting with Pupil A’s family", type: "family-voice", date: Day("2025-10-22")!,
                reflection: "Pupil A (Year 4) and their mother said…", sensitive: true, added: at),
        ]
        p.mappings = [
            Mapping(evidence: "e1", statement: "1.1", claim: "Shows the social model <of disability> & why it matters."),
            Mapping(evidence: "e2", statement: "1.g", claim: "Pupil A’s family shaped the plan."),
        ]
        p.log = [
            .activity(Activity(at: at, by: "p-golden", role: .participant, action: "evidence-added", evidence: "e1", note: "Added evidence e1")),
            .judgement(Judgement(at: at, by: "t-okafor", role: .tutor, statement: "1.1", status: .met, feedback: "Clear & well-read <good>.")),
            .judgement(Judgement(at: at, by: "t-okafor", role: .tutor, statement: "1.g", status: .partiallyMet, feedback: "Say what changed.")),
        ]
        return p
    }

    func compare(_ data: Data, golden name: String) throws {
        let url = Self.fixtures.appendingPathComponent(name)
        if Self.recording {
            try data.write(to: url)
            return
        }
        let expected = try Data(contentsOf: url)
        #expect(
            data == expected,
            "\(name) differs from its golden file; if the change is intended, re-record with SENCO_RECORD_GOLDEN=1")
    }

    @Test func moderationPackMatchesGoldenAndRedactsSensitiveEvidence() throws {
        let directory = try TestSupport.temporaryDirectory("pack")
        defer { try? FileManager.default.removeItem(at: directory) }
        let pack = ModerationPack(framework: framework, rules: schemas.rules, templates: templates, portfolioSchema: schemas.portfolio)
        let result = try pack.write([Self.hostilePortfolio()], to: directory.appendingPathComponent("pack"), includeSensitive: false, now: Self.now)
        #expect(result.files.count == 2)
        let xml = try Data(contentsOf: directory.appendingPathComponent("pack/p-golden/portfolio.xml"))
        let html = try Data(contentsOf: directory.appendingPathComponent("pack/p-golden/portfolio.html"))
        let manifest = try Data(contentsOf: directory.appendingPathComponent("pack/manifest.xml"))
        try compare(xml, golden: "pack-portfolio.xml")
        try compare(html, golden: "pack-portfolio.html")
        try compare(manifest, golden: "pack-manifest.xml")
        let page = String(decoding: html, as: UTF8.self)
        let xmlText = String(decoding: xml, as: UTF8.self)
        #expect(!page.contains("Pupil A"), "sensitive evidence is redacted from the HTML")
        #expect(!xmlText.contains("Pupil A"), "and from the XML")
        #expect(page.contains(Portfolio.redactionNotice))
        #expect(!page.contains("nil") && !page.contains("Optional("), "no Swift optional leaks into the page")
        #expect(String(decoding: manifest, as: UTF8.self).contains("sensitiveEvidence=\"redacted\""))
        #expect(try schemas.portfolio.validate(xml).isEmpty, "the exported XML is schema-valid")
    }

    @Test func htmlShowsMarkupAndQuotesAsText() throws {
        let pack = ModerationPack(framework: framework, rules: schemas.rules, templates: templates, portfolioSchema: schemas.portfolio)
        let page = try pack.html(Self.hostilePortfolio(), includeSensitive: true, now: Self.now)
        #expect(!page.contains("<script>alert"), "no script element can be injected")
        #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;") || page.contains("&lt;script&gt;alert("))
        #expect(!page.contains("<b>bold</b>"))
        #expect(page.contains("&lt;b&gt;bold&lt;/b&gt;"))
        #expect(page.contains("🧑🏽‍🏫") && page.contains("“double”"), "non-ASCII passes through unharmed")
        #expect(page.contains("Pupil A"), "with --include-sensitive the item is shown")
        #expect(!page.contains("<script"), "the page has no script at all")
    }

    @Test func completionReportsMatchGolden() throws {
        let cohort = Cohort(
            id: "2025-autumn", title: "NPQ for SENCOs, autumn 2025 & <friends>", provider: "Example “Hub”",
            start: Day("2025-10-06")!, tutors: [.init(id: "t-okafor", name: "Dr Grace Okafor")])
        let report = CompletionReport(
            cohort: cohort, portfolios: [Self.hostilePortfolio()], framework: framework, rules: schemas.rules,
            today: Day("2026-11-25")!)
        try compare(try CompletionRenderer.xml(report), golden: "completion.xml")
        try compare(Data(CompletionRenderer.csv(report).utf8), golden: "completion.csv")
        try compare(try CompletionRenderer.json(report), golden: "completion.json")
        let html = try CompletionRenderer.html(report, templates: templates, attribution: framework.source.attribution)
        try compare(Data(html.utf8), golden: "completion.html")
        #expect(html.contains("NPQ for SENCOs, autumn 2025 &amp; &lt;friends&gt;"))
    }

    @Test func csvNeutralisesFormulaInjection() {
        #expect(CompletionRenderer.cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CompletionRenderer.cell("+1") == "'+1")
        #expect(CompletionRenderer.cell("a,b") == "\"a,b\"")
        #expect(CompletionRenderer.cell("plain") == "plain")
    }

    @Test func verifyCatchesOneChangedByteAndNamesTheFile() throws {
        let directory = try TestSupport.temporaryDirectory("verify")
        defer { try? FileManager.default.removeItem(at: directory) }
        let packDirectory = directory.appendingPathComponent("pack")
        let pack = ModerationPack(framework: framework, rules: schemas.rules, templates: templates, portfolioSchema: schemas.portfolio)
        _ = try pack.write([Self.hostilePortfolio()], to: packDirectory, includeSensitive: false, now: Self.now)
        #expect(try PackVerifier.verify(packDirectory).isIntact)

        let file = packDirectory.appendingPathComponent("p-golden/portfolio.html")
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: file)
        try Data("extra".utf8).write(to: packDirectory.appendingPathComponent("p-golden/extra.txt"))
        try FileManager.default.removeItem(at: packDirectory.appendingPathComponent("p-golden/portfolio.xml"))
        let report = try PackVerifier.verify(packDirectory)
        #expect(report.changed == ["p-golden/portfolio.html"])
        #expect(report.added == ["p-golden/extra.txt"])
        #expect(report.missing == ["p-golden/portfolio.xml"])
        #expect(!report.isIntact)
    }

    @Test func refusesToWriteIntoANonEmptyDirectory() throws {
        let directory = try TestSupport.temporaryDirectory("nonempty")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("x".utf8).write(to: directory.appendingPathComponent("keep.txt"))
        let pack = ModerationPack(framework: framework, rules: schemas.rules, templates: templates, portfolioSchema: schemas.portfolio)
        #expect(throws: ExportError.self) { try pack.write([Self.hostilePortfolio()], to: directory, includeSensitive: false) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["keep.txt"])
    }

    @Test func emptyCohortGivesAClearEmptyReport() throws {
        let cohort = Cohort(id: "empty", title: "Empty", provider: "P", start: Day("2026-01-05")!)
        let report = CompletionReport(cohort: cohort, portfolios: [], framework: framework, rules: schemas.rules)
        #expect(report.rows.isEmpty)
        let html = try CompletionRenderer.html(report, templates: templates, attribution: "a")
        #expect(html.contains("This cohort has no participants."))
        #expect(CompletionRenderer.csv(report).split(separator: "\r\n").count == 1, "a header and no rows")
    }
}
