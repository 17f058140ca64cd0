import Foundation
import Hummingbird
import SencoCore
import SencoStore

/// The provider's accounts pages: the list, a new account, one account with its actions.
///
/// No password is ever chosen, seen or sent by the provider: a new account has none, and the
/// provider is shown, once, a one-time link (`OneTimeLink`) with which its holder sets one
/// (`PasswordController`). A forgotten password gets a new link the same way; the previous one
/// stops working. Every route checks the role before it reads anything, and every form its CSRF
/// token (`WebServices.form`).
struct AccountsController {
    let services: WebServices

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("/provider/users", use: list)
        group.get("/provider/users/new", use: newForm)
        group.post("/provider/users", use: create)
        group.get("/provider/users/:user", use: show)
        group.post("/provider/users/:user/link", use: newLink)
        group.post("/provider/users/:user/disable", use: disable)
        group.post("/provider/users/:user/enable", use: enable)
    }

    /// The account named in the path: 404 for an id that is not valid or not there.
    private func account(_ context: WebContext) async throws -> UserAccount {
        let id = try context.parameters.require("user")
        guard Identifier.isValid(id), let account = try await services.users.user(id) else { throw WebError.notFound }
        return account
    }

    // MARK: List

    /// Every account, or those matching a search on user name and name, a role and a state; a
    /// page at a time.
    func list(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        let query = request.uri.queryParameters
        // A form sent by GET encodes a space as "+", which the query parser leaves as it is.
        let search = String(query["q"] ?? "").replacingOccurrences(of: "+", with: " ").trimmingCharacters(
            in: .whitespaces)
        let role = query["role"].flatMap { Role(rawValue: String($0)) }.flatMap {
            UserAccount.signInRoles.contains($0) ? $0 : nil
        }
        let state = query["state"].map(String.init).flatMap { key in Self.states.first { $0.key == key }?.label }
        let tutors = try await tutorNames()
        let all = try await services.users.users().sorted { $0.id < $1.id }
        let matching = all.filter { account in
            if let role, account.role != role { return false }
            if let state, Self.state(account) != state { return false }
            if search.isEmpty { return true }
            return account.id.localizedCaseInsensitiveContains(search)
                || account.name.localizedCaseInsensitiveContains(search)
                || (account.participant ?? "").localizedCaseInsensitiveContains(search)
        }
        let paging = Paging(total: matching.count, requested: query["page"].map(String.init))
        let rows = matching[paging.range].map { summary($0, tutors: tutors) }
        let shown =
            paging.pages == 1
            ? "\(matching.count) account\(matching.count == 1 ? "" : "s")."
            : "Showing \(paging.range.lowerBound + 1) to \(paging.range.upperBound) of \(matching.count) accounts."
        let stateKey = Self.states.first { $0.label == state }?.key ?? ""
        let filters: [(String, String)] = [("q", search), ("role", role?.rawValue ?? ""), ("state", stateKey)]
        return services.views.page(
            UsersPage(
                none: all.isEmpty, search: search,
                roles: UserAccount.signInRoles.map {
                    SelectOption(value: $0.rawValue, label: $0.rawValue, selected: $0 == role)
                },
                states: Self.states.map { SelectOption(value: $0.key, label: $0.label, selected: $0.label == state) },
                filtered: !search.isEmpty || role != nil || state != nil, shown: shown,
                noMatch: !all.isEmpty && matching.isEmpty, users: rows,
                paging: paging.navigation(path: "/provider/users", query: filters, label: "Pages of accounts")),
            title: "Accounts" + (paging.pages > 1 ? " (page \(paging.page) of \(paging.pages))" : ""),
            chrome: await services.chrome(context, current: "/provider/users"))
    }

    /// The states `state(_:)` names (as `label`), in the order the filter offers them.
    static let states: [(key: String, label: String)] = [
        ("active", "active"), ("waiting", "waiting for a password"), ("disabled", "disabled"),
    ]

    private func summary(_ account: UserAccount, tutors: [String: String]) -> AccountSummary {
        AccountSummary(
            id: account.id, name: account.name, role: account.role.rawValue, state: Self.state(account),
            lastSignIn: account.lastSignIn.map(Present.dateTime) ?? "never", created: Present.dateTime(account.created),
            disabled: account.disabled, participant: account.participant.flatMap { $0.isEmpty ? nil : $0 },
            tutor: account.tutor.flatMap { $0.isEmpty ? nil : $0 },
            tutorName: account.tutor.flatMap { tutors[$0] }.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// One name for the account's state on every page.
    static func state(_ account: UserAccount) -> String {
        if account.disabled { return "disabled" }
        if account.passwordHash == nil { return "waiting for a password" }
        return "active"
    }

    /// Every tutor of every cohort, by id (the first name given wins).
    private func tutorNames() async throws -> [String: String] {
        var names: [String: String] = [:]
        for cohort in try await services.store.scanCohorts().values {
            for tutor in cohort.tutors where names[tutor.id] == nil { names[tutor.id] = tutor.name }
        }
        return names
    }

    // MARK: New account

    struct Draft {
        var id = ""
        var name = ""
        var role = ""
        var participant = ""
        var tutor = ""
    }

    typealias Errors = [(field: String, message: String)]

    func formPage(draft: Draft, errors: Errors, status: HTTPResponse.Status = .ok, context: WebContext) async throws
        -> Response
    {
        let tutors = try await tutorNames().sorted { $0.key < $1.key }
        let problems = FormErrors(errors)
        let view = NewAccountPage(
            csrf: context.session?.csrfToken, id: draft.id, name: draft.name,
            roles: UserAccount.signInRoles.map {
                RadioChoice(value: $0.rawValue, label: Self.roleLabel($0), checked: $0.rawValue == draft.role)
            },
            participant: draft.participant,
            tutors: tutors.map {
                SelectOption(value: $0.key, label: "\($0.value) (\($0.key))", selected: $0.key == draft.tutor)
            },
            hasErrors: !problems.isEmpty, errors: problems.items, idError: problems.message(for: "id"),
            nameError: problems.message(for: "name"),
            // The role's error is linked to its first radio button, shown above them all.
            roleError: problems.message(for: "role-participant"),
            participantError: problems.message(for: "participant"),
            tutorError: problems.message(for: "tutor"))
        return services.views.page(
            view, title: errors.isEmpty ? "Add an account" : "Error: Add an account", status: status,
            chrome: await services.chrome(context, current: "/provider/users"))
    }

    static func roleLabel(_ role: Role) -> String {
        switch role {
        case .participant: "Participant (a teacher on the course)"
        case .tutor: "Tutor (reviews and judges portfolios)"
        case .moderator: "Moderator (second-marks a sample)"
        default: "Provider (runs cohorts and accounts)"
        }
    }

    func newForm(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        return try await formPage(draft: Draft(), errors: [], context: context)
    }

    func create(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        let form = try await services.form(request, context: context)
        let draft = Draft(
            id: form["id"].trimmingCharacters(in: .whitespaces).lowercased(), name: form["name"], role: form["role"],
            participant: form["participant"].trimmingCharacters(in: .whitespaces), tutor: form["tutor"])
        var errors: Errors = []
        if draft.id.isEmpty {
            errors.append(("id", "Enter a user name."))
        } else if Identifier.problem(with: draft.id, what: "user") != nil {
            errors.append(
                ("id", "The user name can only have lowercase letters, digits and single hyphens, up to 64 characters.")
            )
        } else if try await services.users.user(draft.id) != nil {
            errors.append(("id", "The user name \(draft.id) is taken. Choose another."))
        }
        var name = ""
        do throws(RuleError) {
            name = try services.text(form, "name", label: "Name").trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            errors.append(("name", error.message))
        }
        let role = Role(rawValue: draft.role).flatMap { UserAccount.signInRoles.contains($0) ? $0 : nil }
        var participant: String?
        var tutor: String?
        switch role {
        case nil:
            errors.append(("role-participant", "Choose the account's role."))
        case .participant?:
            if draft.participant.isEmpty {
                errors.append(("participant", "Enter the participant id of the person's portfolio."))
            } else if Identifier.isValid(draft.participant),
                let portfolio = try? await services.store.portfolio(draft.participant)
            {
                participant = draft.participant
                if name.isEmpty { name = portfolio.participant.name }
            } else {
                errors.append(("participant", "There is no participant with the id \(draft.participant)."))
            }
        case .tutor?:
            if let tutorName = try await tutorNames()[draft.tutor] {
                tutor = draft.tutor
                if name.isEmpty { name = tutorName }
            } else {
                errors.append(("tutor", "Choose the tutor this account is for."))
            }
        case .moderator?, .provider?:
            if name.isEmpty && !errors.contains(where: { $0.field == "name" }) {
                errors.append(("name", "Enter the person's name."))
            }
        default:
            break
        }
        if let problem = TextLimits.problem(name, field: "The name", limit: TextLimits.name),
            !errors.contains(where: { $0.field == "name" })
        {
            errors.append(("name", problem + "."))
        }
        // In the order of the form.
        let order = ["id", "name", "role-participant", "participant", "tutor"]
        errors.sort { (order.firstIndex(of: $0.field) ?? 9) < (order.firstIndex(of: $1.field) ?? 9) }
        guard errors.isEmpty, let role else {
            return try await formPage(draft: draft, errors: errors, status: .unprocessableContent, context: context)
        }
        let account = UserAccount(
            id: draft.id, role: role, name: name, participant: participant, tutor: tutor, passwordHash: nil,
            created: services.now)
        do throws(StoreError) {
            try await services.users.add(account)
        } catch {
            // Taken between the check above and now.
            guard error.code == .alreadyExists else { throw error }
            return try await formPage(
                draft: draft, errors: [("id", "The user name \(draft.id) is taken. Choose another.")],
                status: .unprocessableContent,
                context: context)
        }
        context.logger.info("account created", metadata: ["user": "\(account.id)", "role": "\(role.rawValue)"])
        return try await linkPage(for: account, isNew: true, request: request, context: context)
    }

    // MARK: One account

    func show(_ request: Request, context: WebContext) async throws -> Response {
        let me = try services.requireProvider(context)
        let account = try await account(context)
        let view = AccountPage(
            account: summary(account, tutors: try await tutorNames()), isSelf: account.id == me.id,
            hasPassword: account.passwordHash != nil, csrf: context.session?.csrfToken)
        return services.views.page(
            view, title: "Account \(account.id)",
            chrome: await services.chrome(context, current: "/provider/users"))
    }

    /// A new link: the previous one stops working. The page shows the link once; it is not kept
    /// anywhere but as its hash.
    func newLink(_ request: Request, context: WebContext) async throws -> Response {
        _ = try services.requireProvider(context)
        let account = try await account(context)
        _ = try await services.form(request, context: context)
        return try await linkPage(for: account, isNew: false, request: request, context: context)
    }

    private func linkPage(for account: UserAccount, isNew: Bool, request: Request, context: WebContext) async throws
        -> Response
    {
        let (token, link) = OneTimeLink.make(for: account.id, purpose: .setPassword, now: services.now)
        try await services.links.issue(link)
        context.logger.info("set-password link issued", metadata: ["user": "\(account.id)"])
        let url = OneTimeLink.url(base: baseURL(request), token: token)
        return services.views.page(
            AccountLinkPage(
                id: account.id, name: account.name, isNew: isNew, url: url, expires: Present.dateTime(link.expires),
                disabled: account.disabled),
            title: isNew ? "Account \(account.id) added" : "New link for \(account.id)",
            chrome: await services.chrome(context, current: "/provider/users"))
    }

    /// The configured public address, else the one this request was made to.
    private func baseURL(_ request: Request) -> String {
        if let base = services.configuration.publicBaseURL { return base }
        let host = request.head.authority ?? "\(services.configuration.host):\(services.configuration.port)"
        return "\(services.configuration.secureCookies ? "https" : "http")://\(host)"
    }

    func disable(_ request: Request, context: WebContext) async throws -> Response {
        try await setDisabled(true, request: request, context: context)
    }

    func enable(_ request: Request, context: WebContext) async throws -> Response {
        try await setDisabled(false, request: request, context: context)
    }

    /// Disabling ends the account's sessions at once; a provider cannot lock themself out.
    private func setDisabled(_ disabled: Bool, request: Request, context: WebContext) async throws -> Response {
        let me = try services.requireProvider(context)
        let account = try await account(context)
        _ = try await services.form(request, context: context)
        let page = "/provider/users/\(account.id)"
        if disabled && account.id == me.id {
            return await services.redirect(page, flash: "You cannot disable your own account.", context: context)
        }
        try await services.users.update(account.id) { $0.disabled = disabled }
        if disabled { try await services.sessions.removeAll(forUser: account.id) }
        context.logger.info(disabled ? "account disabled" : "account enabled", metadata: ["user": "\(account.id)"])
        return await services.redirect(
            page,
            flash: disabled
                ? "Account \(account.id) is disabled: it cannot sign in." : "Account \(account.id) is enabled again.",
            context: context)
    }
}
