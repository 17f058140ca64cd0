import ArgumentParser
import Foundation
import SencoData

/// Where the framework data lives; shared by every command that needs it.
struct FrameworkOptions: ParsableArguments {
    @Option(
        name: .customLong("frameworks"),
        help: ArgumentHelp(
            "The frameworks directory (default: $SENCO_FRAMEWORKS, else the checkout's Frameworks/).",
            valueName: "dir"))
    var directory: String?

    func locate() throws -> URL {
        try FrameworkLibrary.locate(explicit: directory)
    }

    func load() throws -> FrameworkLibrary {
        try FrameworkLibrary(directory: try locate())
    }
}
