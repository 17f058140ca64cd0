import Foundation
import HummingbirdBcrypt
import SencoCore
import SencoData
import SencoStore

/// The demonstration: a temporary store holding the sample cohort, and one account per role
/// with a freshly generated password. No password is fixed anywhere.
public enum Demo {
    public struct Account: Sendable {
        public var id: String
        public var role: Role
        public var password: String
    }

    /// A password of 20 characters from an alphabet without look-alikes, from the system's
    /// cryptographic generator.
    public static func generatePassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// Fills `store` from `sample` (a copy of `Portfolios/sample`) if it exists, else with a small
    /// built-in cohort made through the same rules as every other change, then adds a moderation
    /// plan if there is none, and creates one account per role.
    public static func prepare(
        store: DirectoryStore, users: UserDirectory, sample: URL?, library: FrameworkLibrary, bcryptCost: UInt8 = 12,
        now: Date = Date()
    ) throws -> [Account] {
        let fm = FileManager.default
        if let sample, fm.fileExists(atPath: sample.path) {
            for name in try fm.contentsOfDirectory(atPath: sample.path) where !name.hasPrefix(".") && name != "users.xml" {
                try fm.copyItem(at: sample.appendingPathComponent(name), to: store.root.appendingPathComponent(name))
            }
        }
        if try store.cohorts().isEmpty {
            try seed(store: store, library: library, now: now)
        }
        // Prefer a tutor who has both a participant still drafting (so the participant can add
        // evidence) and a submitted portfolio to review, so every role has work to do.
        var choice: (cohort: Cohort, tutor: String, participant: Portfolio)?
        var fallback: (cohort: Cohort, tutor: String, participant: Portfolio)?
        for cohort in try store.cohorts() {
            let portfolios = try store.portfolios(inCohort: cohort.id)
            for tutor in cohort.tutors.map(\.id) + portfolios.map(\.participant.tutor) {
                let mine = portfolios.filter { $0.participant.tutor == tutor }
                guard let editable = mine.first(where: { $0.state.allowsParticipantChanges }) else { continue }
                if mine.contains(where: { $0.state == .submitted || $0.state == .inReview }) {
                    choice = (cohort, tutor, editable)
                    break
                }
                if fallback == nil { fallback = (cohort, tutor, editable) }
            }
            if choice != nil { break }
        }
        guard let (cohort, tutorID, participant) = choice ?? fallback else {
            throw StartupError("the demo store has no participant who can still add evidence")
        }
        let portfolios = try store.portfolios(inCohort: cohort.id)
        let moderatorID = "demo-moderator"
        if try store.plans().isEmpty, portfolios.contains(where: Moderation.isEligible) {
            var plan = try Moderation.plan(
                id: "demo-sample", cohort: cohort.id, portfolios: portfolios, rate: 25, minimumPerTutor: 1, seed: 2026,
                by: "demo-provider", at: now.wholeSeconds)
            for index in plan.entries.indices { plan.entries[index].moderator = moderatorID }
            try store.savePlan(plan)
        }
        let accounts: [(UserAccount, String)] = [
            ("demo-participant", Role.participant, participant.participant.name, participant.id, nil),
            ("demo-tutor", .tutor, cohort.tutors.first(where: { $0.id == tutorID })?.name ?? "Demo tutor", nil, tutorID),
            (moderatorID, .moderator, "Demo moderator", nil, nil),
            ("demo-provider", .provider, "Demo programme lead", nil, nil),
        ].map { id, role, name, participant, tutor in
            let password = generatePassword()
            return (
                UserAccount(
                    id: id, role: role, name: name, participant: participant, tutor: tutor,
                    passwordHash: Bcrypt.hash(password, cost: bcryptCost), created: now.wholeSeconds), password
            )
        }
        for (account, _) in accounts { try users.add(account) }
        return accounts.map { Account(id: $0.0.id, role: $0.0.role, password: $0.1) }
    }

    /// A small fictional cohort: one participant drafting, one submitted and partly judged.
    static func seed(store: DirectoryStore, library: FrameworkLibrary, now: Date) throws {
        guard let npq = library.framework(withID: "npq-senco-2023") else { throw StartupError("the NPQ framework is missing") }
        let rules = store.schemas.rules
        let start = Day(now.addingTimeInterval(-200 * 86_400))
        let cohort = Cohort(
            id: "demo-cohort", title: "NPQ for SENCOs demonstration cohort", provider: "Example Teaching School Hub",
            start: start, tutors: [.init(id: "t-okafor", name: "Dr Grace Okafor"), .init(id: "t-bell", name: "Sam Bell")])
        try store.createCohort(cohort)
        let people = [
            ("p-demo-01", "Alex Rivers", "Hillside Primary School", "t-okafor"),
            ("p-demo-02", "Priya Shah", "Brook Lane Academy", "t-okafor"),
            ("p-demo-03", "Jordan Lee", "Meadow Vale School", "t-bell"),
        ]
        let reflection = String(
            repeating: "I read the chapter closely and compared it with how our school identifies needs early. I noted three changes to make to our graduated approach and discussed them with the head teacher. ",
            count: 3)
        let first = npq.statements.prefix(3).map(\.id)
        for (index, person) in people.enumerated() {
            let participant = Participant(
                id: person.0, name: person.1, school: person.2, cohort: cohort.id, tutor: person.3, started: start)
            var portfolio = Portfolio(participant: participant, frameworks: [npq.id], stateSince: start.date)
            let at = start.date.addingTimeInterval(Double(index + 1) * 86_400).wholeSeconds
            try portfolio.addEvidence(
                EvidenceItem(
                    id: "e1", title: "Reading log: SEND Code of Practice, chapter 6", type: "reading-log",
                    date: Day(at), reflection: reflection, added: at),
                by: person.0, role: .participant, rules: rules, at: at, today: Day(now))
            try portfolio.map(
                evidence: "e1", to: Array(first), claim: "Summarises the duties and how our school meets them.",
                frameworks: library.frameworks, by: person.0, role: .participant, at: at)
            if index > 0 {
                try portfolio.submit(by: person.0, at: at.addingTimeInterval(3600))
                for (n, statement) in first.enumerated() {
                    try portfolio.judge(
                        statement: statement, status: n == 2 ? .partiallyMet : .met,
                        feedback: n == 2 ? "Say more about what you would change." : "", assessor: person.3,
                        frameworks: library.frameworks, at: at.addingTimeInterval(7200))
                }
            }
            _ = try store.importPortfolio(withRevision(portfolio))
        }
    }

    private static func withRevision(_ portfolio: Portfolio) -> Portfolio {
        var p = portfolio
        p.revision = 1
        return p
    }
}
