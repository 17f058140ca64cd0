/// A label and its value, for a summary list (the DfE pages).
struct LabelledValue {
    var label: String
    var value: String
}
