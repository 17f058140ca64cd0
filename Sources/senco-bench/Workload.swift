import Foundation
import SencoCore

/// The deterministic workload: participants × items, reflections of about 1,200 characters with
/// markup characters and non-ASCII, three mappings and two judgement events per item.
struct Workload {
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let fragments = [
        "I reviewed the SEN register with the head teacher & SLT.", "Pupils’ views <“voice”> shaped the plan.",
        "Provision map: Year 4 > Year 3 in cost;", "Café conversations with families — 🙂 went well.",
        "We used the assess–plan–do–review cycle.", "Key question: does it work? 'Yes', mostly.",
        "Ça va: naïve assumptions were challenged.", "Data showed attendance < 90% for 6 pupils.",
    ]

    static func portfolio(index: Int, items: Int, cohort: String, statements: [String]) -> Portfolio {
        var generator = Generator(state: UInt64(index) &* 7919 &+ 17)
        func text(_ length: Int) -> String {
            var out = ""
            while out.count < length { out += fragments[Int(generator.next() % UInt64(fragments.count))] + " " }
            return String(out.prefix(length))
        }
        let id = "p-\(index)"
        let base = Date(timeIntervalSince1970: 1_759_700_000)
        var p = Portfolio(
            revision: 1,
            participant: Participant(
                id: id, name: "Participant \(index) O’Brien & Co", school: "School <\(index % 50)>", email: "\(id)@example.org",
                trn: String(format: "%07d", 1_000_000 + index), cohort: cohort, tutor: "t-\(index % 12)", started: Day("2025-10-06")!),
            frameworks: ["npq-senco-2023", "national-award-2009"], state: .inReview, stateSince: base)
        let types = ["reflective-account", "observation", "meeting-record", "provision-map", "case-study", "reading-log"]
        for n in 1...max(1, items) where items > 0 {
            let evidenceID = "e\(n)"
            let at = base.addingTimeInterval(Double(n * 3600))
            p.evidence.append(
                EvidenceItem(
                    id: evidenceID, title: "Item \(n): " + text(40), type: types[n % types.count], date: Day("2025-11-01")!,
                    reflection: text(1200), sensitive: n % 3 == 0, added: at))
            var chosen: [String] = []
            while chosen.count < 3 {
                let s = statements[Int(generator.next() % UInt64(statements.count))]
                if !chosen.contains(s) { chosen.append(s) }
            }
            for s in chosen { p.mappings.append(Mapping(evidence: evidenceID, statement: s, claim: text(80))) }
            for j in 0..<2 {
                p.log.append(
                    .judgement(
                        Judgement(
                            at: at.addingTimeInterval(Double(60 * (j + 1))), by: "t-\(index % 12)", role: .tutor,
                            statement: chosen[j], status: JudgementStatus.allCases[Int(generator.next() % 5)], feedback: text(60))))
            }
        }
        return p
    }
}
