package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a tenant's owner manages from the web UI's settings: the tenant's members (users with their role there) and its
 * API tokens. An owner acts on its own tenant only: it adds users to it, changes or ends their membership there, and
 * creates and revokes the tenant's tokens; a user's memberships elsewhere are neither shown nor touched. The same as
 * {@code vigil users} and {@code vigil tokens} on the command line.
 */
final class TenantAdminApi {
    static final String MEMBERS = Api.TENANT + "/members";
    static final String TOKENS = Api.TENANT + "/tokens";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Gatekeeper gate;
    private final ApiTokens tokens;

    TenantAdminApi(Gatekeeper gate, ApiTokens tokens) {
        this.gate = requireNonNull(gate, "gate is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", MEMBERS, Role.OWNER, "The tenant's members: each user with its role here", null,
                        this::members),
                new Route("PUT", MEMBERS + "/{user}", Role.OWNER, "Give a user a role in this tenant; a user that"
                        + " does not exist yet is created, and its one-time password is in the answer, once",
                        Map.of("role", "analyst"), this::putMember),
                new Route("DELETE", MEMBERS + "/{user}", Role.OWNER, "End a user's membership of this tenant (the"
                        + " user and its other tenants stay)", null, this::removeMember),
                new Route("GET", TOKENS, Role.OWNER, "The tenant's API tokens (never the tokens themselves)", null,
                        this::listTokens),
                new Route("POST", TOKENS, Role.OWNER, "Create an API token for this tenant; the token is in the"
                        + " answer, once", Map.of("name", "fluent-bit", "role", "ingest", "expires_days", 90),
                        this::createToken),
                new Route("DELETE", TOKENS + "/{id}", Role.OWNER, "Revoke one of the tenant's API tokens", null,
                        this::revokeToken));
    }

    private Object members(Call call) {
        List<Map<String, Object>> members = new ArrayList<>();
        for (User user : gate.users().list()) {
            user.roleIn(call.tenant()).ifPresent(role -> members.add(member(user, role)));
        }
        return Map.of("tenant", call.tenant().value(), "members", members);
    }

    private Object putMember(Call call) {
        Map<String, Object> body = call.body(Set.of("role"));
        if (!(body.get("role") instanceof String name)) {
            throw new VigilException(ErrorCode.USAGE, "the request needs a 'role': reader, analyst, owner or ingest",
                    "Send {\"role\": \"analyst\"}", null);
        }
        Role role = Role.parse(name);
        String user = call.path("user");
        call.audit("user", user);
        call.audit("role", role.toString());
        Optional<User> existing = gate.users().find(user);
        Map<String, Object> json = new LinkedHashMap<>();
        if (existing.isPresent()) {
            if (role != Role.OWNER) {
                keepAnOwner(existing.get(), call.tenant());
            }
            json.putAll(member(gate.users().grant(user, call.tenant(), role), role));
            json.put("one_time_password", null);
        } else {
            byte[] secret = new byte[18];
            RANDOM.nextBytes(secret);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            User created = gate.users().add(user, password.toCharArray(), true, Map.of(call.tenant(), role),
                    gate.clock().instant());
            call.audit("created", "true");
            json.putAll(member(created, role));
            json.put("one_time_password", password);
        }
        return json;
    }

    private Object removeMember(Call call) {
        String user = call.path("user");
        call.audit("user", user);
        User found = gate.users().find(user).filter(u -> u.roleIn(call.tenant()).isPresent())
                .orElseThrow(() -> new VigilException(ErrorCode.USER_NOT_FOUND, "no member of tenant '"
                        + call.tenant() + "' is named '" + user + "'"));
        keepAnOwner(found, call.tenant());
        gate.users().revoke(found.name(), call.tenant());
        return Map.of("tenant", call.tenant().value(), "user", found.name(), "removed", true);
    }

    private Object listTokens(Call call) {
        var now = gate.clock().instant();
        List<Map<String, Object>> list = new ArrayList<>();
        for (ApiToken token : tokens.list()) {
            if (token.tenant().equals(call.tenant().value())) {
                list.add(token(token, now));
            }
        }
        return Map.of("tenant", call.tenant().value(), "tokens", list);
    }

    private Object createToken(Call call) {
        Map<String, Object> body = call.body(Set.of("name", "role", "expires_days"));
        if (!(body.get("name") instanceof String name) || !(body.get("role") instanceof String roleName)) {
            throw new VigilException(ErrorCode.USAGE, "a token needs a 'name' and a 'role'",
                    "Send {\"name\": \"fluent-bit\", \"role\": \"ingest\", \"expires_days\": 90}", null);
        }
        Duration lifetime = null;
        Object days = body.get("expires_days");
        if (days != null) {
            if (!(days instanceof Integer n) || n < 1 || n > 3650) {
                throw new VigilException(ErrorCode.USAGE, "'expires_days' must be a whole number from 1 to 3650, not "
                        + days);
            }
            lifetime = Duration.ofDays(n);
        }
        Role role = Role.parse(roleName);
        TenantId tenant = call.tenant();
        // a user's token may not do more than its user may; a token of its own is the tenant's
        String owner = call.credential() instanceof Credential.Session session ? session.user().name() : null;
        ApiTokens.Created created = tokens.create(tenant, role, name, owner, lifetime, gate.clock().instant());
        call.audit("token", created.record().id());
        call.audit("role", role.toString());
        Map<String, Object> json = token(created.record(), gate.clock().instant());
        json.put("token", created.token());
        return new Route.Reply(201, json);
    }

    private Object revokeToken(Call call) {
        String id = call.path("id");
        call.audit("token", id);
        boolean ours = tokens.list().stream().anyMatch(t -> t.id().equals(id)
                && t.tenant().equals(call.tenant().value()));
        if (!ours) {
            // the same answer whether the id belongs to another tenant or to none
            throw new VigilException(ErrorCode.USAGE, "tenant '" + call.tenant() + "' has no token with the id '"
                    + id + "'", "GET " + TOKENS.replace("{tenant}", call.tenant().value()) + " lists them", null);
        }
        return token(tokens.revoke(id, gate.clock().instant()), gate.clock().instant());
    }

    /** Refuses to take the tenant's last owner away: nobody could manage it over the API any more. */
    private void keepAnOwner(User user, TenantId tenant) {
        if (user.roleIn(tenant).orElse(null) != Role.OWNER) {
            return;
        }
        long owners = gate.users().list().stream().filter(u -> u.roleIn(tenant).orElse(null) == Role.OWNER).count();
        if (owners <= 1) {
            throw new VigilException(ErrorCode.PERMISSION_DENIED, "'" + user.name() + "' is the last owner of tenant '"
                    + tenant + "'", "Make another member owner first (PUT .../members/NAME {\"role\": \"owner\"})",
                    null);
        }
    }

    private static Map<String, Object> member(User user, Role role) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("user", user.name());
        json.put("role", role.toString());
        json.put("password", user.passwordHash() == null ? "none" : user.mustChangePassword() ? "one-time" : "set");
        json.put("oidc_bound", user.oidcSubject() != null);
        return json;
    }

    private static Map<String, Object> token(ApiToken token, java.time.Instant now) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", token.id());
        json.put("name", token.name());
        json.put("role", token.role().toString());
        json.put("user", token.user());
        json.put("state", token.state(now));
        json.put("created", token.created().toString());
        json.put("expires", token.expires() == null ? null : token.expires().toString());
        json.put("revoked", token.revoked() == null ? null : token.revoked().toString());
        return json;
    }
}
