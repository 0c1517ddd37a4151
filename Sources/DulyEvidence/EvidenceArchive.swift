import Foundation
import ZIPFoundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a pack could not be written. Nothing is left under the destination's name.
public enum EvidenceArchiveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The destination exists and overwriting was not asked for.
    case exists(path: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .exists(let path): return "\(path) already exists; choose another name, or pass --force to replace it"
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
        }
    }
}

/// Writes a pack's files as a zip file.
public enum EvidenceArchive {
    /// Writes `files` (deflated, in order) to a temporary file beside `destination`, flushes it to disk, then moves
    /// it to `destination` in one step, so a crash never leaves half a pack under the real name.
    ///
    /// Without `overwrite`, an existing destination is refused, also when it appears while the pack is written
    /// (the final step is a hard link, which fails rather than replace).
    /// - Parameter modificationDate: the date stamped on every entry (the caller's clock, or a fixed one in tests).
    public static func write(
        _ files: [EvidencePack.File], to destination: URL, overwrite: Bool, modificationDate: Date
    ) throws {
        let manager = FileManager.default
        let path = destination.path
        if !overwrite && manager.fileExists(atPath: path) { throw EvidenceArchiveError.exists(path: path) }
        let folder = destination.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw EvidenceArchiveError.cannotWrite(path: path, reason: "the folder \(folder.path) does not exist")
        }
        let temporary = folder.appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).partial")
        defer { try? manager.removeItem(at: temporary) }
        do {
            try fill(temporary, with: files, modificationDate: modificationDate)
            let handle = try FileHandle(forUpdating: temporary)
            try handle.synchronize()
            try handle.close()
        } catch {
            throw EvidenceArchiveError.cannotWrite(path: path, reason: "\(error)")
        }
        if overwrite {
            guard rename(temporary.path, path) == 0 else {
                throw EvidenceArchiveError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
        } else {
            guard link(temporary.path, path) == 0 else {
                if errno == EEXIST { throw EvidenceArchiveError.exists(path: path) }
                throw EvidenceArchiveError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
        }
    }

    // The archive closes its file when it is released, at the end of this function.
    private static func fill(_ url: URL, with files: [EvidencePack.File], modificationDate: Date) throws {
        try add(files, to: try Archive(url: url, accessMode: .create), modificationDate: modificationDate)
    }

    private static func add(_ files: [EvidencePack.File], to archive: Archive, modificationDate: Date) throws {
        for file in files {
            let data = Data(file.bytes)
            try archive.addEntry(
                with: file.path, type: .file, uncompressedSize: Int64(data.count), modificationDate: modificationDate,
                permissions: 0o644, compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }
}

extension EvidenceArchive {
    /// The zip of `files` (deflated, in order) in memory: what the API answers for a pack, byte for byte the file
    /// `write` would leave on disk.
    public static func bytes(_ files: [EvidencePack.File], modificationDate: Date) throws -> [UInt8] {
        let archive = try Archive(accessMode: .create)
        try add(files, to: archive, modificationDate: modificationDate)
        return Array(archive.data ?? Data())
    }
}
