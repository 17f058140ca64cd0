import ArgumentParser
import Foundation
import SencoCore
import SencoData
import SencoStore
import SencoXML

#if canImport(Glibc)
    import Glibc
#endif

extension SencoCommand {
    /// The program's entry point: parses the arguments and runs the chosen command, awaiting the
    /// asynchronous ones (`serve`). ArgumentParser's own `main()` picks its synchronous overload
    /// from top-level code, which cannot run an asynchronous subcommand.
    public static func start() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let help = helpRequest(arguments) {
            print(helpMessage(for: help))
            Foundation.exit(EXIT_SUCCESS)
        }
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exitForArgumentError(error)
        }
        do {
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                var command = command
                try command.run()
            }
        } catch {
            exitForFailure(error)
        }
    }

    /// The command whose help `--help`, `-h` or `help` asks for (`senco store copy --help`,
    /// `senco help store copy`), found by walking the subcommands named before it. Answered here:
    /// ArgumentParser's own help path, reached through `exit(withError:)`, printed its internal
    /// error instead of the help in this program.
    static func helpRequest(_ arguments: [String]) -> (any ParsableCommand.Type)? {
        var words = arguments
        if words.first == "help" {
            words.removeFirst()
        } else if let flag = words.firstIndex(where: { $0 == "--help" || $0 == "-h" }) {
            words = Array(words[..<flag])
        } else {
            return nil
        }
        var command: any ParsableCommand.Type = SencoCommand.self
        for word in words where !word.hasPrefix("-") {
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == word }) else { break }
            command = next
        }
        return command
    }

    /// Help and version go to standard output as ArgumentParser writes them; a usage mistake is
    /// its one-line message and a pointer to `--help` (not the whole usage text).
    private static func exitForArgumentError(_ error: any Error) -> Never {
        let code = exitCode(for: error)
        if code == .success { exit(withError: error) }
        var message = Self.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
        if !message.hasPrefix("Error:") { message = "Error: " + message }
        let words = CommandLine.arguments.dropFirst().prefix { !$0.hasPrefix("-") }.prefix(2)
        let help = (["senco"] + words.filter { !$0.isEmpty }).joined(separator: " ")
        printError("\(oneLine(message))\n  See '\(oneLine(help)) --help'.")
        Foundation.exit(code.rawValue)
    }

    /// One line on standard error naming what is wrong, and a non-zero exit: never a Foundation
    /// error dump or a stack trace.
    private static func exitForFailure(_ error: any Error) -> Never {
        if let code = error as? ExitCode { Foundation.exit(code.rawValue) }
        let text: String
        switch error {
        case let error as CommandError: text = error.description
        case let error as StoreError: text = error.message
        case let error as RuleError: text = error.message
        case let error as XMLError: text = error.description
        case let error as DataError:
            text = error.findings.count > 1 ? "\(error.findings[0]) (and \(error.findings.count - 1) more)" : error.description
        case let error as ValidationError: text = error.message
        case is CleanExit: exit(withError: error)
        default:
            let nsError = error as NSError
            if nsError.domain == NSCocoaErrorDomain || nsError.domain == NSPOSIXErrorDomain {
                let file = (nsError.userInfo[NSFilePathErrorKey] as? String).map { "\($0.quotedForMessage()): " } ?? ""
                text = "\(file)\(OutputFile.reason(error))"
            } else {
                text = "\(error)"
            }
        }
        printError("Error: \(oneLine(text))")
        Foundation.exit(EXIT_FAILURE)
    }

    /// A message as one line: line breaks and other control characters shown, not obeyed.
    static func oneLine(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x0D: result += " "
            case 0x09: result += " "
            case 0x00..<0x20, 0x7F..<0xA0: result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
