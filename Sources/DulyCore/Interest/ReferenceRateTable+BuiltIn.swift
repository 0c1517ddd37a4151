extension ReferenceRateTable {
    /// The rates of docs/DOMAIN.md, "Reference rates", 2019 H1 to 2026 H1; an operator adds later half-years with a
    /// rate file.
    public static let builtIn: ReferenceRateTable = {
        var rows: [Row] = []
        for (index, line) in builtInCSV.split(separator: "\n").enumerated().dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            // Line numbers as in the literal, header on line 1, so a typo here points at its line.
            let source = "built-in rate table, line \(index + 1)"
            switch parseRow(reference: fields[0], validFrom: fields[1], ratePercent: fields[2], source: source) {
            case .success(let row): rows.append(row)
            case .failure(let error): preconditionFailure("\(source): \(error.message)")
            }
        }
        return ReferenceRateTable(rows: rows)
    }()

    // In the operator file's own shape, read by the same row parser.
    //
    // BOE: Bank Rate on the reference date of the half-year in which interest starts to run — 31 Dec before H1,
    //   30 Jun before H2 (docs/DOMAIN.md, "Reference rates"; SI 2002/1675; 2019–2024 H1 from payontime's table,
    //   later rows derived from the BoE change history it quotes).
    // ECB: main refinancing operations rate in force on 1 Jan / 1 Jul (same section, from the ECB change history).
    // DE: Basiszinssatz of the half-year (same section: published values, 2024 H1/H2 derived by the § 247 mechanism).
    static let builtInCSV = """
        reference,valid_from,rate_percent
        BOE,2019-01-01,0.75
        BOE,2019-07-01,0.75
        BOE,2020-01-01,0.75
        BOE,2020-07-01,0.10
        BOE,2021-01-01,0.10
        BOE,2021-07-01,0.10
        BOE,2022-01-01,0.25
        BOE,2022-07-01,1.25
        BOE,2023-01-01,3.50
        BOE,2023-07-01,5.00
        BOE,2024-01-01,5.25
        BOE,2024-07-01,5.25
        BOE,2025-01-01,4.75
        BOE,2025-07-01,4.25
        BOE,2026-01-01,3.75
        ECB,2019-01-01,0.00
        ECB,2019-07-01,0.00
        ECB,2020-01-01,0.00
        ECB,2020-07-01,0.00
        ECB,2021-01-01,0.00
        ECB,2021-07-01,0.00
        ECB,2022-01-01,0.00
        ECB,2022-07-01,0.00
        ECB,2023-01-01,2.50
        ECB,2023-07-01,4.00
        ECB,2024-01-01,4.50
        ECB,2024-07-01,4.25
        ECB,2025-01-01,3.15
        ECB,2025-07-01,2.15
        ECB,2026-01-01,2.15
        DE,2019-01-01,-0.88
        DE,2019-07-01,-0.88
        DE,2020-01-01,-0.88
        DE,2020-07-01,-0.88
        DE,2021-01-01,-0.88
        DE,2021-07-01,-0.88
        DE,2022-01-01,-0.88
        DE,2022-07-01,-0.88
        DE,2023-01-01,1.62
        DE,2023-07-01,3.12
        DE,2024-01-01,3.62
        DE,2024-07-01,3.37
        DE,2025-01-01,2.27
        DE,2025-07-01,1.27
        DE,2026-01-01,1.27
        """
}
