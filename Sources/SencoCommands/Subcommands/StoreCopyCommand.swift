import ArgumentParser
import Foundation
import SencoCore
import SencoData
import SencoStore

struct StoreCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy every cohort, portfolio, attachment, moderation plan and account from one store into another.",
        discussion: """
            FROM and TO are each a store directory or a PostgreSQL URL (postgres://user@host/db; \
            give the password in PGPASSWORD or ~/.pgpass rather than in the URL). Every portfolio \
            is read back from TO and its SHA-256 compared with FROM's, and every attachment's bytes \
            are hashed again. Nothing in TO is overwritten: what it already holds unchanged is left \
            alone, so an interrupted copy is finished by running the same command again, and an \
            entry that differs is listed as a conflict (exit status 1).
            """)

    @Argument(help: "The store to copy from (a directory or postgres:// URL).") var from: String
    @Argument(help: "The store to copy into (a directory, made if missing, or postgres:// URL).") var to: String
    @OptionGroup var frameworks: FrameworkOptions

    func run() async throws {
        let source = StoreLocation.parse(from)
        let target = StoreLocation.parse(to)
        if source == target { throw CommandError("FROM and TO are the same store") }
        let frameworksDirectory = try frameworks.locate()
        let library = try FrameworkLibrary(directory: frameworksDirectory)
        let schemas = try PortfolioSchemas(directory: PortfolioSchemas.locate(frameworks: frameworksDirectory))
        let npq = library.framework(withID: "npq-senco-2023")
        let input = try await OpenedStore.open(source, schemas: schemas, summaryFramework: npq)
        let output: OpenedStore
        do {
            output = try await OpenedStore.open(target, schemas: schemas, summaryFramework: npq, creating: true)
        } catch {
            await input.close()
            throw error
        }
        let clock = ContinuousClock()
        let started = clock.now
        let outcome: Result<StoreCopy.Report, StoreError>
        do {
            let copy = StoreCopy(
                from: .init(store: input.store, users: input.users), to: .init(store: output.store, users: output.users))
            outcome = .success(try await copy.run { line in FileHandle.standardError.write(Data((line + "\n").utf8)) })
        } catch {
            outcome = .failure(error)
        }
        await input.close()
        await output.close()
        let report = try outcome.get()
        let elapsed = clock.now - started
        print("Copied \(input.location) to \(output.location) in \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow)))")
        for (name, tally) in [
            ("cohorts", report.cohorts), ("portfolios", report.portfolios), ("attachments", report.attachments),
            ("moderation plans", report.plans), ("accounts", report.users),
        ] {
            print("  \(name): \(tally.copied) copied, \(tally.alreadyThere) already there")
        }
        if report.portfolios.copied > 0 {
            print("  every portfolio copied reads back with the same SHA-256; every attachment's bytes match their hash")
        }
        for conflict in report.conflicts { SencoCommand.printError("conflict: \(conflict)") }
        for problem in report.problems { SencoCommand.printError("skipped: \(problem)") }
        if !report.isComplete {
            throw CommandError(
                "\(report.conflicts.count) conflict\(report.conflicts.count == 1 ? "" : "s") and \(report.problems.count) unreadable entr\(report.problems.count == 1 ? "y" : "ies") left as they are; see above")
        }
    }
}
