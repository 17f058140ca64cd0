extension LeadProviderClient {
    /// `body` with this client, shut down afterwards whatever happens (a client must be shut down
    /// before it goes away).
    public func using<T>(_ body: (LeadProviderClient) async throws -> T) async throws -> T {
        do {
            let value = try await body(self)
            await shutdown()
            return value
        } catch {
            await shutdown()
            throw error
        }
    }
}
