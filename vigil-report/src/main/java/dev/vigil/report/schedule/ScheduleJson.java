package dev.vigil.report.schedule;

import dev.vigil.report.delivery.DeliveryResult;
import dev.vigil.report.delivery.Destination;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Schedules and runs as JSON, field by field with snake_case names: the shape of the schedule file, the run log and
 * the CLI's {@code --json}. Written out by hand rather than by reflection, so renaming a Java field never changes a
 * stored file.
 */
public final class ScheduleJson {
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private ScheduleJson() {}

    public static Map<String, Object> schedule(ReportSchedule schedule) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", schedule.name());
        body.put("cron", schedule.cron().expression());
        body.put("zone", schedule.cron().zone().getId());
        body.put("template", schedule.template());
        body.put("parameters", schedule.parameters());
        body.put("format", schedule.format());
        body.put("destinations", schedule.destinations().stream().map(ScheduleJson::destination).toList());
        body.put("created_by", schedule.createdBy());
        body.put("created_at", schedule.createdAt().toString());
        body.put("last_slot", schedule.lastSlot() == null ? null : schedule.lastSlot().toString());
        return body;
    }

    static Map<String, Object> destination(Destination destination) {
        Map<String, Object> body = new LinkedHashMap<>();
        switch (destination) {
            case Destination.Folder folder -> {
                body.put("type", "folder");
                body.put("folder", folder.folder().toString());
            }
            case Destination.Webhook webhook -> {
                body.put("type", "webhook");
                body.put("url", webhook.url().toString());
                body.put("secret_env", webhook.secretEnvironmentVariable());
            }
            case Destination.Email email -> {
                body.put("type", "email");
                body.put("smtp_host", email.host());
                body.put("smtp_port", email.port());
                body.put("starttls", email.startTls());
                body.put("smtp_user", email.user());
                body.put("smtp_password_env", email.passwordEnvironmentVariable());
                body.put("from", email.from());
                body.put("to", email.to());
            }
        }
        return body;
    }

    static ReportSchedule schedule(JsonNode node) {
        Map<String, String> parameters = new LinkedHashMap<>();
        node.path("parameters").properties().forEach(e -> parameters.put(e.getKey(), e.getValue().asString()));
        List<Destination> destinations = new ArrayList<>();
        node.path("destinations").forEach(d -> destinations.add(destination(d)));
        String lastSlot = optional(node, "last_slot");
        return new ReportSchedule(node.path("name").asString(), CronSchedule.parse(node.path("cron").asString(),
                node.path("zone").asString("UTC")), node.path("template").asString(), parameters,
                node.path("format").asString(), destinations, node.path("created_by").asString(""),
                Instant.parse(node.path("created_at").asString()), lastSlot == null ? null : Instant.parse(lastSlot));
    }

    static Destination destination(JsonNode node) {
        String type = node.path("type").asString("");
        return switch (type) {
            case "folder" -> new Destination.Folder(Path.of(node.path("folder").asString()));
            case "webhook" -> new Destination.Webhook(URI.create(node.path("url").asString()),
                    node.path("secret_env").asString(""));
            case "email" -> {
                List<String> to = new ArrayList<>();
                node.path("to").forEach(t -> to.add(t.asString()));
                yield new Destination.Email(node.path("smtp_host").asString(), node.path("smtp_port").asInt(25),
                        node.path("starttls").asBoolean(false), node.path("smtp_user").asString(""),
                        node.path("smtp_password_env").asString(""), node.path("from").asString(), to);
            }
            default -> throw new IllegalArgumentException("unknown destination type '" + type + "'");
        };
    }

    private static String optional(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asString();
    }

    public static Map<String, Object> run(ScheduleRun run) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", run.name());
        body.put("slot", run.slot().toString());
        body.put("started_at", run.startedAt().toString());
        body.put("finished_at", run.finishedAt() == null ? null : run.finishedAt().toString());
        body.put("outcome", run.outcome().name().toLowerCase(java.util.Locale.ROOT));
        body.put("title", run.title());
        body.put("file_name", run.fileName());
        body.put("bytes", run.bytes());
        body.put("error", run.error());
        List<Map<String, Object>> deliveries = new ArrayList<>();
        for (DeliveryResult result : run.deliveries()) {
            Map<String, Object> delivery = new LinkedHashMap<>();
            delivery.put("destination", result.destination());
            delivery.put("delivered", result.delivered());
            delivery.put("detail", result.detail());
            delivery.put("attempts", result.attempts());
            deliveries.add(delivery);
        }
        body.put("deliveries", deliveries);
        return body;
    }

    static ScheduleRun run(JsonNode node) {
        List<DeliveryResult> deliveries = new ArrayList<>();
        node.path("deliveries").forEach(d -> deliveries.add(new DeliveryResult(
                d.path("destination").asString(""), d.path("delivered").asBoolean(false), d.path("detail").asString(""),
                d.path("attempts").asInt(0))));
        String finished = optional(node, "finished_at");
        return new ScheduleRun(node.path("name").asString(), Instant.parse(node.path("slot").asString()),
                Instant.parse(node.path("started_at").asString()), finished == null ? null : Instant.parse(finished),
                ScheduleRun.Outcome.valueOf(node.path("outcome").asString("failed").toUpperCase(java.util.Locale.ROOT)),
                node.path("title").asString(""), node.path("file_name").asString(""), node.path("bytes").asLong(0),
                node.path("error").asString(""), deliveries);
    }
}
