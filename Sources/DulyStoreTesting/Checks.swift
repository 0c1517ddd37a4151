import DulyStore

/// Throws a violation saying `what` unless `condition` holds.
func check(_ condition: Bool, _ what: String) throws {
    if !condition { throw ContractViolation(what) }
}

/// Runs `body` and throws a violation unless it throws `StoreError.invalid`. The message is the backend's to word;
/// the kind of refusal is the contract.
func expectInvalid(_ what: String, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch StoreError.invalid {
        return
    }
    throw ContractViolation("\(what): expected StoreError.invalid to be thrown, nothing was")
}
