/// Whether anything was committed to the database, by this process or another, since a moment ago: what lets
/// `duly serve` answer a repeated read from memory and still never answer with data older than the database's.
public protocol ChangeVersionStore: Sendable {
    /// A number that differs from the one read before whenever anything was committed in between, by any connection
    /// or process; nil when the backend cannot tell cheaply (then nothing is answered from memory).
    ///
    /// Read it before reading the data a cached answer is made of: an answer made after reading version V is at
    /// least as new as V, so while the version still reads V, the answer is the database's.
    func changeVersion() async throws -> Int64?
}
