package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The server's local users: the rules for names, passwords and memberships, over a {@link UserRepository} that keeps
 * them ({@code DATA/server/users.json} by default, or PostgreSQL in a scale-out deployment).
 *
 * <p>Passwords are stored as Argon2id hashes ({@link PasswordHash}). A password is 12 to 256 characters and not the
 * user name. A password set by someone else than the user (the first-run owner's, one an owner sets with
 * {@code vigil users add|passwd}) is a one-time password: it must be changed at the first login, and the session it
 * opens may do nothing else.
 */
public final class Users {
    /** The owner the first {@code vigil serve} creates when no user exists. */
    public static final String FIRST_OWNER = "admin";
    static final int MIN_PASSWORD = 12;
    static final int MAX_PASSWORD = 256;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._@+-]{0,99}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final UserRepository repository;

    private Users(UserRepository repository) {
        this.repository = requireNonNull(repository, "repository is null");
    }

    /** The users of the data directory (kept in {@code DATA/server}). */
    public static Users in(Path dataDirectory) {
        return new Users(UserRepository.inDataDirectory(requireNonNull(dataDirectory, "dataDirectory is null")));
    }

    /** The users the repository keeps. */
    public static Users on(UserRepository repository) {
        return new Users(repository);
    }

    /** Every user, in the order they were added. */
    public List<User> list() {
        return repository.list();
    }

    /** The user of this name (any case), if any. */
    public Optional<User> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return repository.find(name.strip().toLowerCase(Locale.ROOT));
    }

    /** The user, or {@code USER_NOT_FOUND}. */
    public User get(String name) {
        return find(name).orElseThrow(() -> notFound(name));
    }

    /**
     * Adds a user.
     *
     * @param password the password, or null for a user who signs in only through OIDC
     * @param oneTime whether the password must be changed at the first login (true when someone else chose it)
     */
    public User add(String name, char[] password, boolean oneTime, Map<TenantId, Role> tenants, Instant now) {
        String key = checkName(name);
        String hash = password == null ? null : PasswordHash.hash(checkPassword(key, password));
        Map<String, Role> roles = new LinkedHashMap<>();
        tenants.forEach((tenant, role) -> roles.put(tenant.value(), role));
        User user = new User(key, hash, password != null && oneTime, roles, null, now, password == null ? null : now);
        repository.insert(user);
        return user;
    }

    /** Removes the user; the user's sessions end at their next request and the user's tokens stop working. */
    public User remove(String name) {
        User user = get(name);
        change(user.name(), u -> null);
        return user;
    }

    /** Sets a password; {@code oneTime} when someone else than the user chose it. */
    public User setPassword(String name, char[] password, boolean oneTime, Instant now) {
        String key = get(name).name();
        String hash = PasswordHash.hash(checkPassword(key, password));
        return change(key, u -> u.withPassword(hash, oneTime, now));
    }

    /** Gives the user the role in the tenant (replacing the role it had there). */
    public User grant(String name, TenantId tenant, Role role) {
        requireNonNull(tenant, "tenant is null");
        requireNonNull(role, "role is null");
        return change(get(name).name(), u -> {
            Map<String, Role> next = new LinkedHashMap<>(u.tenants());
            next.put(tenant.value(), role);
            return u.withTenants(next);
        });
    }

    /** Takes the user out of the tenant. */
    public User revoke(String name, TenantId tenant) {
        User user = get(name);
        if (!user.tenants().containsKey(tenant.value())) {
            throw new VigilException(ErrorCode.USAGE, "user '" + user.name() + "' is not a member of tenant '"
                    + tenant + "'", "Run `vigil users list` to see each user's tenants.", null);
        }
        return change(user.name(), u -> {
            Map<String, Role> next = new LinkedHashMap<>(u.tenants());
            next.remove(tenant.value());
            return u.withTenants(next);
        });
    }

    /** Binds the user to an identity provider's subject at its first OIDC login. */
    User bindOidcSubject(String name, String subject) {
        return change(get(name).name(), u -> u.withOidcSubject(subject));
    }

    /**
     * The user whose password this is, or empty. Takes as long for an unknown name as for a wrong password, so the
     * answer does not tell which names exist.
     */
    public Optional<User> authenticate(String name, char[] password) {
        Optional<User> user = find(name);
        if (user.isEmpty() || user.get().passwordHash() == null) {
            PasswordHash.verifyNobody(password);
            return Optional.empty();
        }
        return PasswordHash.verify(user.get().passwordHash(), password) ? user : Optional.empty();
    }

    /**
     * On the first run (no user exists): creates {@link #FIRST_OWNER}, owner of the tenants given, with a random
     * one-time password, and returns that password, to be shown once. Empty when users exist.
     */
    public Optional<String> createFirstOwner(Collection<TenantId> tenants, Instant now) {
        if (!list().isEmpty()) {
            return Optional.empty();
        }
        byte[] secret = new byte[18];
        RANDOM.nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Map<TenantId, Role> roles = new LinkedHashMap<>();
        tenants.forEach(t -> roles.put(t, Role.OWNER));
        add(FIRST_OWNER, password.toCharArray(), true, roles, now);
        return Optional.of(password);
    }

    /**
     * Whether a token that belongs to a user still works: the user exists and holds, in the token's tenant, a role
     * that includes the token's.
     */
    boolean allows(ApiToken token) {
        if (token.user() == null) {
            return true;
        }
        return find(token.user()).flatMap(u -> u.roleIn(TenantId.of(token.tenant())))
                .map(role -> role.includes(token.role())).orElse(false);
    }

    private User change(String key, java.util.function.UnaryOperator<User> change) {
        return repository.change(key, change).orElse(null);
    }

    private static String checkName(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (!NAME.matcher(key).matches()) {
            throw new VigilException(ErrorCode.USAGE, "'" + name + "' is not a user name",
                    "Use 1 to 100 characters: letters, digits and . _ @ + -, starting with a letter or digit (an"
                            + " e-mail address works)", null);
        }
        return key;
    }

    static char[] checkPassword(String name, char[] password) {
        if (password == null || password.length < MIN_PASSWORD || password.length > MAX_PASSWORD) {
            throw new VigilException(ErrorCode.PASSWORD_WEAK, "the password must have " + MIN_PASSWORD + " to "
                    + MAX_PASSWORD + " characters");
        }
        if (new String(password).strip().equalsIgnoreCase(name)) {
            throw new VigilException(ErrorCode.PASSWORD_WEAK, "the password must not be the user name");
        }
        return password;
    }

    private static VigilException notFound(String name) {
        return UserRepository.notFound(name);
    }
}
