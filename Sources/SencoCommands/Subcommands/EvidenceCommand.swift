import ArgumentParser
import Foundation
import SencoCore
import SencoStore

struct EvidenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence", abstract: "Log, edit, remove and list evidence.",
        subcommands: [EvidenceAdd.self, EvidenceEdit.self, EvidenceRemove.self, EvidenceList.self])
}

/// Where a reflection comes from: an option, a file, or standard input (`--reflection-file -`).
struct ReflectionOptions: ParsableArguments {
    @Option(help: "The reflection text.") var reflection: String?
    @Option(help: ArgumentHelp("Read the reflection from a file, or - for standard input.", valueName: "file"))
    var reflectionFile: String?

    /// The option the text came from, for messages.
    var option: String { reflectionFile == nil ? "--reflection" : "--reflection-file" }

    func read() throws -> String? {
        if reflection != nil && reflectionFile != nil {
            throw CommandError("give --reflection or --reflection-file, not both")
        }
        if let reflection {
            if reflection.utf8.count > TextLimits.reflectionBytes {
                throw CommandError("--reflection is \(reflection.utf8.count) bytes; the limit is \(TextLimits.reflectionBytes)")
            }
            return reflection
        }
        guard let path = reflectionFile else { return nil }
        let data: Data
        if path == "-" {
            data = try Self.readStandardInput(limit: TextLimits.reflectionBytes)
        } else {
            data = try RegularFile.read(path, limit: TextLimits.reflectionBytes, what: "--reflection-file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CommandError("--reflection-file \(path == "-" ? "(standard input)" : path.quotedForMessage()) is not UTF-8 text")
        }
        return text
    }

    /// Standard input, refusing more than `limit` bytes rather than reading without end.
    static func readStandardInput(limit: Int) throws -> Data {
        var data = Data()
        while let chunk = try FileHandle.standardInput.read(upToCount: 64 * 1024), !chunk.isEmpty {
            data.append(chunk)
            if data.count > limit {
                throw CommandError("--reflection-file - (standard input) is more than \(limit) bytes; the limit is \(limit)")
            }
        }
        return data
    }
}

struct EvidenceAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Log a new piece of evidence.")

    @OptionGroup var store: StoreOptions
    @Option(name: [.short, .long], help: "Participant id.") var participant: String
    @Option(help: "Evidence id (default: the next free e<n>).") var id: String?
    @Option(help: "A short, specific title.") var title: String
    @Option(help: "Evidence type, e.g. reflective-account, provision-map, meeting-record (see `senco evidence list --types`).")
    var type: String
    @Option(help: "When it happened, YYYY-MM-DD (not in the future).") var date: String
    @OptionGroup var reflection: ReflectionOptions
    @Option(name: .customLong("attach"), help: ArgumentHelp("Attach a file; repeat for more.", valueName: "file"))
    var attachments: [String] = []
    @Flag(help: "The item holds pupil or other sensitive data: redact it from moderation exports.") var sensitive = false
    @OptionGroup var revision: RevisionOption

    func run() throws {
        let workspace = try store.workspace()
        guard let day = Day(date) else { throw CommandError("--date \(date.quotedForMessage()) is not a date (YYYY-MM-DD)") }
        let text = try pasted(try reflection.read() ?? "", reflection.option)
        let title = try pasted(self.title, "--title")
        var evidenceID = id
        let now = Date().wholeSeconds
        // Attachments are read and checked now, and stored only with the change that refers to them.
        let staged = try attachments.map { try workspace.store.stageAttachment(from: URL(fileURLWithPath: $0)) }
        let stored = staged.map(\.attachment)
        let result = try workspace.update(participant, revision: revision.revision, adding: staged) { portfolio in
            let itemID = evidenceID ?? portfolio.nextEvidenceID()
            evidenceID = itemID
            let item = EvidenceItem(
                id: itemID, title: title, type: type, date: day, reflection: text, attachments: stored,
                sensitive: sensitive, added: now)
            try portfolio.addEvidence(item, by: participant, role: .participant, rules: workspace.rules, at: now)
        }
        print("Added evidence \(evidenceID ?? "") to \(participant) (revision \(result.revision)). Map it with: senco map -p \(participant) \(evidenceID ?? "") STATEMENT-ID… --claim \"…\"")
    }
}

struct EvidenceEdit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "edit", abstract: "Change a piece of evidence.")

    @OptionGroup var store: StoreOptions
    @Option(name: [.short, .long], help: "Participant id.") var participant: String
    @Argument(help: "Evidence id.") var evidenceID: String
    @Option(help: "New title.") var title: String?
    @Option(help: "New evidence type.") var type: String?
    @Option(help: "New date, YYYY-MM-DD.") var date: String?
    @OptionGroup var reflection: ReflectionOptions
    @Option(name: .customLong("attach"), help: ArgumentHelp("Attach another file.", valueName: "file"))
    var attachments: [String] = []
    @Option(name: .customLong("detach"), help: ArgumentHelp("Remove the attachment with this file name.", valueName: "name"))
    var detach: [String] = []
    @Flag(inversion: .prefixedNo, help: "Mark or unmark the item as holding sensitive data.") var sensitive: Bool?
    @OptionGroup var revision: RevisionOption

    func run() throws {
        let workspace = try store.workspace()
        var day: Day?
        if let date {
            guard let parsed = Day(date) else { throw CommandError("--date \(date.quotedForMessage()) is not a date (YYYY-MM-DD)") }
            day = parsed
        }
        let text = try pasted(try reflection.read(), reflection.option)
        let title = try pasted(self.title, "--title")
        let staged = try attachments.map { try workspace.store.stageAttachment(from: URL(fileURLWithPath: $0)) }
        let stored = staged.map(\.attachment)
        let now = Date().wholeSeconds
        let result = try workspace.update(participant, revision: revision.revision, adding: staged) { portfolio in
            var item = try portfolio.requireEvidence(evidenceID)
            for name in detach where !item.attachments.contains(where: { $0.name == name }) {
                throw CommandError(
                    "evidence \(evidenceID) has no attachment named \(name.quotedForMessage())\(Suggestions.phrase(for: name, among: item.attachments.map(\.name)))")
            }
            if let title { item.title = title }
            if let type { item.type = type }
            if let day { item.date = day }
            if let text { item.reflection = text }
            if let sensitive { item.sensitive = sensitive }
            item.attachments.removeAll { detach.contains($0.name) }
            item.attachments += stored
            try portfolio.replaceEvidence(item, by: participant, role: .participant, rules: workspace.rules, at: now)
        }
        print("Edited evidence \(evidenceID) of \(participant) (revision \(result.revision))")
    }
}

struct EvidenceRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a piece of evidence and its mappings (the log keeps a record).")

    @OptionGroup var store: StoreOptions
    @Option(name: [.short, .long], help: "Participant id.") var participant: String
    @Argument(help: "Evidence id.") var evidenceID: String
    @OptionGroup var revision: RevisionOption

    func run() throws {
        let workspace = try store.workspace()
        var removed: [String] = []
        let result = try workspace.update(participant, revision: revision.revision) { portfolio in
            removed = try portfolio.removeEvidence(evidenceID, by: participant, role: .participant, at: Date().wholeSeconds)
        }
        let mappings = removed.isEmpty ? "it had no mappings" : "its mappings to \(removed.joined(separator: ", ")) went with it"
        print("Removed evidence \(evidenceID) from \(participant); \(mappings) (revision \(result.revision))")
    }
}

struct EvidenceList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List a participant's evidence, or the evidence types.")

    @OptionGroup var store: StoreOptions
    @Option(name: [.short, .long], help: "Participant id.") var participant: String?
    @Flag(help: "List the evidence types instead.") var types = false
    @Option(help: "Output format: text or json.") var format: TextOrJSON = .text

    struct Entry: Encodable {
        let id, title, type, date: String
        let sensitive: Bool
        let attachments: [String]
        let statements: [String]
        let reflectionCharacters: Int
    }

    struct TypeEntry: Encodable {
        let id, label, description, shows: String
    }

    func run() throws {
        let workspace = try store.workspace()
        if types {
            let entries = workspace.rules.types.map {
                TypeEntry(id: $0.id, label: $0.label, description: $0.description, shows: $0.shows.rawValue)
            }
            switch format {
            case .json: print(try JSON.string(entries))
            case .text:
                var rows = [["TYPE", "SHOWS", "DESCRIPTION"]]
                for entry in entries { rows.append([entry.id, entry.shows, entry.description]) }
                print(FrameworkText.table(rows), terminator: "")
            }
            return
        }
        guard let participant else { throw CommandError("name a participant with -p ID, or use --types") }
        let portfolio = try workspace.store.portfolio(participant)
        let entries = portfolio.evidence.map { item in
            Entry(
                id: item.id, title: item.title, type: item.type, date: item.date.description, sensitive: item.sensitive,
                attachments: item.attachments.map(\.name),
                statements: portfolio.mappings(forEvidence: item.id).map(\.statement),
                reflectionCharacters: item.reflection.count)
        }
        switch format {
        case .json: print(try JSON.string(entries))
        case .text:
            if entries.isEmpty {
                print("No evidence yet. Log some with: senco evidence add -p \(participant) --title … --type … --date YYYY-MM-DD --reflection …")
                return
            }
            var rows = [["ID", "DATE", "TYPE", "MAPPED TO", "TITLE"]]
            for e in entries {
                rows.append([
                    e.id, e.date, e.type, e.statements.isEmpty ? "(not mapped)" : e.statements.joined(separator: " "),
                    e.title + (e.sensitive ? " [sensitive]" : "") + (e.attachments.isEmpty ? "" : " [\(e.attachments.count) attached]"),
                ])
            }
            print(FrameworkText.table(rows), terminator: "")
        }
    }
}
