import Foundation
import SencoCore
import SencoXML

/// The frameworks and crosswalks in a directory (normally the project's `Frameworks/`), each
/// checked against its schema and the semantic rules when loaded.
public struct FrameworkLibrary: Sendable {
    public static let frameworkSchemaName = "framework.xsd"
    public static let crosswalkSchemaName = "crosswalk.xsd"
    /// The environment variable that names the frameworks directory.
    public static let environmentKey = "SENCO_FRAMEWORKS"

    public let directory: URL
    public let frameworks: [Framework]
    public let crosswalks: [Crosswalk]
    let frameworkSchema: XMLSchema
    let crosswalkSchema: XMLSchema

    /// Loads every `*.xml` in `directory`. Any file that fails its schema or the checks stops the
    /// load with every finding, so a broken data file is never half-used.
    public init(directory: URL) throws(DataError) {
        self.directory = directory
        do {
            frameworkSchema = try XMLSchema(contentsOf: directory.appendingPathComponent(Self.frameworkSchemaName))
            crosswalkSchema = try XMLSchema(contentsOf: directory.appendingPathComponent(Self.crosswalkSchemaName))
        } catch {
            throw DataError(error)
        }
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "xml" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw DataError("cannot list the frameworks directory", file: directory.path)
        }
        var frameworks: [Framework] = []
        var crosswalks: [Crosswalk] = []
        var findings: [Finding] = []
        for file in files {
            switch Self.read(file, frameworkSchema: frameworkSchema, crosswalkSchema: crosswalkSchema) {
            case .failure(let error): findings += error.findings
            case .success(.framework(let framework)):
                findings += framework.check().located(in: file.path)
                frameworks.append(framework)
            case .success(.crosswalk(let crosswalk)):
                crosswalks.append(crosswalk)
            }
        }
        let byID = Dictionary(frameworks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for crosswalk in crosswalks {
            let file = files.first { $0.lastPathComponent.contains(crosswalk.id) }?.path ?? crosswalk.id
            findings += crosswalk.check(from: byID[crosswalk.from], to: byID[crosswalk.to]).located(in: file)
        }
        if Set(frameworks.map(\.id)).count != frameworks.count {
            findings.append(.error("two framework files share an id", file: directory.path))
        }
        if findings.hasErrors { throw DataError(findings) }
        self.frameworks = frameworks.sorted { $0.id > $1.id }
        self.crosswalks = crosswalks
    }

    public func framework(withID id: String) -> Framework? {
        frameworks.first { $0.id == id }
    }

    /// The crosswalks that involve a framework, either way round.
    public func crosswalks(involving id: String) -> [Crosswalk] {
        crosswalks.filter { $0.from == id || $0.to == id }
    }

    /// The framework that holds a statement id (ids are unique across the shipped frameworks).
    public func framework(containing statementID: String) -> Framework? {
        frameworks.first { $0.statement(withID: statementID) != nil }
    }

    public enum Document: Sendable {
        case framework(Framework)
        case crosswalk(Crosswalk)
    }

    /// Schema and semantic checks for framework and crosswalk files. Crosswalk ids are checked
    /// against the frameworks among `files` first, then against this library's frameworks, so
    /// a whole directory of edited copies can be checked together.
    public func validate(files: [URL]) -> [Finding] {
        Self.validate(files: files, references: frameworks, frameworkSchema: frameworkSchema, crosswalkSchema: crosswalkSchema)
    }

    /// As `validate(files:)`, for when the library itself may be broken: reads the schemas from
    /// `schemaDirectory` and uses whatever frameworks in `files` can be read.
    public static func validate(files: [URL], schemaDirectory: URL) -> [Finding] {
        do {
            let frameworkSchema = try XMLSchema(contentsOf: schemaDirectory.appendingPathComponent(frameworkSchemaName))
            let crosswalkSchema = try XMLSchema(contentsOf: schemaDirectory.appendingPathComponent(crosswalkSchemaName))
            let references = (try? FileManager.default.contentsOfDirectory(at: schemaDirectory, includingPropertiesForKeys: nil))?
                .filter { $0.pathExtension == "xml" }
                .compactMap { file -> Framework? in
                    if case .success(.framework(let framework)) = read(file, frameworkSchema: frameworkSchema, crosswalkSchema: crosswalkSchema) {
                        return framework
                    }
                    return nil
                } ?? []
            return validate(files: files, references: references, frameworkSchema: frameworkSchema, crosswalkSchema: crosswalkSchema)
        } catch {
            return [error.finding]
        }
    }

    static func validate(files: [URL], references: [Framework], frameworkSchema: XMLSchema, crosswalkSchema: XMLSchema)
        -> [Finding]
    {
        var findings: [Finding] = []
        var given: [Framework] = []
        var crosswalks: [(URL, Crosswalk)] = []
        for file in files {
            switch read(file, frameworkSchema: frameworkSchema, crosswalkSchema: crosswalkSchema) {
            case .failure(let error): findings += error.findings
            case .success(.framework(let framework)):
                findings += framework.check().located(in: file.path)
                given.append(framework)
            case .success(.crosswalk(let crosswalk)):
                crosswalks.append((file, crosswalk))
            }
        }
        func lookup(_ id: String) -> Framework? {
            given.first { $0.id == id } ?? references.first { $0.id == id }
        }
        for (file, crosswalk) in crosswalks {
            findings += crosswalk.check(from: lookup(crosswalk.from), to: lookup(crosswalk.to)).located(in: file.path)
        }
        return findings
    }

    static func read(_ file: URL, frameworkSchema: XMLSchema, crosswalkSchema: XMLSchema) -> Result<Document, DataError> {
        do {
            let data: Data
            do { data = try Data(contentsOf: file) } catch {
                throw DataError("cannot read file", file: file.path)
            }
            let root = try XMLReader().read(data, source: file.path)
            let schema: XMLSchema
            switch root.name {
            case "framework": schema = frameworkSchema
            case "crosswalk": schema = crosswalkSchema
            default:
                throw DataError(
                    "root element is <\(root.name)>; expected <framework> or <crosswalk>", file: file.path, line: root.line)
            }
            let violations = try schema.validate(data, source: file.path)
            if !violations.isEmpty { throw DataError(violations.map(\.finding)) }
            if root.name == "framework" {
                return .success(.framework(try FrameworkDecoder.framework(from: root, file: file.path)))
            }
            return .success(.crosswalk(try FrameworkDecoder.crosswalk(from: root, file: file.path)))
        } catch let error as DataError {
            return .failure(error)
        } catch let error as XMLError {
            return .failure(DataError(error))
        } catch {
            return .failure(DataError("\(error)", file: file.path))
        }
    }

    // MARK: Finding the directory

    /// Where the frameworks live: the explicit path if given, else `$SENCO_FRAMEWORKS`, else a
    /// `Frameworks/` directory holding `framework.xsd` in the working directory or above it, or
    /// beside or above the running executable (so `.build/debug/senco` finds the checkout's).
    public static func locate(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(DataError) -> URL
    {
        if let explicit { return try existing(URL(fileURLWithPath: explicit), origin: "--frameworks") }
        if let fromEnvironment = environment[environmentKey], !fromEnvironment.isEmpty {
            return try existing(URL(fileURLWithPath: fromEnvironment), origin: environmentKey)
        }
        var starts = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        starts.append(executable.deletingLastPathComponent())
        for start in starts {
            var directory = start.standardizedFileURL
            while true {
                let candidate = directory.appendingPathComponent("Frameworks")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(frameworkSchemaName).path) {
                    return candidate
                }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        throw DataError(
            "cannot find the Frameworks directory: run from the senco checkout, or set \(environmentKey) or --frameworks")
    }

    private static func existing(_ url: URL, origin: String) throws(DataError) -> URL {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError("\(origin) names \(url.path), which is not a directory")
        }
        return url
    }
}
