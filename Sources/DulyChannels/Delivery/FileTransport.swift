import Foundation

/// Writes each message to a folder as a file (`.eml` for email): for demos, dry runs and letters to print.
///
/// A message is written under a temporary name and renamed into place after `beforeCommit`, so a folder never holds
/// half a message, and a message is in the folder exactly when the outbox counts it as committed.
public struct FileTransport: MessageTransport {
    public let folder: String

    public init(folder: String) {
        self.folder = folder
    }

    public func send(_ message: OutgoingMessage, beforeCommit: @Sendable () async throws -> Void) async throws {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw TransportError.temporary("cannot create the folder \(folder): \(error.localizedDescription)")
        }
        let final = (folder as NSString).appendingPathComponent(message.suggestedFileName)
        let temporary = (folder as NSString).appendingPathComponent(".\(message.suggestedFileName).partial")
        guard manager.createFile(atPath: temporary, contents: Data(message.content)) else {
            throw TransportError.temporary("cannot write \(temporary)")
        }
        try await beforeCommit()
        if manager.fileExists(atPath: final) { try? manager.removeItem(atPath: final) }
        do {
            try manager.moveItem(atPath: temporary, toPath: final)
        } catch {
            throw TransportError.temporary("cannot move \(temporary) into place: \(error.localizedDescription)")
        }
    }

    /// Moves a message written before a crash into place, if its partial file is still there.
    public func completeCommitted(_ message: OutgoingMessage) async throws {
        let final = (folder as NSString).appendingPathComponent(message.suggestedFileName)
        let temporary = (folder as NSString).appendingPathComponent(".\(message.suggestedFileName).partial")
        let manager = FileManager.default
        guard manager.fileExists(atPath: temporary) else { return }
        if manager.fileExists(atPath: final) { try? manager.removeItem(atPath: final) }
        try manager.moveItem(atPath: temporary, toPath: final)
    }
}
