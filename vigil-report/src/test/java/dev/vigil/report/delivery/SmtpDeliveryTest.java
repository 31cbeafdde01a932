package dev.vigil.report.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.report.build.RenderedReport;
import dev.vigil.report.pdf.PdfReport;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SmtpDeliveryTest {
    private static final Delivery.Context CONTEXT = new Delivery.Context("acme", "weekly-soc", "monday-soc",
            Instant.parse("2026-11-30T08:00:00Z"), Map.of("period", "7d"));
    private static final String PASSWORD = "correct horse battery staple";
    private static RenderedReport pdf;

    private SmtpSink sink;

    @BeforeAll
    static void renderTheReport() {
        byte[] bytes = PdfReport.render("""
                <html xmlns="http://www.w3.org/1999/xhtml"><head><title>Weekly SOC report</title></head>
                <body><h1>Weekly SOC report</h1><p>Alerts: 1,204. Incidents: 17.</p></body></html>""");
        pdf = new RenderedReport("Weekly SOC report — acme", "weekly-soc-acme-2026-11-30.pdf", "application/pdf",
                bytes);
    }

    @AfterEach
    void stop() throws Exception {
        if (sink != null) {
            sink.close();
        }
    }

    private Destination.Email email(String user, String passwordVariable, boolean startTls) {
        return new Destination.Email("127.0.0.1", sink.port(), startTls, user, passwordVariable,
                "vigil@example.com", List.of("ciso@example.com", "soc-leads@example.com"));
    }

    private static MimeMessage parse(SmtpSink.Received received) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(received.data().getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void aPdfReportArrivesAsAnAttachmentWithTheSameBytes() throws Exception {
        sink = new SmtpSink("vigil", PASSWORD);
        DeliveryResult result = new SmtpDelivery(email("vigil", "VIGIL_SMTP_PASSWORD", false),
                Map.of("VIGIL_SMTP_PASSWORD", PASSWORD)::get).deliver(pdf, CONTEXT);

        assertThat(result.delivered()).as(result.detail()).isTrue();
        assertThat(result.detail()).isEqualTo("sent to 2 recipients as weekly-soc-acme-2026-11-30.pdf");
        SmtpSink.Received received = sink.received().getFirst();
        assertThat(received.user()).isEqualTo("vigil");
        assertThat(received.from()).isEqualTo("vigil@example.com");
        assertThat(received.to()).containsExactly("ciso@example.com", "soc-leads@example.com");

        MimeMessage message = parse(received);
        assertThat(message.getSubject()).isEqualTo("Weekly SOC report — acme");
        assertThat(message.getFrom()).containsExactly(new InternetAddress("vigil@example.com"));
        Multipart parts = (Multipart) message.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        // a text part travels with CRLF line ends
        assertThat(((String) parts.getBodyPart(0).getContent()).replace("\r\n", "\n")).isEqualTo("""
                Weekly SOC report — acme

                Period: 7d, up to 2026-11-30 08:00 UTC
                Tenant: acme
                The report is attached: weekly-soc-acme-2026-11-30.pdf.

                Sent by Vigil for the report schedule 'monday-soc'.
                """);
        Part attachment = parts.getBodyPart(1);
        assertThat(attachment.getDisposition()).isEqualTo(Part.ATTACHMENT);
        assertThat(attachment.getFileName()).isEqualTo("weekly-soc-acme-2026-11-30.pdf");
        assertThat(attachment.getContentType()).startsWith("application/pdf");
        assertThat(attachment.getInputStream().readAllBytes()).isEqualTo(pdf.bytes());
    }

    @Test
    void thePasswordNeverAppearsInWhatTheDeliverySaysOrTheSinkLogged() throws Exception {
        sink = new SmtpSink("vigil", PASSWORD);
        DeliveryResult result = new SmtpDelivery(email("vigil", "VIGIL_SMTP_PASSWORD", false),
                Map.of("VIGIL_SMTP_PASSWORD", PASSWORD)::get).deliver(pdf, CONTEXT);

        assertThat(result.toString()).doesNotContain(PASSWORD);
        assertThat(sink.commands()).contains("AUTH PLAIN ****").noneMatch(c -> c.contains(PASSWORD));
    }

    @Test
    void aMissingPasswordVariableSendsNothingAndNamesTheVariable() throws Exception {
        sink = new SmtpSink("vigil", PASSWORD);
        DeliveryResult result = new SmtpDelivery(email("vigil", "VIGIL_SMTP_PASSWORD", false), Map.<String, String>of()
                ::get).deliver(pdf, CONTEXT);

        assertThat(result.delivered()).isFalse();
        assertThat(result.detail()).startsWith("not sent: $VIGIL_SMTP_PASSWORD is not set");
        assertThat(sink.received()).isEmpty();
    }

    @Test
    void aWrongPasswordIsAFailureWithTheServersAnswer() throws Exception {
        sink = new SmtpSink("vigil", PASSWORD);
        DeliveryResult result = new SmtpDelivery(email("vigil", "VIGIL_SMTP_PASSWORD", false),
                Map.of("VIGIL_SMTP_PASSWORD", "wrong")::get).deliver(pdf, CONTEXT);

        assertThat(result.delivered()).isFalse();
        assertThat(result.detail()).startsWith("not sent: ").contains("535");
        assertThat(sink.received()).isEmpty();
    }

    @Test
    void requiredStartTlsIsNeverSilentlySkipped() throws Exception {
        sink = new SmtpSink(null, null); // offers no STARTTLS
        DeliveryResult result = new SmtpDelivery(email("", "", true), Map.<String, String>of()::get)
                .deliver(pdf, CONTEXT);

        assertThat(result.delivered()).isFalse();
        assertThat(result.detail()).containsIgnoringCase("STARTTLS");
        assertThat(sink.received()).isEmpty();
    }

    @Test
    void withoutAUserNoLoginIsTried() throws Exception {
        sink = new SmtpSink(null, null);
        DeliveryResult result = new SmtpDelivery(email("", "", false), Map.<String, String>of()::get)
                .deliver(pdf, CONTEXT);

        assertThat(result.delivered()).as(result.detail()).isTrue();
        assertThat(sink.commands()).noneMatch(c -> c.startsWith("AUTH"));
        assertThat(sink.received().getFirst().user()).isEmpty();
    }

    @Test
    void aDotAtTheStartOfALineSurvivesTheTrip() throws Exception {
        sink = new SmtpSink(null, null);
        RenderedReport markdown = new RenderedReport("Notes", "notes.md", "text/markdown",
                "first\n.hidden line\n.\nlast\n".getBytes(StandardCharsets.UTF_8));
        new SmtpDelivery(email("", "", false), Map.<String, String>of()::get).deliver(markdown, CONTEXT);

        Multipart parts = (Multipart) parse(sink.received().getFirst()).getContent();
        assertThat(new String(parts.getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("first\n.hidden line\n.\nlast\n");
    }
}
