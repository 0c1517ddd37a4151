import Testing

@testable import DulyWeb

struct ChartTests {
    @Test func theLargestValueReachesTheFullLength() {
        let scale = Chart.Scale(maximum: 200, length: 300)
        #expect(scale(200) == 300)
        #expect(scale(50) == 75)
    }

    @Test func negativeValuesStayAtZeroAndLargerOnesAtTheEnd() {
        let scale = Chart.Scale(maximum: 10, length: 100)
        #expect(scale(-5) == 0)
        #expect(scale(20) == 100)
    }

    @Test func whenNothingIsAboveZeroEverythingSitsAtZero() {
        let scale = Chart.Scale(maximum: 0, length: 100)
        #expect(scale(0) == 0)
    }

    @Test func coordinatesAreWrittenToATenthWithoutATrailingZero() {
        #expect(Chart.number(150) == "150")
        #expect(Chart.number(12.34) == "12.3")
        #expect(Chart.number(-0.25) == "-0.3" || Chart.number(-0.25) == "-0.2")
        #expect(Chart.number(0.04) == "0")
    }

    @Test func aBarChartHasItsTitleOneBarPerDatumAndTheFiguresAsPrinted() {
        let svg = Chart.bars(
            [
                Chart.Datum(label: "current", value: 100, text: "EUR 1.00 (1)"),
                Chart.Datum(label: "1-30 days", value: 50, text: "EUR 0.50 (1)"),
            ], title: "Aging, EUR", id: "aging-EUR")
        #expect(
            svg.hasPrefix(
                "<svg class=\"chart\" viewBox=\"0 0 400 88\" role=\"img\" aria-labelledby=\"aging-EUR-title\""))
        #expect(svg.contains("<title id=\"aging-EUR-title\">Aging, EUR</title>"))
        #expect(svg.contains("<rect class=\"bar\" x=\"0\" y=\"22\" width=\"230\" height=\"16\"/>"))
        #expect(svg.contains("<rect class=\"bar\" x=\"0\" y=\"66\" width=\"115\" height=\"16\"/>"))
        #expect(svg.contains(">EUR 1.00 (1)</text>"))
        #expect(!svg.contains("style="))
    }

    @Test func labelsAndTitlesWithMarkupAreEscaped() {
        let svg = Chart.bars(
            [Chart.Datum(label: "<script>x</script>", value: 1, text: "a & b")], title: "</title><script>",
            id: "x\"y")
        #expect(!svg.contains("<script>"))
        #expect(svg.contains("&lt;script&gt;x&lt;/script&gt;"))
        #expect(svg.contains("a &amp; b"))
        #expect(svg.contains("aria-labelledby=\"x&quot;y-title\""))
    }

    @Test func aLineRunsThroughThePointsAndBreaksWhereThereIsNoFigure() {
        let svg = Chart.line(
            [
                Chart.Datum(label: "2026-01", value: 40, text: "40.00"),
                Chart.Datum(label: "2026-02", value: 20, text: "20.00"),
                Chart.Datum(label: "2026-03", value: nil, text: "n/a"),
                Chart.Datum(label: "today", value: 40, text: "40.00"),
            ], title: "DSO", id: "dso")
        // Four points from x 30 to 370, heights from the bottom (170) up to the top (24) for the largest.
        #expect(svg.contains("<path class=\"line\" d=\"M30 24 L143.3 97 M370 24\"/>"))
        #expect(svg.components(separatedBy: "<circle").count - 1 == 3)
        #expect(svg.contains(">today</text>"))
    }
}
