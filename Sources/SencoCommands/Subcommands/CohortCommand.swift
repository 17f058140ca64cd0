import ArgumentParser
import SencoCore

struct CohortCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cohort", abstract: "Create and list cohorts.", subcommands: [CohortCreate.self, CohortList.self, CohortDfE.self])
}

struct CohortCreate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a cohort.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "The cohort id: lowercase letters, digits and hyphens, e.g. 2026-autumn.") var id: String
    @Option(help: "A title people recognise.") var title: String
    @Option(help: "The lead provider or delivery partner.") var provider: String
    @Option(help: "Start date, YYYY-MM-DD.") var start: String
    @Option(name: .customLong("tutor"), help: "A tutor as ID=Full Name; repeat for each tutor.") var tutors: [String] = []

    func run() throws {
        let workspace = try store.workspace(creatingStore: true)
        if let problem = Identifier.problem(with: id, what: "cohort") { throw CommandError(problem) }
        guard let day = Day(start) else { throw CommandError("--start \(start.quotedForMessage()) is not a date (YYYY-MM-DD)") }
        if let problem = PlausibleDates.cohortStartProblem(day) { throw CommandError(problem) }
        let title = try pasted(self.title, "--title")
        let provider = try pasted(self.provider, "--provider")
        for (option, text, limit) in [("--title", title, TextLimits.title), ("--provider", provider, TextLimits.name)] {
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw CommandError("\(option) is empty") }
            if let problem = TextLimits.problem(text, field: option, limit: limit) { throw CommandError(problem) }
        }
        let tutorList = try tutors.map { text -> Cohort.Tutor in
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].trimmingCharacters(in: .whitespaces).isEmpty else {
                throw CommandError("--tutor \(text.quotedForMessage()) should be ID=Full Name, e.g. t-okafor=Dr Grace Okafor")
            }
            if let problem = Identifier.problem(with: parts[0], what: "tutor") { throw CommandError(problem) }
            if let problem = TextLimits.problem(parts[1], field: "--tutor \(parts[0])'s name", limit: TextLimits.name) {
                throw CommandError(problem)
            }
            return Cohort.Tutor(id: parts[0], name: parts[1])
        }
        if let repeated = Dictionary(grouping: tutorList, by: \.id).first(where: { $0.value.count > 1 })?.key {
            throw CommandError("--tutor \(repeated) is given twice")
        }
        try workspace.store.createCohort(
            Cohort(id: id, title: title, provider: provider, start: day, tutors: tutorList))
        print("Created cohort \(id) (\(tutorList.count) tutor\(tutorList.count == 1 ? "" : "s")) in \(workspace.store.location)")
    }
}

struct CohortList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List cohorts.")

    @OptionGroup var store: StoreOptions
    @Option(help: "Output format: text or json.") var format: TextOrJSON = .text

    struct Entry: Encodable {
        let id, title, provider, course, start: String
        let tutors: [String]
        let participants: Int
    }

    func run() throws {
        let workspace = try store.workspace()
        var skipped = StoreProblemReport()
        let entries = try skipped.values(workspace.store.scanCohorts()).map { cohort in
            Entry(
                id: cohort.id, title: cohort.title, provider: cohort.provider, course: cohort.course,
                start: cohort.start.description, tutors: cohort.tutors.map(\.id),
                participants: try workspace.store.participantIDs(inCohort: cohort.id).count)
        }
        switch format {
        case .json: print(try JSON.string(entries))
        case .text:
            if entries.isEmpty {
                print("No cohorts yet. Create one with: senco cohort create ID --title … --provider … --start YYYY-MM-DD")
            } else {
                var rows = [["COHORT", "START", "PARTICIPANTS", "TUTORS", "TITLE"]]
                for e in entries {
                    rows.append([e.id, e.start, String(e.participants), e.tutors.joined(separator: ","), e.title])
                }
                print(FrameworkText.table(rows), terminator: "")
            }
        }
        try skipped.finish()
    }
}
