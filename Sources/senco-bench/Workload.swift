import Foundation
import SencoCore

/// The deterministic workload of issue 7: participant `index` of a cohort always gets the same
/// portfolio. Each evidence item has a reflection of about 1,200 characters, three mappings and
/// two judgement events; every tenth item has an attachment and every third is sensitive. Text
/// holds markup characters (`& < > " '`) and non-ASCII (’ é, emoji), so every writer escapes.
enum Workload {
    static let cohortID = "bench"
    static let reflectionLength = 1_200

    /// SplitMix64: small, fast and the same on every machine.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let fragments: [(text: String, characters: Int)] = [
        "I reviewed the SEN register with the head teacher & SLT.", "Pupils’ views <“voice”> shaped the plan.",
        "Provision map: Year 4 > Year 3 in cost;", "Café conversations with families — 🙂 went well.",
        "We used the assess–plan–do–review cycle.", "Key question: does it work? 'Yes', mostly.",
        "Ça va: naïve assumptions were challenged.", "Data showed attendance < 90% for 6 pupils.",
        "The \"graduated approach\" meant <b>small</b> steps & regular reviews.",
        "Parents’ evening: 👩‍👧 felt heard; the EHCP draft was shared.", "Référence: SEND Code of Practice, 6.44–6.56.",
    ].map { ($0, $0.count) }

    static let cohort = Cohort(
        id: cohortID, title: "Benchmark cohort & <friends>", provider: "Example Teaching School Hub", start: Day("2025-10-06")!,
        tutors: (0..<12).map { Cohort.Tutor(id: "t-\($0)", name: "Tutor \($0) O’Neill") })

    /// Text of exactly `length` characters (grapheme clusters), built from the fragments. It never
    /// ends in a space: XMLCoder trims the ends of text by default, and its documents are
    /// pretty-printed, so it could not keep whitespace-only text apart from indentation.
    static func text(_ length: Int, _ generator: inout Generator) -> String {
        var out = ""
        var count = 0
        while count < length {
            let fragment = fragments[generator.below(fragments.count)]
            out += fragment.text
            out += " "
            count += fragment.characters + 1
        }
        var result = count == length ? out : String(out.prefix(length))
        if result.last == " " {
            result.removeLast()
            result.append(".")
        }
        return result
    }

    static func participantID(_ index: Int) -> String { "p-\(index)" }

    static func portfolio(index: Int, items: Int, statements: [String]) -> Portfolio {
        var generator = Generator(state: UInt64(index) &* 7919 &+ 17)
        let id = participantID(index)
        let tutor = "t-\(index % 12)"
        let base = Date(timeIntervalSince1970: 1_759_700_000 + Double(index % 97) * 86_400)
        var p = Portfolio(
            revision: 1,
            participant: Participant(
                id: id, name: "Participant \(index) O’Brien & “Co” <Zoë>", school: "School <\(index % 50)> & café",
                email: "\(id)@example.org", trn: String(1_000_000 + index % 9_000_000), cohort: cohortID, tutor: tutor,
                started: Day("2025-10-06")!),
            frameworks: ["npq-senco-2023", "national-award-2009"], state: .inReview, stateSince: base,
            stateNote: index % 5 == 0 ? "Returned once: \"see 3.b\" & <2.a>" : "")
        let types = ["reflective-account", "observation", "meeting-record", "provision-map", "case-study", "reading-log"]
        p.evidence.reserveCapacity(items)
        p.mappings.reserveCapacity(items * 3)
        p.log.reserveCapacity(items * 2)
        for n in 0..<items {
            let evidenceID = "e\(n + 1)"
            let at = base.addingTimeInterval(Double(n * 3_600))
            p.evidence.append(
                EvidenceItem(
                    id: evidenceID, title: "Item \(n + 1): " + text(40, &generator), type: types[n % types.count],
                    date: Day("2025-11-01")!, reflection: text(reflectionLength, &generator),
                    attachments: n % 10 == 9
                        ? [Attachment(name: "notes \(n) & <plan>.txt", size: 1_000 + n, sha256: String(repeating: "ab", count: 32), mediaType: "text/plain")]
                        : [],
                    sensitive: n % 3 == 2, added: at))
            var chosen: [String] = []
            while chosen.count < 3 {
                let statement = statements[generator.below(statements.count)]
                if !chosen.contains(statement) { chosen.append(statement) }
            }
            for statement in chosen {
                p.mappings.append(Mapping(evidence: evidenceID, statement: statement, claim: text(80, &generator)))
            }
            for j in 0..<2 {
                p.log.append(
                    .judgement(
                        Judgement(
                            at: at.addingTimeInterval(Double(60 * (j + 1))), by: tutor, role: .tutor, statement: chosen[j],
                            status: JudgementStatus.allCases[generator.below(JudgementStatus.allCases.count)],
                            feedback: text(60, &generator))))
            }
        }
        return p
    }
}
