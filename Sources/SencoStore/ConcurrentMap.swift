import Dispatch
import Foundation

/// `items.map(transform)` spread over the machine's cores, results in the order of `items`.
///
/// Reading a cohort is one parse, one schema check and one decode per portfolio, each independent
/// of the others (libxml2 parses and validates on separate contexts; a compiled schema is
/// read-only), so on two cores it takes about half the time. If any call throws, this throws the
/// error of the earliest item that failed: the one a sequential loop would have thrown.
func concurrentMap<Item: Sendable, Value: Sendable, Failure: Error>(
    _ items: [Item], _ transform: @Sendable (Item) throws(Failure) -> Value
) throws(Failure) -> [Value] {
    if items.count < 2 || ProcessInfo.processInfo.activeProcessorCount < 2 {
        var values: [Value] = []
        values.reserveCapacity(items.count)
        for item in items { values.append(try transform(item)) }
        return values
    }
    let slots = ResultSlots<Value, Failure>(count: items.count)
    DispatchQueue.concurrentPerform(iterations: items.count) { index in
        let result: Result<Value, Failure>
        do throws(Failure) { result = .success(try transform(items[index])) } catch { result = .failure(error) }
        slots.set(index, result)  // each index is written by exactly one iteration
    }
    return try slots.values()
}

/// One slot per item, each written once by the iteration that owns it and read only after
/// `concurrentPerform` has returned. The slots are one fixed allocation, so writers on different
/// threads touch different memory and nothing is ever reallocated under them.
private final class ResultSlots<Value, Failure: Error>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Result<Value, Failure>?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func set(_ index: Int, _ result: Result<Value, Failure>) {
        slots[index] = result
    }

    func values() throws(Failure) -> [Value] {
        var values: [Value] = []
        values.reserveCapacity(slots.count)
        for slot in slots {
            guard let slot else { continue }
            values.append(try slot.get())
        }
        return values
    }
}
