import Foundation
import SencoTestSupport
import Testing

/// `senco framework validate` on broken copies of the shipped files: each fails, exits non-zero
/// and names the problem and where it is.
@Suite(.serialized)
struct FrameworkValidateTests {
    /// Copies the shipped Frameworks directory, applies `edit` to one file, validates the copy.
    func validateBrokenCopy(_ file: String, _ edit: (String) -> String) throws -> SencoBinary.Result {
        let directory = try TestSupport.temporaryDirectory("frameworks")
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in try FileManager.default.contentsOfDirectory(atPath: TestSupport.frameworksDirectory.path) {
            try FileManager.default.copyItem(
                at: TestSupport.frameworksDirectory.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        let target = directory.appendingPathComponent(file)
        let original = try String(contentsOf: target, encoding: .utf8)
        let broken = edit(original)
        #expect(broken != original, "the edit must change the file")
        try broken.write(to: target, atomically: true, encoding: .utf8)
        return try SencoBinary.run(["framework", "validate", "--frameworks", directory.path])
    }

    @Test func shippedFilesAreValid() throws {
        let result = try SencoBinary.run(["framework", "validate"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("3 files checked: no problems found"))
    }

    @Test func duplicateIDIsNamed() throws {
        let result = try validateBrokenCopy("npq-senco-2023.xml") {
            $0.replacingOccurrences(of: "<learnThat id=\"1.2\">", with: "<learnThat id=\"1.1\">")
        }
        #expect(result.status != 0)
        #expect(result.stdout.contains("npq-senco-2023.xml"))
        #expect(result.stdout.contains("1.1"), "names the duplicated id: \(result.stdout)")
    }

    @Test func unknownCrosswalkTargetIsNamed() throws {
        let result = try validateBrokenCopy("npq-to-national-award.xml") { text in
            guard let range = text.range(of: "outcome=\"NA-1.1.1\"") else { return text }
            return text.replacingCharacters(in: range, with: "outcome=\"NA-1.1.9\"")
        }
        #expect(result.status != 0)
        #expect(result.stdout.contains("link to unknown national-award-2009 outcome NA-1.1.9"), "\(result.stdout)")
        #expect(result.stdout.contains("npq-to-national-award.xml:"), "with the file and line")
    }

    @Test func missingGroupIsNamed() throws {
        // Removing the first group of section 1 leaves 1.a–1.h missing (1.f–1.h continue its heading across a page break): numbering then starts at 1.i.
        let result = try validateBrokenCopy("npq-senco-2023.xml") { text in
            guard let start = text.range(of: "<group>"), let end = text.range(of: "</group>", range: start.upperBound..<text.endIndex) else { return text }
            return text.replacingCharacters(in: start.lowerBound..<end.upperBound, with: "")
        }
        #expect(result.status != 0)
        #expect(result.stdout.contains("Learn how to statement 1.i is out of sequence: expected 1.a"), "\(result.stdout)")
    }

    @Test func emptyGroupIsNamed() throws {
        let result = try validateBrokenCopy("npq-senco-2023.xml") { text in
            text.replacingOccurrences(of: "<group>", with: "<group><heading>Orphan heading, including by:</heading></group><group>", options: [], range: text.range(of: "<group>"))
        }
        #expect(result.status != 0)
        #expect(result.stdout.contains("group"), "\(result.stdout)")
    }

    @Test func hostileFrameworkFileIsRefused() throws {
        let result = try validateBrokenCopy("national-award-2009.xml") {
            $0.replacingOccurrences(of: "<framework ", with: "<!DOCTYPE framework [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<framework ")
        }
        #expect(result.status != 0)
        #expect(result.stdout.contains("DOCTYPE declarations are not allowed"), "\(result.stdout)")
        #expect(!result.stdout.contains("root:"))
    }
}
