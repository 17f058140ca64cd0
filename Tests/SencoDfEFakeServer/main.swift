import Foundation
import SencoDfEFake

// The loopback fake of the DfE's lead-provider API as a process, for the browser journeys
// (`.ci/web-tests`): `senco-dfe-fake --port N --token-file FILE [--enrol UUID:SCHEDULE:COHORT:FROM]…`.
// It listens on 127.0.0.1 only, says so on standard output, and runs until SIGTERM or SIGINT.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("senco-dfe-fake: \(message)\n".utf8))
    exit(2)
}

var port: Int?
var tokenFile: String?
var enrolments: [[Substring]] = []
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--port": port = arguments.next().flatMap { Int($0) }
    case "--token-file": tokenFile = arguments.next()
    case "--enrol":
        guard let value = arguments.next() else { fail("--enrol needs UUID:SCHEDULE:COHORT:FROM") }
        let parts = value.split(separator: ":")
        guard parts.count == 4 else { fail("--enrol \(value) is not UUID:SCHEDULE:COHORT:FROM") }
        enrolments.append(parts)
    default: fail("unknown argument \(argument)")
    }
}
guard let port, (1...65535).contains(port) else { fail("--port N is needed") }
guard let tokenFile, let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
    fail("--token-file FILE is needed, holding the token the fake accepts")
}
let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
let fake = try await FakeLeadProviderAPI.start(token: token, port: port)
for parts in enrolments {
    await fake.enrol(String(parts[0]), schedule: String(parts[1]), cohort: String(parts[2]), from: String(parts[3]))
}
// Written unbuffered, so a script waiting for this line sees it at once.
FileHandle.standardOutput.write(
    Data("Fake DfE API listening on \(fake.baseURL) with \(enrolments.count) participants enrolled\n".utf8))
// SIGTERM (what the script's clean-up sends) stops the server, and then the process.
await fake.untilStopped()
