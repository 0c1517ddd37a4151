// The four penalty rules of ISO/IEC 18004 section 7.8.3, which choose the mask that a reader finds easiest.
extension QRMatrix {
    /// The penalty score of the symbol as it stands: lower reads better.
    var penalty: Int {
        var score = 0
        for line in 0..<size {
            // A row is every module from line × size on; a column every size-th module from line on.
            score += lineScore(start: line * size, step: 1) + lineScore(start: line, step: size)
        }
        // Rule 2: 3 for each 2×2 block of one colour.
        for y in 0..<size - 1 {
            for x in 0..<size - 1 {
                let colour = self[x, y]
                if self[x + 1, y] == colour && self[x, y + 1] == colour && self[x + 1, y + 1] == colour { score += 3 }
            }
        }
        // Rule 4: 10 for each full 5 % that the share of dark modules strays from half.
        let dark = modules.count { $0 }
        score += 10 * (abs(dark * 20 - modules.count * 10) / modules.count)
        return score
    }

    // Rules 1 and 3 along one row or column.
    private func lineScore(start: Int, step: Int) -> Int {
        func module(_ index: Int) -> Bool { modules[start + index * step] }
        var score = 0
        // Rule 1: 3 for a run of five modules of one colour, and 1 more for each module beyond five.
        var runLength = 1
        for index in 1...size {
            if index < size && module(index) == module(index - 1) {
                runLength += 1
            } else {
                if runLength >= 5 { score += runLength - 2 }
                runLength = 1
            }
        }
        // Rule 3: 40 for each dark-light-dark×3-light-dark pattern (1:1:3:1:1) with four light modules on either
        // side, that is 1011101 0000 or 0000 1011101.
        for start in 0...(size - 11) {
            let core = (0..<7).allSatisfy { module(start + $0) == Self.finderCore[$0] }
            if core && (7..<11).allSatisfy({ !module(start + $0) }) { score += 40 }
            let shiftedCore = (0..<7).allSatisfy { module(start + 4 + $0) == Self.finderCore[$0] }
            if shiftedCore && (0..<4).allSatisfy({ !module(start + $0) }) { score += 40 }
        }
        return score
    }

    private static let finderCore = [true, false, true, true, true, false, true]
}
