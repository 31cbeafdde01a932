package dev.vigil.report.delivery;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;

/** The delivery for each kind of destination. */
public final class Deliveries {
    private Deliveries() {}

    /**
     * @param environment reads the variables destinations name for their secrets, e.g. {@code System::getenv}
     */
    public static Delivery of(Destination destination, Function<String, String> environment) {
        requireNonNull(environment, "environment is null");
        return switch (requireNonNull(destination, "destination is null")) {
            case Destination.Folder folder -> new FolderDelivery(folder);
            case Destination.Webhook webhook -> new WebhookDelivery(webhook, environment);
            case Destination.Email email -> new SmtpDelivery(email, environment);
        };
    }
}
