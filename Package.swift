// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Duly",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "duly", targets: ["duly"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // FullFoundation alone: with the default traits SwiftPM rebuilds the whole hummingbird package at random (it
        // writes the trait flags in a varying order) and builds swift-configuration, which Duly does not use.
        .package(
            url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // The pure domain: money, terms, ledger, playbook, planner, timeline hashing. No I/O, no clock.
        .target(
            name: "DulyCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // The storage interface: protocols and the types they carry.
        .target(name: "DulyStore", dependencies: ["DulyCore"]),
        // The contract every backend must pass, as named cases; only test targets depend on it, so `duly` ships
        // without it.
        .target(name: "DulyStoreTesting", dependencies: ["DulyCore", "DulyStore"]),
        .target(
            name: "DulyStoreSQLite",
            dependencies: ["DulyStore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The PostgreSQL backend (docs/POSTGRES.md): its schema and migrations, and the store protocols written on
        // PostgresNIO's connection pool.
        .target(
            name: "DulyStorePostgres",
            dependencies: [
                "DulyStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        // Reaching the client: templates, tone guard, MIME, SMTP, letters, delivery.
        .target(
            name: "DulyChannels",
            dependencies: [
                "DulyCore", "DulyStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            // The built-in templates, one .mustache file per language, template and part (README, "Templates for
            // translators"), read at run time from the package's resources.
            resources: [.copy("Templates/BuiltIn")]
        ),
        // Reading what people hand us: Duly's CSV format, playbook YAML.
        .target(name: "DulyImport", dependencies: ["DulyCore", "DulyStore", "Yams"]),
        // The evidence pack: an account's records, communications and verified timeline as one zip file.
        .target(
            name: "DulyEvidence",
            dependencies: [
                "DulyCore", "DulyStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // The HTTP API of `duly serve` (README, "Serving the API"): routes written by hand and proved against the
        // checked-in OpenAPI document, which is served as a resource.
        .target(
            name: "DulyServer",
            dependencies: [
                "DulyCore", "DulyStore", "DulyImport", "DulyEvidence",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("openapi.json")]
        ),
        // The collector's web screens (README, "Web app"): Mustache templates and a stylesheet read as resources, no
        // script and no build step.
        .target(
            name: "DulyWeb",
            dependencies: [
                "DulyCore", "DulyStore", "DulyServer", "DulyChannels", "DulyImport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [.copy("Templates"), .copy("Static")]
        ),
        .executableTarget(
            name: "duly",
            dependencies: [
                "DulyCore", "DulyStore", "DulyStoreSQLite", "DulyStorePostgres", "DulyImport", "DulyChannels",
                "DulyEvidence", "DulyServer", "DulyWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "DulyCoreTests", dependencies: ["DulyCore", .product(name: "Crypto", package: "swift-crypto")]),
        // BadInput holds hand-made broken files the tests read at run time.
        .testTarget(name: "DulyImportTests", dependencies: ["DulyImport"], exclude: ["BadInput"]),
        // Golden renderings and the Python test servers are read at run time, not compiled.
        .testTarget(
            name: "DulyChannelsTests", dependencies: ["DulyChannels", "DulyStoreSQLite"], exclude: ["Golden", "Support"]),
        .testTarget(name: "DulyStoreSQLiteTests", dependencies: ["DulyStoreSQLite", "DulyStoreTesting"]),
        // The PostgreSQL backend against a real server on loopback, when DULY_TEST_POSTGRES_URL names one (.ci/run
        // starts one); beside SQLite's schema to keep the two in step, and its answers (the run's actions as the
        // server's JSON) beside SQLite's.
        .testTarget(
            name: "DulyStorePostgresTests",
            dependencies: [
                "DulyStorePostgres", "DulyStoreSQLite", "DulyStoreTesting", "DulyServer",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(name: "DulyEvidenceTests", dependencies: ["DulyEvidence"]),
        // The API in process against real SQLite files, and the document's operations walked route by route.
        .testTarget(
            name: "DulyServerTests",
            dependencies: [
                "DulyServer", "DulyStoreSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        // The web screens in process against real SQLite files.
        .testTarget(
            name: "DulyWebTests",
            dependencies: [
                "DulyWeb", "DulyServer", "DulyStoreSQLite",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        // Runs the built `duly` executable end to end against real SQLite files.
        .testTarget(name: "DulyCLITests", dependencies: ["duly"], exclude: ["Support"]),
    ],
    swiftLanguageModes: [.v6]
)
