import ArgumentParser

/// Text is for people; JSON and XML are for programs.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json, xml
}

/// Output formats for commands that have no XML form.
enum TextOrJSON: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}
