package dev.vigil.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.vigil.config.VigilConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Structured logging to {@code <data>/logs/vigil.log}: one JSON object per line by default (level, logger, message,
 * key-value pairs, exception), or text. The terminal is for the user and gets no log lines; errors reach it through
 * the command's own messages.
 */
final class Logging {
    private static volatile boolean configured;

    private Logging() {}

    static org.slf4j.Logger logger() {
        return LoggerFactory.getLogger("vigil");
    }

    static synchronized void configure(VigilConfig config) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(config.logLevel(), Level.INFO));
        Path directory = config.dataDirectory().resolve("logs");
        try {
            Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            return; // no log file, but the command still runs and reports to the terminal
        }
        Encoder<ILoggingEvent> encoder;
        if (config.logFormat().equals("json")) {
            JsonEncoder json = new JsonEncoder();
            json.setWithFormattedMessage(true);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            encoder = json;
        } else {
            PatternLayoutEncoder pattern = new PatternLayoutEncoder();
            pattern.setPattern("%d{ISO8601,UTC} %-5level [%thread] %logger{20} - %msg%n%ex");
            encoder = pattern;
        }
        encoder.setContext(context);
        encoder.start();
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(context);
        file.setName("file");
        file.setFile(directory.resolve("vigil.log").toString());
        file.setAppend(true);
        file.setEncoder(encoder);
        file.start();
        root.addAppender(file);
        configured = true;
    }

    static boolean isConfigured() {
        return configured;
    }
}
