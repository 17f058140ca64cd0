/// A failure the user can fix, reported as one line naming what is wrong.
struct CommandError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

import SencoCore

/// Free text from an option or file, under the same rule as the web forms (`PastedText`): page
/// breaks become line breaks, any other control character is refused naming the option.
func pasted(_ text: String, _ option: String) throws -> String {
    try PastedText.normalise(text, field: option)
}

func pasted(_ text: String?, _ option: String) throws -> String? {
    guard let text else { return nil }
    return try PastedText.normalise(text, field: option)
}
