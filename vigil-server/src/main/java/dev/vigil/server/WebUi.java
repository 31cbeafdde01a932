package dev.vigil.server;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web UI's files: plain HTML, CSS and JavaScript modules shipped in the jar under {@code web/}, served at
 * {@code /} (the page) and {@code /ui/...} (everything it loads). No build step and no third-party code: what is in
 * {@code src/main/resources/web} is what the browser runs.
 *
 * <p>Each file is read once and kept with its SHA-256 as a strong ETag; answers say {@code Cache-Control: no-cache},
 * so a browser revalidates every time and gets {@code 304 Not Modified} while the file is unchanged (a new release
 * changes the ETag, never a stale script). The server sends {@link #CONTENT_SECURITY_POLICY} with every path outside
 * the API: scripts, styles and requests from the server itself only; no inline script, no inline event handler, no
 * eval, no other origin, no framing.
 *
 * <p>Only names of the expected shape are looked up (lower-case words, digits, {@code -}, {@code _} and {@code /},
 * with a known extension), so no request reaches outside {@code web/}; any other name is a 404 in the API's error
 * shape. Serving the files needs no token: they hold no data, and every request the page makes is authenticated.
 */
final class WebUi {
    /** The policy of the page and its files. {@code connect-src 'self'} is what the API calls and streams need. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; object-src 'none';"
            + " base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    static final String ASSETS = "/ui/";
    private static final String ROOT = "web/";
    private static final Pattern NAME = Pattern.compile("(?:[a-z0-9_-]+/)*[a-z0-9_-]+\\.(?:html|css|js|svg|json)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html;charset=utf-8", "css",
            "text/css;charset=utf-8", "js", "text/javascript;charset=utf-8", "svg", "image/svg+xml", "json",
            "application/json");

    private record Asset(byte[] bytes, String contentType, String etag) {}

    /** The files read so far; a name that is not a file is not kept, so requests cannot grow the map. */
    private final Map<String, Asset> assets = new ConcurrentHashMap<>();

    /** {@code GET /}: the page. */
    void page(Context ctx) {
        serve(ctx, "index.html");
    }

    /** {@code GET /ui/<path>}: a file the page loads. */
    void asset(Context ctx) {
        serve(ctx, ctx.path().substring(ASSETS.length()));
    }

    private void serve(Context ctx, String name) {
        Optional<Asset> found = !NAME.matcher(name).matches() ? Optional.empty()
                : Optional.ofNullable(assets.get(name)).or(() -> read(name).map(asset -> {
                    assets.put(name, asset);
                    return asset;
                }));
        if (found.isEmpty()) {
            VigilException e = new VigilException(ErrorCode.ROUTE_NOT_FOUND, "the web UI has no file '" + name
                    + "'", "Open the UI at / and follow its links", null);
            ctx.attribute(VigilServer.HANDLED, Boolean.TRUE); // answered here, not by the server's generic 404
            ctx.status(e.code().category().httpStatus()).json(Map.of("code", e.code().id(), "message",
                    e.getMessage(), "fix", e.fix()));
            return;
        }
        Asset asset = found.get();
        ctx.header("Cache-Control", "no-cache");
        ctx.header("ETag", asset.etag());
        String match = ctx.header("If-None-Match");
        if (match != null && (match.strip().equals("*") || Arrays.stream(match.split(","))
                .map(String::strip).anyMatch(asset.etag()::equals))) {
            ctx.status(304);
            return;
        }
        ctx.status(200).contentType(asset.contentType()).result(asset.bytes());
    }

    private static Optional<Asset> read(String name) {
        try (InputStream in = WebUi.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            String extension = name.substring(name.lastIndexOf('.') + 1);
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            return Optional.of(new Asset(bytes, TYPES.get(extension), "\"" + hash.substring(0, 32) + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web UI's " + name, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
