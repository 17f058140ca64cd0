import Dispatch
import Foundation

/// `items.map(transform)` spread over the machine's cores, results in the order of `items`.
///
/// Reading a cohort is one parse, one schema check and one decode per portfolio, each independent
/// of the others (libxml2 parses and validates on separate contexts; a compiled schema is
/// read-only), so on two cores it takes about half the time. If any call throws, this throws the
/// error of the earliest item that failed: the one a sequential loop would have thrown.
///
/// The work runs on threads of its own, not on Dispatch's shared workers: on Linux those are
/// also the threads that run Swift tasks, so a few cohort reads in the web server (each a
/// `concurrentPerform`) took every one of them and stopped every other request, `/health`
/// included, until they finished.
func concurrentMap<Item: Sendable, Value: Sendable, Failure: Error>(
    _ items: [Item], _ transform: @escaping @Sendable (Item) throws(Failure) -> Value
) throws(Failure) -> [Value] {
    if items.count < 2 || ProcessInfo.processInfo.activeProcessorCount < 2 {
        var values: [Value] = []
        values.reserveCapacity(items.count)
        for item in items { values.append(try transform(item)) }
        return values
    }
    let slots = ResultSlots<Value, Failure>(count: items.count)
    let workers = min(items.count, ProcessInfo.processInfo.activeProcessorCount)
    let finished = DispatchSemaphore(value: 0)
    for worker in 0..<workers {
        // Worker w takes items w, w + workers, w + 2·workers…: each index is written by one thread.
        let thread = Thread {
            var index = worker
            while index < items.count {
                let result: Result<Value, Failure>
                do throws(Failure) { result = .success(try transform(items[index])) } catch { result = .failure(error) }
                slots.set(index, result)
                index += workers
            }
            finished.signal()
        }
        thread.stackSize = 4 << 20  // libxml2 and the decoder recurse with the document's depth
        thread.start()
    }
    for _ in 0..<workers { finished.wait() }
    return try slots.values()
}

/// One slot per item, each written once by the thread that owns it and read only after every
/// thread has signalled that it is done. The slots are one fixed allocation, so writers on different
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
