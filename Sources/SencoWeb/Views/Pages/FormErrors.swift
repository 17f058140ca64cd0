/// One line of a form's error summary: the message, linked to the field it is about.
struct FieldError {
    var field: String
    var message: String
}

/// The errors of a refused form, in the order of the form: the summary lists every one, and each
/// field shows the first message about it.
struct FormErrors {
    var items: [FieldError]

    init(_ errors: [(field: String, message: String)] = []) {
        items = errors.map { FieldError(field: $0.field, message: $0.message) }
    }

    var isEmpty: Bool { items.isEmpty }

    /// The first message about `field`, if any.
    func message(for field: String) -> String? {
        items.first { $0.field == field }?.message
    }
}
