import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SencoStore
import SencoTestSupport
import Testing

@testable import SencoWeb

/// Sign-in throttling per account name and per client: past an allowance each attempt waits a
/// doubling delay (capped), an attempt inside it gets 429 at once, and a correct password after
/// it signs in. The clock is the fixture's, moved by hand.
@Suite struct SignInThrottleTests {
    /// The fixture's app, trusting `X-Real-IP` as a proxy's header so tests can be several clients.
    static func app(_ fixture: WebFixture) throws -> some ApplicationProtocol {
        var setup = fixture.setup
        setup.configuration.clientAddressHeader = HTTPField.Name("X-Real-IP")!
        return try buildApplication(setup)
    }

    @Test func theDelayGrowsWithEachFailureAndACorrectPasswordAfterItSignsIn() async throws {
        let fixture = try WebFixture()
        try await Self.app(fixture).test(.router) { client in
            var browser = Browser(clientAddress: "192.0.2.10")
            try await browser.get(client, "/login")
            func attempt(_ password: String) async throws -> TestResponse {
                try await browser.post(client, "/login", [("username", "tutor"), ("password", password)])
            }
            for n in 1...5 {
                #expect(
                    try await attempt("wrong password!").status == .unauthorized, "failure \(n) is within the allowance"
                )
            }
            let first = try await attempt(WebFixture.password)
            #expect(first.status == .tooManyRequests, "inside the 1 s delay, even the right password waits")
            #expect(first.headers[.retryAfter] == "1")
            #expect(String(buffer: first.body).contains("Wait 1 second and try again"))

            fixture.clock.advance(1)
            #expect(try await attempt("wrong again").status == .unauthorized, "after the delay, a password is checked")
            let second = try await attempt(WebFixture.password)
            #expect(second.status == .tooManyRequests)
            #expect(second.headers[.retryAfter] == "2", "the delay doubled")

            fixture.clock.advance(2)
            #expect(try await attempt("and again").status == .unauthorized)
            fixture.clock.advance(3)
            let third = try await attempt(WebFixture.password)
            #expect(third.status == .tooManyRequests)
            #expect(third.headers[.retryAfter] == "1", "4 s after the failure, 1 s is left")

            fixture.clock.advance(1)
            let signedIn = try await attempt(WebFixture.password)
            #expect(signedIn.status == .seeOther, "a correct password after the delay signs in")
            #expect(signedIn.headers[.location] == "/tutor")
        }
    }

    @Test func theDelayIsCappedSoTheRealUserGetsInAfterAtMostFifteenMinutes() async throws {
        let fixture = try WebFixture()
        try await Self.app(fixture).test(.router) { client in
            // A stranger, from changing addresses, keeps failing for the tutor's name.
            for n in 0..<16 {
                var stranger = Browser(clientAddress: "198.51.100.\(n)")
                try await stranger.get(client, "/login")
                let response = try await stranger.post(
                    client, "/login", [("username", "tutor"), ("password", "guess \(n)")])
                #expect(response.status == .unauthorized, "guess \(n)")
                fixture.clock.advance(15 * 60)
            }
            fixture.clock.advance(-15 * 60)
            var user = Browser(clientAddress: "192.0.2.20")
            try await user.get(client, "/login")
            let waiting = try await user.post(
                client, "/login", [("username", "tutor"), ("password", WebFixture.password)])
            #expect(waiting.status == .tooManyRequests)
            #expect(waiting.headers[.retryAfter] == "900", "never more than 15 minutes")
            #expect(String(buffer: waiting.body).contains("Wait 15 minutes"))
            fixture.clock.advance(15 * 60)
            let signedIn = try await user.post(
                client, "/login", [("username", "tutor"), ("password", WebFixture.password)])
            #expect(signedIn.status == .seeOther)
        }
    }

    @Test func oneClientTryingManyNamesIsSlowedWithoutHoldingUpOthers() async throws {
        let fixture = try WebFixture()
        try await Self.app(fixture).test(.router) { client in
            var sprayer = Browser(clientAddress: "203.0.113.5")
            try await sprayer.get(client, "/login")
            // 20 failures over seven names: no name reaches its own allowance of 5.
            let names = ["participant", "participant-2", "tutor", "tutor-2", "moderator", "moderator-2", "provider"]
            for n in 0..<20 {
                let response = try await sprayer.post(
                    client, "/login", [("username", names[n % names.count]), ("password", "guess")])
                #expect(response.status == .unauthorized, "failure \(n + 1) from this client is within its allowance")
            }
            let refused = try await sprayer.post(
                client, "/login", [("username", "tutor"), ("password", WebFixture.password)])
            #expect(refused.status == .tooManyRequests, "the client waits, whatever name it tries")
            #expect(refused.headers[.retryAfter] == "1")

            // Another client signs in to an account at once: the limits are independent.
            let other = try await Browser.signIn(client, as: "tutor", from: "192.0.2.30")
            #expect(other.cookie != nil)

            fixture.clock.advance(1)
            let later = try await sprayer.post(
                client, "/login", [("username", "participant"), ("password", WebFixture.password)])
            #expect(later.status == .seeOther, "after its delay the client can sign in")
        }
    }

    @Test func aClientThatMustWaitIsRefusedBeforeItsFormIsRead() async throws {
        let fixture = try WebFixture()
        var setup = fixture.setup
        setup.configuration.clientAddressHeader = HTTPField.Name("X-Real-IP")!
        setup.configuration.maxFailedSignInsPerClient = 3
        let direct = try DirectRouter(setup)
        try await direct.application.test(.router) { client in
            var sprayer = Browser(clientAddress: "203.0.113.9")
            try await sprayer.get(client, "/login")
            for name in ["participant", "tutor", "provider"] {
                let response = try await sprayer.post(client, "/login", [("username", name), ("password", "guess")])
                #expect(response.status == .unauthorized)
            }
            let body = WatchedBody.form(megabytes: 4)
            let refused = try await direct.post("/login", headers: sprayer.headers, body: body)
            #expect(refused.status == .tooManyRequests)
            #expect(body.reads.count == 0, "the client's delay is checked before its form is read")
        }
    }

    @Test func theDelayDoublesFromOneSecondUpToTheCap() {
        let policy = SignInThrottlePolicy(allowance: 5, maxDelay: 15 * 60, forgetAfter: 24 * 60 * 60)
        #expect((0...4).map { policy.delay(afterFailures: $0) } == [0, 0, 0, 0, 0])
        #expect((5...10).map { policy.delay(afterFailures: $0) } == [1, 2, 4, 8, 16, 32])
        #expect(policy.delay(afterFailures: 14) == 512)
        #expect(policy.delay(afterFailures: 15) == 900)
        #expect(policy.delay(afterFailures: 1_000) == 900)
    }

    @Test func aSuccessClearsTheAccountsCountButNotTheClientsAndFailuresAreForgotten() async {
        let clock = TestClock()
        let throttle = MemorySignInThrottle(
            accounts: .init(allowance: 2, maxDelay: 60, forgetAfter: 3_600),
            clients: .init(allowance: 3, maxDelay: 60, forgetAfter: 3_600), now: { clock.now })
        let key = SignInThrottleKey(account: "Tutor", client: "a")
        await throttle.recordFailure(key)
        await throttle.recordFailure(SignInThrottleKey(account: "tutor", client: "a"))
        #expect(
            await throttle.notBefore(SignInThrottleKey(account: "TUTOR", client: "b")) == clock.now + 1,
            "names are counted without case")
        clock.advance(1)
        await throttle.recordSuccess(key)
        #expect(await throttle.notBefore(SignInThrottleKey(account: "tutor", client: "b")) == nil)
        await throttle.recordFailure(SignInThrottleKey(account: "someone", client: "a"))
        #expect(
            await throttle.notBefore(SignInThrottleKey(account: nil, client: "a")) == clock.now + 1,
            "the client's three failures still count")
        clock.advance(3_601)
        #expect(
            await throttle.notBefore(SignInThrottleKey(account: nil, client: "a")) == nil,
            "forgotten an hour after the last")
    }
}
