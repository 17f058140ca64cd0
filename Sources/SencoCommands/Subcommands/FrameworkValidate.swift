import ArgumentParser
import Foundation
import SencoCore
import SencoData

struct FrameworkValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check framework and crosswalk files against their schemas and the semantic rules.",
        discussion: """
            Checks unique ids, numbering without gaps, groups that hold statements, and that every \
            crosswalk id exists and every outcome is linked or marked as having no equivalent. \
            Crosswalk ids are checked against the frameworks named alongside, then the shipped ones. \
            With no files, checks every file in the frameworks directory.
            """)

    @OptionGroup var frameworks: FrameworkOptions
    @Argument(help: "Framework or crosswalk XML files.") var files: [String] = []

    func run() throws {
        let directory = try frameworks.locate()
        let (report, failed) = Self.report(files: files, directory: directory)
        print(report, terminator: "")
        if failed { throw ExitCode.failure }
    }

    static func report(files: [String], directory: URL) -> (String, failed: Bool) {
        var urls = files.map { URL(fileURLWithPath: $0) }
        if urls.isEmpty {
            urls = ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [])
                .filter { $0.pathExtension == "xml" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        }
        let findings = FrameworkLibrary.validate(files: urls, schemaDirectory: directory)
        var out = findings.map { $0.description + "\n" }.joined()
        let errors = findings.filter { $0.severity == .error }.count
        out += "\(urls.count) file\(urls.count == 1 ? "" : "s") checked: "
        out += errors == 0 ? "no problems found\n" : "\(errors) error\(errors == 1 ? "" : "s")\n"
        return (out, findings.hasErrors)
    }
}
