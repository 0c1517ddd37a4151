/// A growing array kept in chunks of a fixed size, for the rows an import holds between reading and writing them.
///
/// Appending never moves what is already held: a doubling array, growing past a million rows, held its old and its
/// new buffer at once (for a moment half as much again as the rows themselves) and then kept up to half of the new
/// one unused. Here at most one chunk is unused, and growing allocates one chunk.
struct ChunkedArray<Element> {
    // A power of two, so that a position splits into chunk and offset with a shift and a mask.
    private static var chunkSize: Int { 65_536 }
    private var chunks: [[Element]] = []
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }
    var indices: Range<Int> { 0..<count }

    mutating func append(_ element: Element) {
        if count % Self.chunkSize == 0 {
            var chunk: [Element] = []
            chunk.reserveCapacity(Self.chunkSize)
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(element)
        count += 1
    }

    subscript(position: Int) -> Element {
        get { chunks[position / Self.chunkSize][position % Self.chunkSize] }
        set { chunks[position / Self.chunkSize][position % Self.chunkSize] = newValue }
    }
}
