import Foundation
import SencoData
import SencoXML

/// `make fuzz` builds this with `-sanitize=fuzzer` and `-DSENCO_FUZZ`; an ordinary build, which
/// compiles every target, gets a program that says so and exits.
@main
enum SencoFuzz {
    static func main() {
        #if SENCO_FUZZ
            // SwiftPM renames an executable's entry point, so libFuzzer's own `main` is never
            // linked; its driver is started from here instead.
            var argc = CommandLine.argc
            var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
            exit(runFuzzerDriver(&argc, &argv, fuzz))
        #else
            FileHandle.standardError.write(Data("senco-fuzz: build and run it with `make fuzz`\n".utf8))
            exit(2)
        #endif
    }
}

#if SENCO_FUZZ
    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt
    ) -> CInt

    /// The schemas are the repository's own, found from this file, so the fuzzer needs no
    /// arguments beyond libFuzzer's.
    private let schemas: PortfolioSchemas = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        do {
            return try PortfolioSchemas(directory: root.appendingPathComponent("Portfolios"))
        } catch {
            fatalError("senco-fuzz cannot load Portfolios/: \(error)")
        }
    }()

    /// One input through the safe reader and the portfolio and cohort decoders. A crash, a hang,
    /// or a broken promise checked below is a finding.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
        let data = Data(bytes: start, count: count)
        do {
            _ = try XMLReader().read(data, source: "fuzz.xml")
        } catch {
            precondition(
                !error.description.contains("\n"), "an XMLError is one line: \(error.description.debugDescription)")
        }
        if let portfolio = try? schemas.readPortfolio(data, source: "fuzz.xml") {
            // What was read must survive being written and read again: a portfolio the store
            // can save but not load is lost.
            do {
                let again = try schemas.readPortfolio(try PortfolioCodec.encode(portfolio), source: "again.xml")
                precondition(again == portfolio, "a portfolio changed in a write and read")
            } catch {
                preconditionFailure("a portfolio that was read cannot be written and read again: \(error)")
            }
        }
        _ = try? schemas.readCohort(data, source: "fuzz.xml")
        return 0
    }
#endif
