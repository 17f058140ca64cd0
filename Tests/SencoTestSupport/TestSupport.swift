import Foundation
import SencoCore
import SencoData

/// Paths and builders the test targets share.
public enum TestSupport {
    /// The checkout's root, found from this file's location.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var frameworksDirectory: URL { root.appendingPathComponent("Frameworks") }
    public static var portfoliosDirectory: URL { root.appendingPathComponent("Portfolios") }
    public static var sampleStore: URL { portfoliosDirectory.appendingPathComponent("sample") }
    public static var seedsDirectory: URL { root.deletingLastPathComponent().appendingPathComponent("shared/seeds") }

    public static func library() throws -> FrameworkLibrary {
        try FrameworkLibrary(directory: frameworksDirectory)
    }

    public static func schemas() throws -> PortfolioSchemas {
        try PortfolioSchemas(directory: portfoliosDirectory)
    }

    /// A fresh empty directory under the system temporary directory.
    public static func temporaryDirectory(_ label: String = "senco") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Every entry under `directory`: each file with its bytes, each folder and link by name (lock
    /// files, temporary files and blobs included), to prove an operation changed nothing.
    public static func snapshot(_ directory: URL) -> [String: Data] {
        var result: [String: Data] = [:]
        let keys: [URLResourceKey] = [.isRegularFileKey, .isDirectoryKey, .isSymbolicLinkKey]
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: keys) else {
            return result
        }
        for case let url as URL in enumerator {
            let name = String(url.path.dropFirst(directory.path.count))
            let values = try? url.resourceValues(forKeys: Set(keys))
            if values?.isSymbolicLink == true {
                result[name] = Data("link → \((try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) ?? "?")".utf8)
            } else if values?.isRegularFile == true {
                result[name] = (try? Data(contentsOf: url)) ?? Data("unreadable".utf8)
            } else if values?.isDirectory == true {
                result[name + "/"] = Data()
            } else {
                result[name] = Data("special".utf8)
            }
        }
        return result
    }

    /// Text that exercises escaping: markup characters, quotes, non-ASCII and emoji.
    public static let hostileText = "Tom & Jerry <script>alert(\"x\")</script> it’s “quoted” — café 🧑🏽‍🏫 ]]> &amp;"

    public static func participant(_ id: String = "p-test-01", cohort: String = "test-cohort") -> Participant {
        Participant(
            id: id, name: "Test Person \(id)", school: "Example School", email: "\(id)@example.org", trn: "1234567",
            cohort: cohort, tutor: "t-one", started: Day("2025-10-06")!)
    }

    public static func cohort(_ id: String = "test-cohort") -> Cohort {
        Cohort(id: id, title: "Test cohort", provider: "Example provider", start: Day("2025-10-06")!, tutors: [.init(id: "t-one", name: "Tutor One")])
    }

    /// A deterministic generator (SplitMix64) so property tests reproduce.
    public struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        public init(seed: UInt64) { state = seed }
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// A random portfolio with `items` evidence items, text full of characters that need escaping.
    public static func generatedPortfolio(
        id: String = "p-gen-01", items: Int, mappingsPerItem: Int = 3, judgementsPerItem: Int = 2,
        reflectionLength: Int = 400, statementIDs: [String], generator: inout SeededGenerator
    ) -> Portfolio {
        let fragments = [
            "I reviewed the SEN register with the head teacher & SLT.", "Pupils’ views <“voice”> shaped the plan.",
            "Provision map: Year 4 > Year 3 in cost;", "Café conversations with families — 🙂 went well.",
            "We used the assess–plan–do–review cycle.", "Key question: does it work? 'Yes', mostly.",
            "Ça va: naïve assumptions were challenged.", "Data showed attendance < 90% for 6 pupils.",
        ]
        func text(_ length: Int) -> String {
            var out = ""
            while out.count < length { out += fragments.randomElement(using: &generator)! + " " }
            return String(out.prefix(length))
        }
        let base = Date(timeIntervalSince1970: 1_759_700_000)
        var portfolio = Portfolio(
            revision: 1, participant: participant(id), frameworks: ["npq-senco-2023", "national-award-2009"],
            state: .draft, stateSince: base)
        let types = ["reflective-account", "observation", "meeting-record", "provision-map", "case-study", "reading-log"]
        for n in 1...max(items, 1) where items > 0 {
            let evidenceID = "e\(n)"
            let at = base.addingTimeInterval(Double(n * 3600))
            portfolio.evidence.append(
                EvidenceItem(
                    id: evidenceID, title: "Item \(n): " + text(40), type: types[n % types.count], date: Day("2025-11-01")!,
                    reflection: text(reflectionLength),
                    attachments: n % 10 == 0
                        ? [Attachment(name: "file \(n) & <notes>.txt", size: n, sha256: String(repeating: "a", count: 64), mediaType: "text/plain")]
                        : [],
                    sensitive: n % 3 == 0, added: at))
            var chosen: Set<String> = []
            while chosen.count < min(mappingsPerItem, statementIDs.count) {
                chosen.insert(statementIDs.randomElement(using: &generator)!)
            }
            for statement in chosen.sorted() {
                portfolio.mappings.append(Mapping(evidence: evidenceID, statement: statement, claim: text(80)))
            }
            portfolio.log.append(.activity(Activity(at: at, by: id, role: .participant, action: "evidence-added", evidence: evidenceID, note: "Added evidence \(evidenceID)")))
            for j in 0..<judgementsPerItem {
                portfolio.log.append(
                    .judgement(
                        Judgement(
                            at: at.addingTimeInterval(Double(60 * (j + 1))), by: "t-one", role: .tutor,
                            statement: chosen.sorted()[j % chosen.count], status: JudgementStatus.allCases.randomElement(using: &generator)!,
                            feedback: text(60))))
            }
        }
        return portfolio
    }
}
