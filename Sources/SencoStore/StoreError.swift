/// Why a store operation failed, in one line a user can act on. Nothing was changed.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        public static let notFound = Code("not-found")
        public static let alreadyExists = Code("already-exists")
        public static let invalidID = Code("invalid-id")
        /// The update was based on an older revision than the one stored.
        public static let staleRevision = Code("stale-revision")
        /// Another writer holds the portfolio's lock.
        public static let busy = Code("busy")
        public static let invalidData = Code("invalid-data")
        public static let invalidInput = Code("invalid-input")
        public static let io = Code("io")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
