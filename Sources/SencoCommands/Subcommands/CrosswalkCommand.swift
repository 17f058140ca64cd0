import ArgumentParser

struct CrosswalkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crosswalk",
        abstract: "Follow the links between the NPQ and the National Award outcomes.",
        subcommands: [CrosswalkShow.self]
    )
}
