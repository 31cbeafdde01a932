package dev.vigil.model;

import static java.util.Objects.requireNonNull;

/**
 * Every error Vigil reports, each with a category that decides once how it surfaces: the CLI exit code, the HTTP
 * status and the metric tag. A code's {@link #fix()} tells the user what to do about it; messages add the object
 * (file:line, field, tenant) that the error is about.
 */
public enum ErrorCode {
    USAGE(Category.USER_ERROR, "Run the command with --help to see its options."),
    CONFIG_INVALID(Category.USER_ERROR, "Correct the value in the configuration file, environment variable or flag named."),
    CONFIG_UNKNOWN_KEY(Category.USER_ERROR, "Remove the key or rename it to the suggested one; `vigil config --help` lists all keys."),
    TENANT_INVALID(Category.USER_ERROR, "Use a tenant id of 1 to 63 characters: lowercase letters, digits, '-' and '_', starting with a letter or digit."),
    INPUT_NOT_FOUND(Category.NOT_FOUND, "Check the path; pass files, folders, .gz/.zip/.tar.gz archives, or '-' for standard input."),
    INPUT_UNREADABLE(Category.USER_ERROR, "Check that the file is readable and not truncated."),
    FORMAT_UNKNOWN(Category.USER_ERROR, "Pass --format with one of the supported formats (`vigil ingest --help` lists them)."),
    QUERY_INVALID(Category.USER_ERROR, "Fix the query at the position named; `vigil tables` lists the tables and their columns."),
    QUERY_LIMIT(Category.INSUFFICIENT_RESOURCES, "Narrow the query (a time range, summarize earlier, fewer joins) or raise the limit named."),
    QUERY_NOT_FOUND(Category.NOT_FOUND, "Run `vigil hunt saved` to see the saved queries of this tenant, and `vigil hunt schedules` for the scheduled ones."),
    QUERY_NOT_READ_ONLY(Category.FORBIDDEN, "Only SELECT, WITH, DESCRIBE, SHOW, EXPLAIN, SUMMARIZE and PRAGMA reads are allowed; change data through `vigil ingest`."),
    RULE_INVALID(Category.USER_ERROR, "Fix the rule at the file, line and column named; the Sigma specification's rules, modifiers and correlation appendices say what is allowed."),
    RULE_NOT_FOUND(Category.NOT_FOUND, "Run `vigil rules list` to see the rules of this tenant and their ids."),
    INVENTORY_INVALID(Category.USER_ERROR, "Fix the records at the file and line named; `vigil inventory import --help` lists the formats and their columns."),
    VULNS_INVALID(Category.USER_ERROR, "Pass CVE JSON 5 records, OSV entries, CISA's KEV catalog (JSON or CSV) or EPSS scores (CSV); the entry named says what is wrong."),
    POSTURE_NOT_FOUND(Category.NOT_FOUND, "Import what the question needs first: `vigil inventory import FILE`, `vigil vulns import FILE|DIR`, or ATT&CK with `vigil intel import enterprise-attack.json`."),
    INCIDENT_NOT_FOUND(Category.NOT_FOUND, "Run `vigil incidents list` to see the incidents of this tenant and their numbers."),
    ACTION_NOT_FOUND(Category.NOT_FOUND, "Run `vigil incidents show N` to see the incident's proposed actions and their ids."),
    INCIDENT_UPDATE_INVALID(Category.USER_ERROR, "Change the update as the message says; `vigil incidents update --help` lists the values allowed."),
    PROMPTBOOK_INVALID(Category.USER_ERROR, "Fix the promptbook as the message says: every <Input> a prompt uses must be declared under \"inputs\" (or \"promptbookinputs\"), and a promptbook needs a name and at least one prompt."),
    PROMPTBOOK_NOT_FOUND(Category.NOT_FOUND, "List the promptbooks (`vigil promptbook list`, or GET .../copilot/promptbooks) and use one of their names: the built-in ones and those imported into the tenant."),
    PLUGIN_INVALID(Category.USER_ERROR, "Fix the plugin manifest at the file, line and column named; `vigil plugins validate FILE` checks it again, and the README's Plugins section shows the manifest shape."),
    PLUGIN_NOT_FOUND(Category.NOT_FOUND, "Run `vigil plugins list` to see the plugins installed for this tenant, and `vigil plugins install FILE_OR_DIR` to add one."),
    PLUGIN_CALL_FAILED(Category.INTERNAL, "Check the plugin's settings (`vigil plugins show NAME`): the API's base URL, its credentials, and that the service is reachable."),
    REPORT_TEMPLATE_INVALID(Category.USER_ERROR, "Fix the template at the file, line and column named; `vigil report templates validate FILE` checks it again, and the README's Reports section shows the template format."),
    REPORT_TEMPLATE_NOT_FOUND(Category.NOT_FOUND, "Run `vigil report templates list` to see the built-in templates and those imported into the tenant."),
    SESSION_NOT_FOUND(Category.NOT_FOUND, "List the sessions you can open (your own and those shared within the tenant) and use one of their ids; a private session is visible only to its owner."),
    RECORD_NOT_FOUND(Category.NOT_FOUND, "Open evidence from an answer or an incident of this tenant: event:ID, alert:ID and incident:N name stored records."),
    AUTHENTICATION_REQUIRED(Category.UNAUTHENTICATED, "Send a valid API token as `Authorization: Bearer vgl_...` (an owner creates one with `vigil tokens create --tenant T --role reader|analyst|owner|ingest --name N`), or log in with POST /api/v1/login and send the session cookie."),
    LOGIN_FAILED(Category.UNAUTHENTICATED, "Check the user name and password (an owner resets a password with `vigil users passwd NAME`); after 5 failures in a row, logins for that user or from that address wait, longer after each further failure."),
    OIDC_FAILED(Category.UNAUTHENTICATED, "Start the sign-in again from GET /api/v1/oidc/login; if it keeps failing, check the server.oidc.* settings against the identity provider and read the server log."),
    CSRF_INVALID(Category.FORBIDDEN, "Send the csrf_token of GET /api/v1/me in the X-CSRF-Token header with every POST, PUT, PATCH and DELETE made with the session cookie (API tokens need none)."),
    PASSWORD_CHANGE_REQUIRED(Category.FORBIDDEN, "Set your own password first: POST /api/v1/password with {\"current\": ..., \"new\": ...}; a one-time password opens nothing else."),
    USER_NOT_FOUND(Category.NOT_FOUND, "Run `vigil users list` to see the users and their tenants."),
    USER_EXISTS(Category.CONFLICT, "Pick another name, or change the existing user with `vigil users grant|passwd`."),
    PASSWORD_WEAK(Category.USER_ERROR, "Use a password of 12 to 256 characters that is not the user name."),
    RATE_LIMITED(Category.TOO_MANY_REQUESTS, "Wait for the seconds the Retry-After header names, then send again."),
    QUOTA_EXCEEDED(Category.TOO_MANY_REQUESTS, "Wait for the quota's window to pass (Retry-After says when), send less, or ask the operator to raise server.ingest.events-per-minute or server.ingest.events-per-day."),
    ROUTE_NOT_FOUND(Category.NOT_FOUND, "Check the method and path; GET /api/v1/openapi.json describes every route."),
    REQUEST_TOO_LARGE(Category.INSUFFICIENT_RESOURCES, "Send a smaller request body; the server accepts at most 1 MiB."),
    PERMISSION_DENIED(Category.FORBIDDEN, "Ask an owner of the tenant for the role named, or act as a user who has it."),
    RESPONDER_FAILED(Category.INTERNAL, "Check the responder's URL and that it is reachable; the action stays approved and can be run again."),
    TABLE_NOT_FOUND(Category.NOT_FOUND, "Run `vigil tables` to list the tables of this tenant."),
    STORE_LOCKED(Category.CONFLICT, "Another Vigil process holds the data directory; stop it, or point --data at another directory."),
    CORRELATION_CONFLICT(Category.CONFLICT, "Another node placed this tenant's alerts at the same time; run correlation again: it places only the alerts still unplaced."),
    STORE_FAILED(Category.INTERNAL, "Check free disk space and the data directory's permissions; the log has the details."),
    LIMIT_EXCEEDED(Category.INSUFFICIENT_RESOURCES, "Raise the limit named in the configuration, or split the input."),
    MODEL_UNAVAILABLE(Category.INTERNAL, "Run Vigil on Linux (x86-64 or ARM64), macOS on Apple silicon or Windows x86-64 with `--enable-native-access=ALL-UNNAMED` (./vigil passes it), and let it write to java.io.tmpdir and ~/.djl.ai (or DJL_CACHE_DIR), where the native libraries are unpacked; the cause names what failed."),
    CONNECTOR_INVALID(Category.USER_ERROR, "Fix the connector's settings as the message says; `vigil connectors add --help` lists them."),
    CONNECTOR_NOT_FOUND(Category.NOT_FOUND, "Run `vigil connectors list` to see the connectors of this tenant, and `vigil connectors add` to add one."),
    CONNECTOR_FAILED(Category.INTERNAL, "Run `vigil connectors test NAME`: it checks the credentials, the endpoint and one page, and says what to change; the next run resumes from the last stored page."),
    REPORT_DOCUMENT_INVALID(Category.USER_ERROR, "Fix the report's XHTML at the line and column named: a PDF is made from well-formed XHTML (closed tags, quoted attributes, numeric character references such as &#160; instead of &nbsp;)."),
    REPORT_SCHEDULE_INVALID(Category.USER_ERROR, "Fix the schedule as the message says; `vigil report schedule add --help` lists the options, and a cron expression has five fields: minute hour day-of-month month day-of-week, e.g. '0 8 * * MON'."),
    REPORT_SCHEDULE_NOT_FOUND(Category.NOT_FOUND, "Run `vigil report schedule list` to see the report schedules of this tenant and their names."),
    REPORT_DELIVERY_FAILED(Category.INTERNAL, "Check the destination named: that the folder is writable, the webhook answers 2xx, or the SMTP server accepts the sender, recipients and credentials; `vigil report schedule runs NAME` shows each attempt."),
    BROKER_UNAVAILABLE(Category.UNAVAILABLE, "Start Kafka or point the pipeline at a running broker: --bootstrap HOST:PORT (or stream.bootstrap) must name a broker listener this machine can reach (not a controller port); check the broker's advertised.listeners and any firewall between them."),
    QUERY_UNSUPPORTED(Category.USER_ERROR, "Rewrite the construct named at the position named, or run the hunt on DuckDB (--engine duckdb), which supports the whole hunting language."),
    LAKE_FAILED(Category.INTERNAL, "Check that the lake root (lake.root) exists and is writable, and for object storage the lake.s3.* settings and credentials; a failed write or compaction leaves no partial file, so run it again."),
    SCALE_MODE_UNSUPPORTED(Category.CONFLICT, "Use a server in embedded mode (vigil serve without --mode scale) for this; docs/SCALE-OUT.md lists what a scale-mode node serves and what it does not yet."),
    INTERRUPTED(Category.INTERNAL, "The work was interrupted; run the command again, it resumes without duplicating what was stored."),
    INTERNAL(Category.INTERNAL, "This is a bug in Vigil: report it with the log file.");

    /** How an error surfaces to callers. Exit codes are documented in the README; keep them stable. */
    public enum Category {
        USER_ERROR(2, 400),
        NOT_FOUND(3, 404),
        /** No valid credentials: the caller must authenticate first. */
        UNAUTHENTICATED(4, 401),
        FORBIDDEN(4, 403),
        CONFLICT(5, 409),
        INSUFFICIENT_RESOURCES(6, 413),
        /** Too many requests for now: a rate limit, a full queue or a quota; Retry-After says when to try again. */
        TOO_MANY_REQUESTS(6, 429),
        /** A service Vigil depends on (a Kafka broker) does not answer for now; Retry-After says when to try again. */
        UNAVAILABLE(1, 503),
        INTERNAL(1, 500);

        private final int exitCode;
        private final int httpStatus;

        Category(int exitCode, int httpStatus) {
            this.exitCode = exitCode;
            this.httpStatus = httpStatus;
        }

        public int exitCode() {
            return exitCode;
        }

        public int httpStatus() {
            return httpStatus;
        }

        /** The lower-case tag used in logs and metrics, e.g. {@code user_error}. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Category category;
    private final String fix;

    ErrorCode(Category category, String fix) {
        this.category = requireNonNull(category, "category is null");
        this.fix = requireNonNull(fix, "fix is null");
    }

    public Category category() {
        return category;
    }

    /** What the user can do about an error of this code. */
    public String fix() {
        return fix;
    }

    /** The stable, lower-case name shown to users, e.g. {@code config_unknown_key}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
