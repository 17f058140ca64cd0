/// What the DfE pages share: a choice in a select or radio group, and a form's error linked to
/// its field.
struct FormOption {
    var value: String
    var label: String
    var selected: Bool
}

struct FieldError {
    var field: String
    var message: String
}

/// A label and its value, for a summary list.
struct LabelledValue {
    var label: String
    var value: String
}
