import Foundation

/// Runs the built `duly` executable, as a user would, and captures what it prints.
struct DulyProcess {
    struct Outcome {
        var status: Int32
        var output: String
        var errors: String

        var lines: [String] { output.split(separator: "\n").map(String.init) }
    }

    /// A fresh temporary folder holding the test's database and files.
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("duly-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    var databaseURL: String { "sqlite:" + folder.appendingPathComponent("duly.sqlite").path }

    /// The `duly` binary SwiftPM built next to the test bundle.
    static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["DULY_BINARY"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // On Linux the runner is …/debug/DulyPackageTests.xctest; elsewhere it may sit deeper in a bundle.
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("duly")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/duly")
    }

    /// Writes a file into the folder and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Runs `duly ARGUMENTS --database …` (the database option is added unless `database` is false), with
    /// `environment` added to the test's own and `input` (when given) on standard input.
    @discardableResult
    func run(
        _ arguments: [String], database: Bool = true, environment extra: [String: String] = [:],
        input: String? = nil
    ) throws
        -> Outcome
    {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments + (database ? ["--database", databaseURL] : [])
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DULY_DATABASE_URL")
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let standardInput = input.map { _ in Pipe() }
        if let standardInput { process.standardInput = standardInput }
        try process.run()
        if let standardInput, let input {
            standardInput.fileHandleForWriting.write(Data(input.utf8))
            try standardInput.fileHandleForWriting.close()
        }
        // Read both pipes to the end before waiting, so a chatty process never blocks on a full pipe.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
            errors: String(decoding: errorData, as: UTF8.self))
    }
}

extension DulyProcess {
    /// A failed setup step, with what `duly` said.
    struct SetupFailed: Error, CustomStringConvertible {
        let description: String
    }

    /// A fresh organisation, Studio (EUR, NL, Europe/Amsterdam, mail from ar@studio.example), with these customers
    /// and invoices: rows of Duly's CSV files, without their headers.
    static func studio(customers: [String], invoices: [String]) throws -> DulyProcess {
        let duly = try DulyProcess()
        let customersFile = try duly.write(
            "c.csv",
            (["customer_id,name,email,phone,country,language,timezone,contact_name,escalation_email"] + customers)
                .joined(separator: "\n") + "\n")
        let invoicesFile = try duly.write(
            "i.csv",
            (["invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number"] + invoices)
                .joined(separator: "\n") + "\n")
        for step in [
            [
                "init", "--name", "Studio", "--currency", "EUR", "--country", "NL", "--timezone", "Europe/Amsterdam",
                "--from-address", "ar@studio.example",
            ],
            ["import", "customers", customersFile], ["import", "invoices", invoicesFile],
        ] {
            let outcome = try duly.run(step)
            guard outcome.status == 0 else { throw SetupFailed(description: "\(step[0]): \(outcome.errors)") }
        }
        return duly
    }
}
