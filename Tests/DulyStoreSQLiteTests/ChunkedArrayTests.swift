import Testing

@testable import DulyStoreSQLite

/// The array an import holds its rows in between reading and writing them (`ChunkedArray`): it must behave as an
/// array does across the edges of its chunks.
@Suite struct ChunkedArrayTests {
    // Two chunks of 65,536 and a few rows into a third.
    static let rows = 2 * 65_536 + 3

    @Test func rowsAppendedPastAChunksEndKeepTheirOrderAndValues() {
        var array = ChunkedArray<Int>()
        for value in 0..<Self.rows { array.append(value * 7) }

        #expect(array.count == Self.rows)
        #expect(array.indices == 0..<Self.rows)
        #expect(array.indices.allSatisfy { array[$0] == $0 * 7 })
    }

    @Test func aRowChangedInPlaceChangesOnlyThatRow() {
        var array = ChunkedArray<Int>()
        for value in 0..<Self.rows { array.append(value) }

        // The last row of the first chunk and the first of the second.
        array[65_535] += 100
        array[65_536] += 200

        #expect(array[65_535] == 65_635)
        #expect(array[65_536] == 65_736)
        #expect(array.indices.filter { array[$0] != $0 } == [65_535, 65_536])
    }

    @Test func anEmptyArrayHoldsNothing() {
        let array = ChunkedArray<String>()
        #expect(array.isEmpty)
        #expect(array.indices.isEmpty)
    }
}
