import DulyCore
import DulyStore

/// Adding people and tokens to an organisation: what `duly user add` and `duly token create` do, with their rules
/// in one place for the command line and, later, the owner's API.
public enum Members {
    /// Why a request to add a member is refused, for the person at the terminal.
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Adds `email` to the organisation with `role`: a new user needs a password (hashed with bcrypt, never kept as
    /// given); an existing one keeps theirs unless a new one is given.
    /// - Returns: true when the user was created.
    @discardableResult
    public static func add(
        email: String, password: String?, role: Role, organisationID: String, store: some AccountStore
    ) async throws -> Bool {
        do {
            _ = try EmailAddress(parsing: email)
        } catch {
            throw Refusal(description: "'\(email)' is not an email address: \(error)")
        }
        if let password, let problem = Password.problem(password) { throw Refusal(description: problem) }
        let exists = try await store.passwordHash(email: email) != nil
        if !exists && password == nil {
            throw Refusal(description: "\(email) is a new user and needs a password: give it on standard input")
        }
        return try await store.addMember(
            email: email, passwordHash: password.map(Password.hash), organisationID: organisationID, role: role)
    }

    /// Creates a token for a member and returns its secret, which is shown this once and kept only as a hash.
    public static func createToken(
        name: String, email: String, organisationID: String, createdAt: String, store: some AccountStore
    ) async throws -> String {
        guard !name.isEmpty, name.count <= 100, !name.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw Refusal(description: "a token's name is 1 to 100 characters on one line (`accounting-sync`)")
        }
        let secret = APIToken.generate()
        try await store.createToken(
            name: name, secretHash: APIToken.hash(secret), email: email, organisationID: organisationID,
            createdAt: createdAt)
        return secret
    }
}
