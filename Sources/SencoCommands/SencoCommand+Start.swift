import ArgumentParser

extension SencoCommand {
    /// The program's entry point: parses the arguments and runs the chosen command, awaiting the
    /// asynchronous ones (`serve`). ArgumentParser's own `main()` picks its synchronous overload
    /// from top-level code, which cannot run an asynchronous subcommand.
    public static func start() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
