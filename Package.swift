// swift-tools-version: 6.1
import PackageDescription

let strictSwift: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "senco",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "senco", targets: ["senco"]),
        .executable(name: "senco-bench", targets: ["senco-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Benchmark peer only: what a Codable-minded developer would use for XML.
        .package(url: "https://github.com/CoreOffice/XMLCoder", from: "0.18.2"),
    ],
    targets: [
        // The only C in the project: libxml2 through a system module and a shim header.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // Safe XML reading, writing and XSD validation; nothing of libxml2 leaks out of it.
        .target(name: "SencoXML", dependencies: ["CLibXML2"], swiftSettings: strictSwift),
        // The model and every rule, as values and pure functions. Foundation only.
        .target(name: "SencoCore", swiftSettings: strictSwift),
        // The project's XML documents (frameworks, crosswalk) to and from the model.
        .target(name: "SencoData", dependencies: ["SencoCore", "SencoXML"], swiftSettings: strictSwift),
        // Portfolios on disk: crash-safe writes, one writer at a time, stale revisions refused.
        .target(
            name: "SencoStore",
            dependencies: [
                "SencoCore", "SencoData", "SencoXML", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        // The PostgreSQL store (postgres-nio): the same contract as the directory store, plus what
        // servers sharing it must share (sessions, sign-in throttles, one-time links).
        .target(
            name: "SencoPostgres",
            dependencies: [
                "SencoCore", "SencoData", "SencoStore", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        // Renderings for people and programs: HTML (Mustache templates, escaped by default), XML, CSV, JSON.
        .target(
            name: "SencoExport",
            dependencies: [
                "SencoCore", "SencoData", "SencoXML", .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Templates")],
            swiftSettings: strictSwift
        ),
        // The web application: Hummingbird routes and controllers over the same store and rules,
        // and the DfE link's pages through SencoDfE (which never depends on the web app).
        .target(
            name: "SencoWeb",
            dependencies: [
                "SencoCore", "SencoData", "SencoStore", "SencoExport", "SencoDfE",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Templates"), .copy("Public")],
            swiftSettings: strictSwift
        ),
        // The DfE link: the NPQ lead-provider API (v3) over async-http-client, and the mapping from
        // portfolio state to the declarations that API accepts.
        .target(
            name: "SencoDfE",
            dependencies: [
                "SencoCore", "SencoData", "SencoStore", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "SencoCommands",
            dependencies: [
                "SencoCore", "SencoXML", "SencoData", "SencoStore", "SencoPostgres", "SencoExport", "SencoWeb", "SencoDfE",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .executableTarget(name: "senco", dependencies: ["SencoCommands"], swiftSettings: strictSwift),

        // The benchmark (make bench). SencoBenchRaw is the raw-libxml2 peer: the only code besides
        // SencoXML that touches libxml2, and no product links it.
        .target(name: "SencoBenchRaw", dependencies: ["CLibXML2", "SencoCore"], swiftSettings: strictSwift),
        .executableTarget(
            name: "senco-bench",
            dependencies: [
                "SencoBenchRaw", "SencoCore", "SencoData", "SencoXML", "SencoStore", "SencoExport", "SencoDfE",
                .product(name: "XMLCoder", package: "XMLCoder"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSwift
        ),

        // The fuzz target (make fuzz): libFuzzer drives the reader and the portfolio decoder.
        // Only `make fuzz`'s flags make it a fuzzer; otherwise it says so and exits.
        .executableTarget(
            name: "senco-fuzz", dependencies: ["SencoXML", "SencoData"], swiftSettings: strictSwift
        ),

        .target(
            name: "SencoTestSupport",
            dependencies: ["SencoCore", "SencoData"],
            path: "Tests/SencoTestSupport",
            swiftSettings: strictSwift
        ),
        .testTarget(name: "SencoXMLTests", dependencies: ["SencoXML"], swiftSettings: strictSwift),
        .testTarget(name: "SencoCoreTests", dependencies: ["SencoCore"], swiftSettings: strictSwift),
        .testTarget(
            name: "SencoDataTests",
            dependencies: ["SencoData", "SencoCore", "SencoXML", "SencoTestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "SencoExportTests",
            dependencies: ["SencoExport", "SencoData", "SencoCore", "SencoXML", "SencoTestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "SencoStoreTests",
            dependencies: ["SencoStore", "SencoData", "SencoCore", "SencoTestSupport"],
            swiftSettings: strictSwift
        ),
        // One contract, two backends: every test runs against the directory store and PostgreSQL
        // (a throwaway cluster from scripts/with-postgres, or $SENCO_TEST_POSTGRES_URL).
        .testTarget(
            name: "SencoStoreContractTests",
            dependencies: ["SencoStore", "SencoPostgres", "SencoData", "SencoCore", "SencoTestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "SencoWebTests",
            dependencies: [
                "SencoWeb", "SencoStore", "SencoData", "SencoCore", "SencoExport", "SencoTestSupport", "SencoDfE",
                "SencoDfEFake", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        // A loopback fake of the DfE's lead-provider API, written from its published OpenAPI
        // document, for the DfE client's tests and the command line's.
        .target(
            name: "SencoDfEFake",
            dependencies: [
                "SencoCore", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/SencoDfEFake",
            swiftSettings: strictSwift
        ),
        // The fake as a process on a given loopback port, for the browser journeys (.ci/web-tests).
        .executableTarget(
            name: "senco-dfe-fake", dependencies: ["SencoDfEFake"], path: "Tests/SencoDfEFakeServer",
            swiftSettings: strictSwift
        ),
        // The DfE client against the fake; nothing here touches the network.
        .testTarget(
            name: "SencoDfETests",
            dependencies: ["SencoDfE", "SencoDfEFake", "SencoCore", "SencoData", "SencoStore", "SencoTestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "SencoCommandsTests",
            dependencies: ["SencoCommands", "SencoData", "SencoCore", "SencoStore", "SencoTestSupport", "SencoDfEFake"],
            swiftSettings: strictSwift
        ),
    ],
    swiftLanguageModes: [.v6]
)
