extension Ratio {
    /// The value, an amount of minor units of `currency`, in major units with `extraPlaces` decimals beyond the minor
    /// unit, rounded half to even there: `5.821918` for 582.1917… pence with four extra places. For showing the
    /// working of an interest claim only; never summed.
    public func decimalString(in currency: Currency, extraPlaces: Int) -> String {
        var scale: Int128 = 1
        for _ in 0..<extraPlaces { scale *= 10 }
        let scaled = Money.divideHalfEven(numerator * scale, denominator)
        let places = currency.minorUnitDigits + extraPlaces
        var divisor: Int128 = 1
        for _ in 0..<places { divisor *= 10 }
        let magnitude = scaled < 0 ? -scaled : scaled
        var fraction = String(magnitude % divisor)
        fraction = String(repeating: "0", count: places - fraction.count) + fraction
        return (scaled < 0 ? "-" : "") + String(magnitude / divisor) + (places > 0 ? "." + fraction : "")
    }
}
