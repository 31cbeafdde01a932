package dev.vigil.report;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How an HTML (and so PDF) report looks: the organization's name, its logo and its colours.
 *
 * @param organization the name shown in the header; empty for the report's own
 * @param logo the logo's bytes (PNG, JPEG, GIF or SVG), embedded as a data URI; empty for none
 * @param logoType the logo's media type ({@code image/png}); empty without a logo
 * @param colour the main colour: the header rule, headings and chart accents, as {@code #rrggbb}
 * @param accent the table header colour, as {@code #rrggbb}
 */
public record Branding(String organization, byte[] logo, String logoType, String colour, String accent) {
    /** The largest logo embedded. */
    public static final int MAX_LOGO_BYTES = 1 << 20;
    private static final Pattern HEX = Pattern.compile("#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}");
    public static final String DEFAULT_COLOUR = "#1f3a5f";
    public static final String DEFAULT_ACCENT = "#e8edf3";

    public Branding {
        requireNonNull(organization, "organization is null");
        requireNonNull(logo, "logo is null");
        requireNonNull(logoType, "logoType is null");
        logo = logo.clone();
        colour = colour(colour, "colour");
        accent = colour(accent, "accent");
        if (logo.length > MAX_LOGO_BYTES) {
            throw new VigilException(ErrorCode.USAGE, "the logo has " + logo.length + " bytes, more than the "
                    + MAX_LOGO_BYTES + " a report embeds", "Pass a smaller logo (a PNG of a few hundred pixels).",
                    null);
        }
    }

    /** Vigil's own look, with no logo. */
    public static Branding defaults() {
        return new Branding("", new byte[0], "", DEFAULT_COLOUR, DEFAULT_ACCENT);
    }

    @Override
    public byte[] logo() {
        return logo.clone();
    }

    /**
     * The same branding with a logo, its type read from the bytes themselves.
     *
     * @param name the logo file's name, for the error message
     * @throws VigilException when the bytes are not a PNG, JPEG, GIF or SVG image
     */
    public Branding withLogo(byte[] bytes, String name) {
        String type = imageType(bytes).orElseThrow(() -> new VigilException(ErrorCode.USAGE, "the logo " + name
                + " is not a PNG, JPEG, GIF or SVG image", "Pass a logo in one of those formats.", null));
        return new Branding(organization, bytes, type, colour, accent);
    }

    public Branding withOrganization(String name) {
        return new Branding(name, logo, logoType, colour, accent);
    }

    public Branding withColour(String hex) {
        return new Branding(organization, logo, logoType, hex, accent);
    }

    /** The logo as a {@code data:} URI; empty without a logo. */
    public String logoUri() {
        return logo.length == 0 ? "" : "data:" + logoType + ";base64," + Base64.getEncoder().encodeToString(logo);
    }

    private static String colour(String value, String what) {
        String hex = value == null || value.isBlank() ? (what.equals("colour") ? DEFAULT_COLOUR : DEFAULT_ACCENT)
                : value.strip().startsWith("#") ? value.strip() : "#" + value.strip();
        if (!HEX.matcher(hex).matches()) {
            throw new VigilException(ErrorCode.USAGE, "'" + value + "' is not a colour", "Write the " + what
                    + " as a hex colour such as #1f3a5f.", null);
        }
        return hex.toLowerCase(Locale.ROOT);
    }

    private static java.util.Optional<String> imageType(byte[] b) {
        if (b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return java.util.Optional.of("image/png");
        }
        if (b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8) {
            return java.util.Optional.of("image/jpeg");
        }
        if (b.length > 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F') {
            return java.util.Optional.of("image/gif");
        }
        String head = new String(b, 0, Math.min(b.length, 512), java.nio.charset.StandardCharsets.UTF_8);
        if (head.contains("<svg")) {
            return java.util.Optional.of("image/svg+xml");
        }
        return java.util.Optional.empty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Branding b && organization.equals(b.organization)
                && java.util.Arrays.equals(logo, b.logo) && logoType.equals(b.logoType) && colour.equals(b.colour)
                && accent.equals(b.accent);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(organization, java.util.Arrays.hashCode(logo), logoType, colour, accent);
    }

    @Override
    public String toString() {
        return "Branding[" + organization + ", logo " + logo.length + " bytes " + logoType + ", " + colour + ", "
                + accent + "]";
    }
}
