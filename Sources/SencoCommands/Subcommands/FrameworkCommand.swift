import ArgumentParser

struct FrameworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "framework",
        abstract: "List, show and validate the frameworks.",
        subcommands: [FrameworkList.self, FrameworkShow.self, FrameworkValidate.self]
    )
}
