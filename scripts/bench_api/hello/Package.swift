// swift-tools-version: 6.1
// The baseline of scripts/bench_api.sh: Hummingbird's hello-world route, built in release beside duly, so the API's
// figures are read as a share of what the framework alone serves on the same machine at the same moment.
import PackageDescription

let package = Package(
    name: "Hello",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(
            url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"])
    ],
    targets: [
        .executableTarget(name: "Hello", dependencies: [.product(name: "Hummingbird", package: "hummingbird")])
    ]
)
