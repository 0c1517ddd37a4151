import DulyEvidence
import Foundation
import Testing
import ZIPFoundation

@Suite("Writing the pack as a zip")
struct EvidenceArchiveTests {
    private let files = [
        EvidencePack.File(
            path: "manifest.json", bytes: Array("{}\n".utf8), mediaType: "application/json", description: ""),
        EvidencePack.File(
            path: "communications/0001-a.eml", bytes: Array("Subject: é\r\n\r\nbody\r\n".utf8) + [0, 255],
            mediaType: "message/rfc822", description: ""),
    ]
    private let stamp = Date(timeIntervalSince1970: 1_774_000_000)

    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("duly-evidence-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func entries(_ url: URL) throws -> [String: [UInt8]] {
        let archive = try Archive(url: url, accessMode: .read)
        var found: [String: [UInt8]] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            found[entry.path] = Array(data)
        }
        return found
    }

    @Test func theZipHoldsEveryFileByteForByteAndNothingElseIsLeftBehind() throws {
        let folder = try folder()
        let destination = folder.appendingPathComponent("pack.zip")
        try EvidenceArchive.write(files, to: destination, overwrite: false, modificationDate: stamp)
        #expect(try entries(destination) == Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.bytes) }))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["pack.zip"])
    }

    @Test func anExistingFileIsKeptUnlessReplacingWasAsked() throws {
        let folder = try folder()
        let destination = folder.appendingPathComponent("pack.zip")
        try Data("precious".utf8).write(to: destination)
        #expect(throws: EvidenceArchiveError.exists(path: destination.path)) {
            try EvidenceArchive.write(files, to: destination, overwrite: false, modificationDate: stamp)
        }
        #expect(try Data(contentsOf: destination) == Data("precious".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["pack.zip"])
        try EvidenceArchive.write(files, to: destination, overwrite: true, modificationDate: stamp)
        #expect(try entries(destination).count == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["pack.zip"])
    }

    @Test func aMissingFolderIsAClearErrorAndWritesNothing() throws {
        let folder = try folder()
        let destination = folder.appendingPathComponent("no/such/pack.zip")
        #expect(throws: EvidenceArchiveError.self) {
            try EvidenceArchive.write(files, to: destination, overwrite: false, modificationDate: stamp)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}

@Suite("The pack as bytes in memory")
struct EvidenceArchiveBytesTests {
    @Test func theZipInMemoryHoldsEveryFileByteForByte() throws {
        let files = [
            EvidencePack.File(
                path: "manifest.json", bytes: Array("{}\n".utf8), mediaType: "application/json", description: ""),
            EvidencePack.File(
                path: "timeline/timeline.jsonl", bytes: [0, 1, 255], mediaType: "application/jsonl", description: ""),
        ]
        let bytes = try EvidenceArchive.bytes(files, modificationDate: Date(timeIntervalSince1970: 1_774_000_000))
        let archive = try Archive(data: Data(bytes), accessMode: .read)
        var found: [String: [UInt8]] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            found[entry.path] = Array(data)
        }
        #expect(found == Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.bytes) }))
    }
}
