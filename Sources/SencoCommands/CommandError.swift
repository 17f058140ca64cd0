/// A failure the user can fix, reported as one line naming what is wrong.
struct CommandError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
