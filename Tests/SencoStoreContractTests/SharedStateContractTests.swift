import Foundation
import SencoCore
import SencoStore
import SencoTestSupport
import Testing

/// Accounts, sessions, the sign-in throttle and one-time links: what servers sharing a store must
/// share, against the embedded implementations and PostgreSQL alike.
@Suite struct SharedStateContractTests {
    static let hash = "$2b$12$" + String(repeating: "a", count: 53)

    func account(_ id: String, role: Role = .provider, participant: String? = nil) -> UserAccount {
        UserAccount(
            id: id, role: role, name: "Name of \(id) & <co>", participant: participant, passwordHash: Self.hash,
            created: Date(timeIntervalSince1970: 1_780_000_000))
    }

    @Test(arguments: Backend.allCases)
    func usersAreAddedInOrderAndAnIDIsUsedOnce(backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            try await f.users.add(account("u-provider"))
            try await f.users.add(account("a-participant", role: .participant, participant: "p-test-01"))
            #expect(try await f.users.users().map(\.id) == ["u-provider", "a-participant"])
            #expect(try await f.users.user("a-participant") == account("a-participant", role: .participant, participant: "p-test-01"))
            #expect(try await f.users.user("nobody") == nil)
            #expect(try await f.users.user("../x") == nil)
            let twice = await #expect(throws: StoreError.self) { try await f.users.add(account("u-provider")) }
            #expect(twice?.code == .alreadyExists)
            #expect(twice?.message == "user \"u-provider\" already exists")
            var bad = account("u-bad")
            bad.passwordHash = "plain text"
            let invalid = await #expect(throws: StoreError.self) { try await f.users.add(bad) }
            #expect(invalid?.code == .invalidInput)
            let orphan = await #expect(throws: StoreError.self) { try await f.users.add(account("u-orphan", role: .participant)) }
            #expect(orphan?.code == .invalidInput)
            #expect(try await f.users.users().count == 2)
        }
    }

    @Test(arguments: Backend.allCases)
    func anAccountIsChangedInPlaceCheckedAndNeverRenamed(backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            var waiting = account("u-new", role: .participant, participant: "p-test-01")
            waiting.passwordHash = nil
            try await f.users.add(waiting)
            try await f.users.add(account("u-other"))
            #expect(try await f.users.user("u-new")?.passwordHash == nil, "an account may wait for its password")
            #expect(try await f.users.user("u-new")?.canSignIn == false)

            let signedIn = f.clock.now.wholeSeconds
            let changed = try await f.users.update("u-new") {
                $0.passwordHash = Self.hash
                $0.disabled = true
                $0.lastSignIn = signedIn
            }
            #expect(changed.passwordHash == Self.hash && changed.disabled && changed.lastSignIn == signedIn)
            #expect(try await f.users.user("u-new") == changed, "kept as changed")
            #expect(try await f.users.users().map(\.id) == ["u-new", "u-other"], "in the same place")

            let before = try await f.users.users()
            let renamed = await #expect(throws: StoreError.self) { try await f.users.update("u-new") { $0.id = "u-renamed" } }
            #expect(renamed?.code == .invalidInput)
            let invalid = await #expect(throws: StoreError.self) { try await f.users.update("u-new") { $0.passwordHash = "plain text" } }
            #expect(invalid?.code == .invalidInput)
            let refused = await #expect(throws: StoreError.self) {
                try await f.users.update("u-new") { (_: inout UserAccount) throws(StoreError) in throw StoreError(.invalidInput, "no") }
            }
            #expect(refused?.code == .invalidInput)
            let missing = await #expect(throws: StoreError.self) { try await f.users.update("nobody") { $0.disabled = true } }
            #expect(missing?.code == .notFound)
            #expect(try await f.users.users() == before, "a refused change stores nothing")
        }
    }

    @Test(arguments: Backend.allCases)
    func aLinkCanBeLookedAtWithoutUsingIt(backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let now = f.clock.now.wholeSeconds
            let (token, link) = OneTimeLink.make(for: "u-provider", purpose: .setPassword, now: now, lifetime: 3600)
            try await f.links.issue(link)
            #expect(try await f.links.find(token: token, purpose: .setPassword, now: now) == link)
            #expect(try await f.links.find(token: token, purpose: .setPassword, now: now) == link, "looking does not use it")
            #expect(try await f.links.find(token: token, purpose: .setPassword, now: now.addingTimeInterval(3601)) == nil, "expired")
            #expect(try await f.links.find(token: "made-up", purpose: .setPassword, now: now) == nil)
            #expect(try await f.links.redeem(token: token, purpose: .setPassword, now: now) == link)
            #expect(try await f.links.find(token: token, purpose: .setPassword, now: now) == nil, "used")
        }
    }

    @Test(arguments: Backend.allCases)
    func sessionsLiveUntilIdleOrTooOldAndCarryAFlashOnce(backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let user = SignedInUser(account("u-provider"))
            let session = try await f.sessions.create(user: user)
            #expect(session.user == user)
            #expect(session.id != session.csrfToken)
            let found = try #require(try await f.sessions.session(session.id))
            #expect(found.user == user)
            #expect(found.csrfToken == session.csrfToken)
            #expect(found.created == session.created)
            #expect(try await f.sessions.session("not-a-session") == nil)

            try await f.sessions.setFlash("Evidence e3 saved", session: session.id)
            #expect(try await f.sessions.takeFlash(session: session.id) == "Evidence e3 saved")
            #expect(try await f.sessions.takeFlash(session: session.id) == nil, "a flash is shown once")

            // Idle: each use moves the idle limit on; a gap longer than it ends the session.
            f.clock.advance(StoreFixture.limits.idleTimeout - 1)
            #expect(try await f.sessions.session(session.id) != nil)
            f.clock.advance(StoreFixture.limits.idleTimeout - 1)
            #expect(try await f.sessions.session(session.id) != nil, "used within the idle limit")
            f.clock.advance(StoreFixture.limits.idleTimeout + 1)
            #expect(try await f.sessions.session(session.id) == nil, "idle too long")
            f.clock.advance(-StoreFixture.limits.idleTimeout - 1)
            #expect(try await f.sessions.session(session.id) == nil, "an ended session stays ended")

            // Uses closer together than a minute (the store may record them a minute at a time)
            // keep a session alive however long they go on.
            let steady = try await f.sessions.create(user: user)
            var steadyElapsed: TimeInterval = 0
            while steadyElapsed < 2 * StoreFixture.limits.idleTimeout {
                f.clock.advance(45)
                steadyElapsed += 45
                #expect(try await f.sessions.session(steady.id) != nil, "used every 45 s, at \(Int(steadyElapsed)) s")
            }
            f.clock.advance(StoreFixture.limits.idleTimeout - 61)
            #expect(try await f.sessions.session(steady.id) != nil, "within the idle limit of its last use, to the minute")
            try await f.sessions.remove(steady.id)

            // Absolute: however busy, a session ends after the absolute limit.
            let busy = try await f.sessions.create(user: user)
            var elapsed: TimeInterval = 0
            while elapsed + 600 <= StoreFixture.limits.absoluteTimeout {
                f.clock.advance(600)
                elapsed += 600
                #expect(try await f.sessions.session(busy.id) != nil)
            }
            f.clock.advance(StoreFixture.limits.absoluteTimeout - elapsed + 1)
            #expect(try await f.sessions.session(busy.id) == nil, "too old")
        }
    }

    @Test(arguments: Backend.allCases)
    func removingSessionsEndsThemForEveryone(backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let mine = SignedInUser(account("u-mine"))
            let first = try await f.sessions.create(user: mine)
            let second = try await f.sessions.create(user: mine)
            let other = try await f.sessions.create(user: SignedInUser(account("u-other")))
            let anonymous = try await f.sessions.create(user: nil)
            try await f.sessions.removeAll(forUser: "u-mine")
            #expect(try await f.sessions.session(first.id) == nil)
            #expect(try await f.sessions.session(second.id) == nil)
            #expect(try await f.sessions.session(other.id) != nil)
            #expect(try await f.sessions.session(anonymous.id)?.user == nil)
            try await f.sessions.remove(other.id)
            #expect(try await f.sessions.session(other.id) == nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func theThrottleDelaysPerAccountAndPerClientAndASuccessClearsOnlyTheAccount(backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let throttle = f.throttle
            let guess = SignInThrottleKey(account: "U-Provider", client: "203.0.113.9")
            // Within the account's allowance of 3: no delay.
            for _ in 0..<3 {
                #expect(try await throttle.notBefore(guess) == nil)
                try await throttle.recordFailure(guess)
            }
            // The 3rd failure reached the allowance: 1 s, then 2 s, then 4 s…
            #expect(try await throttle.notBefore(guess) == f.clock.now.addingTimeInterval(1))
            f.clock.advance(1)
            #expect(try await throttle.notBefore(guess) == nil)
            try await throttle.recordFailure(guess)
            #expect(try await throttle.notBefore(guess) == f.clock.now.addingTimeInterval(2))
            // The account is throttled from any client, by name in any case.
            let elsewhere = SignInThrottleKey(account: "u-provider", client: "198.51.100.1")
            #expect(try await throttle.notBefore(elsewhere) == f.clock.now.addingTimeInterval(2))
            // The client (4 failures, allowance 5) is not yet throttled for another account.
            let otherAccount = SignInThrottleKey(account: "u-other", client: "203.0.113.9")
            #expect(try await throttle.notBefore(otherAccount) == nil)
            f.clock.advance(2)
            try await throttle.recordFailure(otherAccount)
            #expect(try await throttle.notBefore(SignInThrottleKey(account: nil, client: "203.0.113.9")) == f.clock.now.addingTimeInterval(1))

            // A success clears the account, not the client.
            f.clock.advance(1)
            try await throttle.recordSuccess(guess)
            #expect(try await throttle.notBefore(elsewhere) == nil)
            try await throttle.recordFailure(SignInThrottleKey(account: "u-third", client: "203.0.113.9"))
            #expect(try await throttle.notBefore(SignInThrottleKey(account: nil, client: "203.0.113.9")) == f.clock.now.addingTimeInterval(2))

            // Forgotten after its policy's time without failures.
            f.clock.advance(StoreFixture.clients.forgetAfter + 1)
            #expect(try await throttle.notBefore(SignInThrottleKey(account: nil, client: "203.0.113.9")) == nil)
            try await throttle.recordFailure(SignInThrottleKey(account: nil, client: "203.0.113.9"))
            #expect(try await throttle.notBefore(SignInThrottleKey(account: nil, client: "203.0.113.9")) == nil, "counting starts again")
        }
    }

    @Test(arguments: Backend.allCases)
    func aOneTimeLinkWorksOnceBeforeItExpiresAndOnlyTheNewestWorks(backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let now = f.clock.now
            let (token, link) = OneTimeLink.make(for: "u-provider", purpose: .setPassword, now: now, lifetime: 3600)
            try await f.links.issue(link)
            #expect(try await f.links.redeem(token: "made-up", purpose: .setPassword, now: now) == nil)
            #expect(try await f.links.redeem(token: token, purpose: .setPassword, now: now) == link)
            #expect(try await f.links.redeem(token: token, purpose: .setPassword, now: now) == nil, "used once")

            let (expiring, expiringLink) = OneTimeLink.make(for: "u-expired", purpose: .setPassword, now: now, lifetime: 60)
            try await f.links.issue(expiringLink)
            #expect(try await f.links.redeem(token: expiring, purpose: .setPassword, now: now.addingTimeInterval(61)) == nil)
            #expect(try await f.links.redeem(token: expiring, purpose: .setPassword, now: now) == nil, "an expired link is used up")

            let (older, olderLink) = OneTimeLink.make(for: "u-again", purpose: .setPassword, now: now)
            try await f.links.issue(olderLink)
            let (newer, newerLink) = OneTimeLink.make(for: "u-again", purpose: .setPassword, now: now.addingTimeInterval(5))
            try await f.links.issue(newerLink)
            #expect(try await f.links.redeem(token: older, purpose: .setPassword, now: now.addingTimeInterval(10)) == nil, "replaced")
            #expect(try await f.links.redeem(token: newer, purpose: .setPassword, now: now.addingTimeInterval(10)) == newerLink)
        }
    }

    @Test(arguments: Backend.allCases)
    func ofConcurrentRedemptionsExactlyOneGetsTheLink(backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let (token, link) = OneTimeLink.make(for: "u-provider", purpose: .setPassword, now: f.clock.now)
            try await f.links.issue(link)
            let links = f.links
            let now = f.clock.now
            let redeemed = try await withThrowingTaskGroup(of: OneTimeLink?.self) { group in
                for _ in 0..<6 { group.addTask { try await links.redeem(token: token, purpose: .setPassword, now: now) } }
                return try await group.reduce(into: [OneTimeLink]()) { if let link = $1 { $0.append(link) } }
            }
            #expect(redeemed == [link])
        }
    }
}
