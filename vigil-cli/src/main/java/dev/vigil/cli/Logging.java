package dev.vigil.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import ch.qos.logback.core.encoder.Encoder;
import dev.vigil.config.VigilConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Structured logging to {@code <data>/logs/vigil.log}, rolled at 10 MB with five old files kept: one JSON object
 * per line by default (level, logger, message, key-value pairs, exception), or text. The terminal is for the user and gets no log lines; errors reach it through
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
        // Rolled at 10 MB, five old files kept: a long-running ingest cannot fill the disk with its log.
        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(context);
        file.setName("file");
        file.setFile(directory.resolve("vigil.log").toString());
        file.setAppend(true);
        file.setEncoder(encoder);
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(file);
        rolling.setFileNamePattern(directory.resolve("vigil.%i.log").toString());
        rolling.setMinIndex(1);
        rolling.setMaxIndex(5);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(FileSize.valueOf("10MB"));
        trigger.start();
        file.setRollingPolicy(rolling);
        file.setTriggeringPolicy(trigger);
        file.start();
        root.addAppender(file);
        configured = true;
    }

    static boolean isConfigured() {
        return configured;
    }
}
