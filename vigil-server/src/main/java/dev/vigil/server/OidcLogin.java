package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.vigil.config.ConfigKey;
import dev.vigil.config.VigilConfig;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Login through an OpenID Connect identity provider: the authorization code flow with PKCE (S256).
 *
 * <ol>
 *   <li>{@code GET /api/v1/oidc/login}: a fresh {@code state}, {@code nonce} and PKCE verifier are kept (10 minutes,
 *       used once); the state is also set in a short-lived cookie, so that only the browser that started the sign-in
 *       can finish it (no login CSRF); the browser goes to the provider's authorization endpoint with the S256
 *       challenge.</li>
 *   <li>{@code GET /api/v1/oidc/callback?code&state}: the state must be a pending one and match the cookie; the code
 *       is exchanged at the token endpoint with the verifier (and the client secret, when configured); the ID token's
 *       signature is checked against the provider's JWKS (RS256, ES256 and their relatives; never {@code none} or
 *       HMAC), and its {@code iss}, {@code aud}, {@code exp}, {@code iat} and {@code nonce}.</li>
 *   <li>The user named by the configured claim ({@code email} by default; a false {@code email_verified} is refused)
 *       must exist (added with {@code vigil users add}), or have an e-mail domain in
 *       {@code server.oidc.allowed-domains}, in which case it is created with the default role in the default
 *       tenant. Its first OIDC login binds it to the provider's {@code iss} and {@code sub}; another subject claiming
 *       the same name later is refused. A session opens as with a password, and the browser goes back to where it
 *       started.</li>
 * </ol>
 * The provider's discovery document is read at the first sign-in and kept; its issuer must be the configured one.
 */
final class OidcLogin {
    static final String START = Api.BASE + "/oidc/login";
    static final String CALLBACK = Api.BASE + "/oidc/callback";
    static final Duration PENDING = Duration.ofMinutes(10);
    private static final String STATE_COOKIE = "vigil_oidc_state";
    private static final int MAX_PENDING = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(OidcLogin.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);

    /** The OIDC settings, validated once. */
    record Settings(String issuer, String clientId, String clientSecret, String redirectUri, String usernameClaim,
            Set<String> allowedDomains, TenantId defaultTenant, Role defaultRole) {
        Settings {
            requireNonNull(issuer, "issuer is null");
            requireNonNull(clientId, "clientId is null");
            requireNonNull(redirectUri, "redirectUri is null");
            requireNonNull(usernameClaim, "usernameClaim is null");
            allowedDomains = Set.copyOf(allowedDomains);
            requireNonNull(defaultTenant, "defaultTenant is null");
            requireNonNull(defaultRole, "defaultRole is null");
        }

        /** The settings of the configuration, or empty when {@code server.oidc.issuer} is not set. */
        static Optional<Settings> of(VigilConfig config, Map<String, String> environment) {
            String issuer = (String) config.value(ConfigKey.SERVER_OIDC_ISSUER);
            if (issuer.isEmpty()) {
                return Optional.empty();
            }
            String clientId = (String) config.value(ConfigKey.SERVER_OIDC_CLIENT_ID);
            String redirect = (String) config.value(ConfigKey.SERVER_OIDC_REDIRECT_URI);
            for (var required : List.of(Map.entry(ConfigKey.SERVER_OIDC_CLIENT_ID, clientId),
                    Map.entry(ConfigKey.SERVER_OIDC_REDIRECT_URI, redirect))) {
                if (required.getValue().isEmpty()) {
                    throw new VigilException(ErrorCode.CONFIG_INVALID, required.getKey().key() + " must be set when"
                            + " server.oidc.issuer is", "Set " + required.getKey().key() + " (or "
                            + required.getKey().environmentVariable() + "), or empty server.oidc.issuer to turn OIDC"
                            + " login off", null);
                }
            }
            String secretVariable = (String) config.value(ConfigKey.SERVER_OIDC_CLIENT_SECRET_ENV);
            String secret = environment.get(secretVariable);
            Set<String> domains = Arrays.stream(((String) config.value(ConfigKey.SERVER_OIDC_ALLOWED_DOMAINS))
                    .split(",")).map(d -> d.strip().toLowerCase(Locale.ROOT)).filter(d -> !d.isEmpty())
                    .collect(Collectors.toSet());
            return Optional.of(new Settings(issuer, clientId, secret == null || secret.isEmpty() ? null : secret,
                    redirect, (String) config.value(ConfigKey.SERVER_OIDC_USERNAME_CLAIM), domains,
                    (TenantId) config.value(ConfigKey.SERVER_OIDC_DEFAULT_TENANT),
                    Role.parse((String) config.value(ConfigKey.SERVER_OIDC_DEFAULT_ROLE))));
        }
    }

    /** The provider's endpoints, from its discovery document. */
    private record Provider(URI authorization, URI token, JWKSource<SecurityContext> keys, boolean basicAuth) {}

    /** A sign-in between its start and its callback. */
    private record Pending(String nonce, String verifier, String returnTo, Instant started) {}

    private final Settings settings;
    private final Gatekeeper gate;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private volatile Provider provider;

    OidcLogin(Settings settings, Gatekeeper gate) {
        this.settings = requireNonNull(settings, "settings is null");
        this.gate = requireNonNull(gate, "gate is null");
    }

    /** The OIDC login of the configuration, or null when none is configured. */
    static OidcLogin from(VigilConfig config, Gatekeeper gate) {
        return Settings.of(config, System.getenv()).map(s -> new OidcLogin(s, gate)).orElse(null);
    }

    String issuer() {
        return settings.issuer();
    }

    List<Route> routes() {
        return List.of(
                Route.anonymous("GET", START, "Start an OIDC sign-in (authorization code with PKCE): redirects to the"
                        + " identity provider; ?return=/path is where the browser lands afterwards", null, this::start),
                Route.anonymous("GET", CALLBACK, "Where the identity provider sends the browser back (?code, ?state):"
                        + " checks the state, exchanges the code, verifies the ID token, sets the session cookie and"
                        + " redirects", null, this::callback));
    }

    private Object start(Call call) {
        Provider endpoints = provider();
        Instant now = gate.clock().instant();
        if (pending.size() >= MAX_PENDING) {
            pending.values().removeIf(p -> p.started().plus(PENDING).isBefore(now));
            if (pending.size() >= MAX_PENDING) {
                call.context().header("Retry-After", "60");
                throw new VigilException(ErrorCode.RATE_LIMITED, "too many OIDC sign-ins are in progress");
            }
        }
        String state = random();
        String nonce = random();
        String verifier = random();
        pending.put(state, new Pending(nonce, verifier, returnTo(call.query("return")), now));
        call.context().res().addHeader("Set-Cookie", STATE_COOKIE + "=" + state + "; Path=" + CALLBACK
                + "; Max-Age=" + PENDING.toSeconds() + "; HttpOnly; SameSite=Lax" + (gate.secure() ? "; Secure" : ""));
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", settings.clientId());
        query.put("redirect_uri", settings.redirectUri());
        query.put("scope", "openid email profile");
        query.put("state", state);
        query.put("nonce", nonce);
        query.put("code_challenge", challenge(verifier));
        query.put("code_challenge_method", "S256");
        String separator = endpoints.authorization().getQuery() == null ? "?" : "&";
        return new Route.Redirect(endpoints.authorization() + separator + form(query));
    }

    private Object callback(Call call) {
        String state = call.query("state");
        String cookie = call.context().cookie(STATE_COOKIE);
        call.context().res().addHeader("Set-Cookie", STATE_COOKIE + "=; Path=" + CALLBACK + "; Max-Age=0; HttpOnly;"
                + " SameSite=Lax" + (gate.secure() ? "; Secure" : ""));
        Pending started = state == null ? null : pending.remove(state);
        if (started == null || cookie == null || !MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8),
                state.getBytes(StandardCharsets.UTF_8))) {
            throw failed(call, "the sign-in's state is unknown, used already, or not this browser's");
        }
        if (!gate.clock().instant().isBefore(started.started().plus(PENDING))) {
            throw failed(call, "the sign-in took longer than " + PENDING.toMinutes() + " minutes");
        }
        String error = call.query("error");
        if (error != null) {
            throw failed(call, "the identity provider refused the sign-in: " + error);
        }
        String code = call.query("code");
        if (code == null || code.isBlank()) {
            throw failed(call, "the identity provider sent no authorization code");
        }
        JWTClaimsSet claims = verify(call, exchange(call, code, started.verifier()), started.nonce());
        User user = user(call, claims);
        call.auditActor(user.name());
        LoginSessions.Created created = gate.sessions().open(user.name(), "oidc", gate.clock().instant());
        call.context().res().addHeader("Set-Cookie", gate.sessionCookie(created.id()));
        call.audit("outcome", "logged in");
        call.audit("session", created.session().reference());
        return new Route.Redirect(started.returnTo());
    }

    /** Exchanges the code (with the PKCE verifier) for the ID token. */
    private String exchange(Call call, String code, String verifier) {
        Provider endpoints = provider();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", settings.redirectUri());
        form.put("code_verifier", verifier);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoints.token()).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json");
        if (settings.clientSecret() != null && endpoints.basicAuth()) {
            String pair = URLEncoder.encode(settings.clientId(), StandardCharsets.UTF_8) + ":"
                    + URLEncoder.encode(settings.clientSecret(), StandardCharsets.UTF_8);
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    pair.getBytes(StandardCharsets.UTF_8)));
        } else {
            form.put("client_id", settings.clientId());
            if (settings.clientSecret() != null) {
                form.put("client_secret", settings.clientSecret());
            }
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.POST(HttpRequest.BodyPublishers.ofString(form(form))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw failed(call, "the token endpoint " + endpoints.token() + " cannot be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigilException(ErrorCode.INTERRUPTED, "the code exchange was interrupted");
        }
        JsonNode body;
        try {
            body = ApiJson.MAPPER.readTree(response.body());
        } catch (RuntimeException e) {
            body = null;
        }
        if (response.statusCode() != 200 || body == null || !body.path("id_token").isString()) {
            String reason = body != null && body.path("error").isString() ? body.path("error").asString()
                    : "status " + response.statusCode();
            throw failed(call, "the token endpoint refused the code (" + reason + ")");
        }
        return body.path("id_token").asString();
    }

    /** The ID token's claims, once its signature, issuer, audience, times and nonce check. */
    private JWTClaimsSet verify(Call call, String idToken, String nonce) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, provider().keys()));
        DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(
                Set.of(settings.clientId()),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).claim("nonce", nonce).build(),
                Set.of("sub", "iat", "exp"), Set.of()) {
            @Override
            protected Date currentTime() {
                return Date.from(gate.clock().instant());
            }
        };
        processor.setJWTClaimsSetVerifier(verifier);
        try {
            return processor.process(idToken, null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw failed(call, "the ID token does not verify: " + e.getMessage());
        }
    }

    /** The Vigil user the claims name: existing, or created when its e-mail domain is allowed. */
    private User user(Call call, JWTClaimsSet claims) {
        Object named = claims.getClaim(settings.usernameClaim());
        if (!(named instanceof String name) || name.isBlank()) {
            throw failed(call, "the ID token has no '" + settings.usernameClaim() + "' claim to name the user");
        }
        name = name.strip().toLowerCase(Locale.ROOT);
        call.auditActor(name);
        if (Boolean.FALSE.equals(claims.getClaim("email_verified")) && name.contains("@")) {
            throw failed(call, "the identity provider has not verified the e-mail address " + name);
        }
        String subject = claims.getIssuer() + "#" + claims.getSubject();
        Optional<User> existing = gate.users().find(name);
        if (existing.isPresent()) {
            User user = existing.get();
            if (user.oidcSubject() == null) {
                return gate.users().bindOidcSubject(user.name(), subject);
            }
            if (!user.oidcSubject().equals(subject)) {
                throw failed(call, "user '" + name + "' is bound to another identity at the provider");
            }
            return user;
        }
        int at = name.lastIndexOf('@');
        String domain = at < 0 ? "" : name.substring(at + 1);
        if (domain.isEmpty() || !settings.allowedDomains().contains(domain)) {
            throw new VigilException(ErrorCode.PERMISSION_DENIED, "'" + name + "' signed in at the identity provider"
                    + " but is not a Vigil user", "Ask an operator to add the user (vigil users add " + name
                    + " --tenant T --role R --oidc) or to allow its domain in server.oidc.allowed-domains", null);
        }
        gate.users().add(name, null, false, Map.of(settings.defaultTenant(), settings.defaultRole()),
                gate.clock().instant());
        call.audit("provisioned", settings.defaultTenant() + ":" + settings.defaultRole());
        return gate.users().bindOidcSubject(name, subject);
    }

    private VigilException failed(Call call, String reason) {
        call.audit("outcome", reason);
        return new VigilException(ErrorCode.OIDC_FAILED, "OIDC sign-in failed: " + reason);
    }

    /** The provider's endpoints, read from its discovery document at the first use. */
    private Provider provider() {
        Provider known = provider;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (provider != null) {
                return provider;
            }
            URI discovery = URI.create(settings.issuer().replaceAll("/+$", "") + "/.well-known/openid-configuration");
            JsonNode document;
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(discovery)
                        .timeout(Duration.ofSeconds(15)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IOException("status " + response.statusCode());
                }
                document = ApiJson.MAPPER.readTree(response.body());
            } catch (IOException | RuntimeException e) {
                LOG.warn("OIDC discovery at {} failed: {}", discovery, e.toString());
                throw new VigilException(ErrorCode.OIDC_FAILED, "cannot read the identity provider's discovery"
                        + " document " + discovery + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VigilException(ErrorCode.INTERRUPTED, "OIDC discovery was interrupted");
            }
            if (!settings.issuer().equals(document.path("issuer").asString(""))) {
                throw new VigilException(ErrorCode.OIDC_FAILED, "the discovery document names the issuer '"
                        + document.path("issuer").asString("") + "', not the configured '" + settings.issuer() + "'",
                        "Set server.oidc.issuer to exactly the provider's issuer", null);
            }
            try {
                URI authorization = URI.create(document.path("authorization_endpoint").asString());
                URI token = URI.create(document.path("token_endpoint").asString());
                JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(
                        URI.create(document.path("jwks_uri").asString()).toURL()).retrying(true).build();
                JsonNode methods = document.path("token_endpoint_auth_methods_supported");
                boolean basic = methods.isMissingNode() || methods.toString().contains("client_secret_basic");
                provider = new Provider(authorization, token, keys, basic);
                return provider;
            } catch (RuntimeException | java.net.MalformedURLException e) {
                throw new VigilException(ErrorCode.OIDC_FAILED, "the discovery document " + discovery + " lacks a"
                        + " valid authorization_endpoint, token_endpoint or jwks_uri: " + e.getMessage());
            }
        }
    }

    /** A local path to land on after the sign-in: never another site. */
    private static String returnTo(String requested) {
        if (requested == null || !requested.startsWith("/") || requested.startsWith("//") || requested.contains("\\")
                || requested.length() > 500 || requested.chars().anyMatch(c -> c < 0x21)) {
            return "/";
        }
        return requested;
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
