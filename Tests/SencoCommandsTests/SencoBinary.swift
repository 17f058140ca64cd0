import Foundation
import SencoTestSupport

/// Runs the built `senco` executable as a user would, for tests that need a real process
/// (exit codes, standard streams, being killed).
enum SencoBinary {
    static var url: URL {
        // The test bundle sits in the build products directory beside the executable.
        let products = Bundle.main.bundleURL.deletingLastPathComponent()
        for candidate in [products.appendingPathComponent("senco"), Bundle.main.bundleURL.appendingPathComponent("senco")] {
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return TestSupport.root.appendingPathComponent(".build/debug/senco")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["SENCO_FRAMEWORKS"] = TestSupport.frameworksDirectory.path
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// `run`, waited for on a thread of its own: a test that serves something in this process
    /// (the loopback fake of the DfE's API) must not hold one of Swift's few cooperative
    /// threads while the command it started talks to that server, or on a two-core machine the
    /// server can be left with none to answer on.
    static func runDetached(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:])
        async throws -> Result
    {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Swift.Result { try run(arguments, stdin: stdin, environment: environment) })
            }
        }
    }
}
