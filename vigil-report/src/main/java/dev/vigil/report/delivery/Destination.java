package dev.vigil.report.delivery;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a scheduled report goes. Secrets are never part of a destination: a webhook's signing secret and an SMTP
 * password are named by the environment variable that holds them, read when the report is delivered.
 */
public sealed interface Destination {
    /** An environment variable's name, as a shell writes it. */
    Pattern ENVIRONMENT_VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    /** A short description for listings and run records, without secrets. */
    String describe();

    /**
     * A folder the report file is written to, atomically and without replacing an existing file.
     *
     * @param folder an absolute folder, created if missing
     */
    record Folder(Path folder) implements Destination {
        public Folder {
            requireNonNull(folder, "folder is null");
            folder = folder.toAbsolutePath().normalize();
        }

        @Override
        public String describe() {
            return "folder " + folder;
        }
    }

    /**
     * A URL the report is POSTed to as JSON, the document in base64, signed with HMAC-SHA256 when a secret is named.
     *
     * @param secretEnvironmentVariable the variable holding the signing secret (16 characters or more), or empty to
     *     send unsigned
     */
    record Webhook(URI url, String secretEnvironmentVariable) implements Destination {
        public Webhook {
            requireNonNull(url, "url is null");
            secretEnvironmentVariable = secretEnvironmentVariable == null ? "" : secretEnvironmentVariable.strip();
            if (!url.isAbsolute() || !("https".equalsIgnoreCase(url.getScheme())
                    || "http".equalsIgnoreCase(url.getScheme())) || url.getHost() == null) {
                throw invalid("webhook URL '" + url + "' is not an absolute http(s) URL",
                        "Pass a URL such as https://soar.example.com/hooks/vigil-reports.");
            }
            if (url.getUserInfo() != null) {
                throw invalid("webhook URL '" + url.getHost() + "' carries credentials in its user part, which would"
                        + " be stored in clear", "Pass the URL without user:password@ and sign with --secret-env VAR.");
            }
            checkVariable("--secret-env", secretEnvironmentVariable, true);
        }

        public static Webhook of(String url, String secretEnvironmentVariable) {
            try {
                return new Webhook(new URI(url.strip()), secretEnvironmentVariable);
            } catch (URISyntaxException e) {
                throw invalid("webhook URL '" + url + "' is not a URL: " + e.getMessage(),
                        "Pass a URL such as https://soar.example.com/hooks/vigil-reports.");
            }
        }

        @Override
        public String describe() {
            return "webhook " + url + (secretEnvironmentVariable.isEmpty() ? " (unsigned)"
                    : " (signed, secret in $" + secretEnvironmentVariable + ")");
        }
    }

    /**
     * An e-mail with the report attached, sent through an SMTP server.
     *
     * @param startTls upgrade the connection with STARTTLS, and refuse to send if the server cannot
     * @param user the SMTP login, or empty for no authentication
     * @param passwordEnvironmentVariable the variable holding the SMTP password; required with a user
     * @param to one or more recipients
     */
    record Email(String host, int port, boolean startTls, String user, String passwordEnvironmentVariable, String from,
            List<String> to) implements Destination {
        public Email {
            requireNonNull(host, "host is null");
            host = host.strip();
            user = user == null ? "" : user.strip();
            passwordEnvironmentVariable = passwordEnvironmentVariable == null ? ""
                    : passwordEnvironmentVariable.strip();
            requireNonNull(from, "from is null");
            to = List.copyOf(to);
            if (host.isEmpty() || host.contains("/") || host.contains(" ")) {
                throw invalid("SMTP host '" + host + "' is not a host name", "Pass --smtp-host smtp.example.com.");
            }
            if (port < 1 || port > 65535) {
                throw invalid("SMTP port " + port + " is out of range", "Pass --smtp-port 587 (STARTTLS) or 25.");
            }
            if (!user.isEmpty() && passwordEnvironmentVariable.isEmpty()) {
                throw invalid("SMTP user '" + user + "' has no password variable",
                        "Pass --smtp-password-env VAR naming the environment variable that holds the password; it is"
                                + " never stored.");
            }
            checkVariable("--smtp-password-env", passwordEnvironmentVariable, true);
            from = address("--from", from);
            if (to.isEmpty()) {
                throw invalid("an e-mail destination needs at least one recipient", "Pass --to-email a@example.com.");
            }
            to = to.stream().map(address -> address("--to-email", address)).toList();
        }

        @Override
        public String describe() {
            return "e-mail to " + String.join(", ", to) + " via " + host + ":" + port
                    + (startTls ? " (STARTTLS)" : "");
        }
    }

    private static String address(String option, String address) {
        try {
            InternetAddress parsed = new InternetAddress(address.strip(), true);
            parsed.validate();
            return parsed.getAddress();
        } catch (AddressException e) {
            throw invalid(option + " '" + address + "' is not an e-mail address: " + e.getMessage(),
                    "Pass an address such as soc@example.com.");
        }
    }

    private static void checkVariable(String option, String name, boolean optional) {
        if (name.isEmpty() && optional) {
            return;
        }
        if (!ENVIRONMENT_VARIABLE.matcher(name).matches()) {
            throw invalid(option + " '" + name + "' is not an environment variable name",
                    "Pass the variable's name, such as VIGIL_SMTP_PASSWORD, not its value: secrets are never stored.");
        }
    }

    private static VigilException invalid(String message, String fix) {
        return new VigilException(ErrorCode.REPORT_SCHEDULE_INVALID, message, fix, null);
    }
}
