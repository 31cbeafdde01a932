package dev.vigil.report.delivery;

import static java.util.Objects.requireNonNull;

import dev.vigil.report.build.RenderedReport;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Properties;
import java.util.function.Function;

/**
 * Mails the report through an SMTP server (Jakarta Mail): a short plain-text body with the report's title and period,
 * and the report attached under its file name and media type.
 *
 * <p>With {@code startTls} the connection is upgraded before anything else is sent, and the mail is not sent if the
 * server cannot upgrade. With a user, the password is read from the environment variable the destination names, at
 * delivery time; it is never stored, logged or put in a result. Connecting, reading and writing each time out after
 * 30 seconds. A failure is one attempt: SMTP servers queue and retry on their side, and a message resent after an
 * ambiguous failure could arrive twice.
 */
public final class SmtpDelivery implements Delivery {
    private static final String TIMEOUT_MILLIS = "30000";
    private static final DateTimeFormatter SLOT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Destination.Email destination;
    private final Function<String, String> environment;
    private final Clock clock;

    /** @param environment reads the password's variable, e.g. {@code System::getenv} */
    public SmtpDelivery(Destination.Email destination, Function<String, String> environment) {
        this(destination, environment, Clock.systemUTC());
    }

    SmtpDelivery(Destination.Email destination, Function<String, String> environment, Clock clock) {
        this.destination = requireNonNull(destination, "destination is null");
        this.environment = requireNonNull(environment, "environment is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public DeliveryResult deliver(RenderedReport report, Context context) {
        String where = destination.describe();
        String password = null;
        if (!destination.user().isEmpty()) {
            password = environment.apply(destination.passwordEnvironmentVariable());
            if (password == null || password.isEmpty()) {
                return new DeliveryResult(where, false, "not sent: $" + destination.passwordEnvironmentVariable()
                        + " is not set, so Vigil cannot log in to " + destination.host() + " as "
                        + destination.user() + "; set it in the environment of the process that runs the schedules",
                        0);
            }
        }
        Session session = Session.getInstance(properties());
        try {
            MimeMessage message = message(session, report, context);
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect(destination.host(), destination.port(),
                        destination.user().isEmpty() ? null : destination.user(), password);
                transport.sendMessage(message, message.getAllRecipients());
            }
            return new DeliveryResult(where, true, "sent to " + destination.to().size() + " recipient"
                    + (destination.to().size() == 1 ? "" : "s") + " as " + report.fileName(), 1);
        } catch (SendFailedException e) {
            return new DeliveryResult(where, false, "not sent: the server refused " + describe(e), 1);
        } catch (MessagingException e) {
            return new DeliveryResult(where, false, "not sent: " + describe(e), 1);
        }
    }

    private Properties properties() {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", destination.host());
        properties.put("mail.smtp.port", Integer.toString(destination.port()));
        properties.put("mail.smtp.auth", Boolean.toString(!destination.user().isEmpty()));
        properties.put("mail.smtp.starttls.enable", Boolean.toString(destination.startTls()));
        properties.put("mail.smtp.starttls.required", Boolean.toString(destination.startTls()));
        properties.put("mail.smtp.ssl.checkserveridentity", "true");
        properties.put("mail.smtp.connectiontimeout", TIMEOUT_MILLIS);
        properties.put("mail.smtp.timeout", TIMEOUT_MILLIS);
        properties.put("mail.smtp.writetimeout", TIMEOUT_MILLIS);
        properties.put("mail.smtp.from", destination.from());
        return properties;
    }

    MimeMessage message(Session session, RenderedReport report, Context context) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(destination.from()));
        for (String to : destination.to()) {
            message.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
        }
        message.setSubject(report.title(), StandardCharsets.UTF_8.name());
        message.setSentDate(Date.from(clock.instant()));

        MimeBodyPart text = new MimeBodyPart();
        text.setText(body(report, context), StandardCharsets.UTF_8.name());
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(report.bytes(), report.mediaType())));
        attachment.setFileName(report.fileName());
        attachment.setDisposition(MimeBodyPart.ATTACHMENT);
        // base64 even for Markdown and HTML: text encodings would turn its line ends into CRLF on the way
        attachment.setHeader("Content-Transfer-Encoding", "base64");
        MimeMultipart parts = new MimeMultipart("mixed");
        parts.addBodyPart(text);
        parts.addBodyPart(attachment);
        message.setContent(parts);
        message.saveChanges();
        return message;
    }

    static String body(RenderedReport report, Context context) {
        StringBuilder body = new StringBuilder();
        body.append(report.title()).append("\n\n");
        if (!context.period().isEmpty()) {
            body.append("Period: ").append(context.period()).append(", up to ").append(SLOT.format(context.slot()))
                    .append('\n');
        } else {
            body.append("As of ").append(SLOT.format(context.slot())).append('\n');
        }
        body.append("Tenant: ").append(context.tenant()).append('\n');
        body.append("The report is attached: ").append(report.fileName()).append(".\n\n");
        body.append("Sent by Vigil").append(context.schedule().isEmpty() ? "" : " for the report schedule '"
                + context.schedule() + "'").append(".\n");
        return body.toString();
    }

    /** The failure without the password or the message body: Jakarta Mail's message and its cause's. */
    private static String describe(MessagingException e) {
        StringBuilder text = new StringBuilder(e.getClass().getSimpleName()).append(": ")
                .append(String.valueOf(e.getMessage()).strip());
        if (e instanceof SendFailedException failed && failed.getInvalidAddresses() != null
                && failed.getInvalidAddresses().length > 0) {
            text.append(" (").append(java.util.Arrays.toString(failed.getInvalidAddresses())).append(')');
        }
        Throwable cause = e.getCause();
        if (cause != null && cause != e) {
            text.append("; ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return text.toString().replaceAll("\\s+", " ");
    }
}
