package dev.vigil.report.delivery;

import static java.util.Objects.requireNonNull;

/**
 * What one destination did with a report.
 *
 * @param destination the destination's description ({@link Destination#describe()})
 * @param delivered whether it took the report
 * @param detail what happened: the file written, the HTTP status, the SMTP answer, or the error
 * @param attempts how many times it was tried
 */
public record DeliveryResult(String destination, boolean delivered, String detail, int attempts) {
    public DeliveryResult {
        requireNonNull(destination, "destination is null");
        requireNonNull(detail, "detail is null");
    }
}
