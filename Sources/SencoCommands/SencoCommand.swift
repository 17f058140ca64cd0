import ArgumentParser

public struct SencoCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "senco", abstract: "x")
    public init() {}
}
