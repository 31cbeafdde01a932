package dev.vigil.report.pdf;

import com.openhtmltopdf.util.Diagnostic;
import com.openhtmltopdf.util.XRLogger;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends openhtmltopdf's log to SLF4J, as the rest of Vigil logs, instead of to java.util.logging on standard error.
 * Its chatter (timings, fonts loaded) goes to debug; its warnings (a CSS property it ignores, a missing glyph) stay
 * warnings, since they explain a PDF that does not look as its HTML does.
 */
final class Slf4jXrLogger implements XRLogger {
    private static final Logger LOG = LoggerFactory.getLogger("dev.vigil.report.pdf.openhtmltopdf");

    @Override
    public void log(String where, Level level, String message) {
        log(where, level, message, null);
    }

    @Override
    public void log(String where, Level level, String message, Throwable thrown) {
        int severity = level.intValue();
        if (severity >= Level.SEVERE.intValue()) {
            LOG.error("{}: {}", where, message, thrown);
        } else if (severity >= Level.WARNING.intValue()) {
            LOG.warn("{}: {}", where, message, thrown);
        } else {
            LOG.debug("{}: {}", where, message, thrown);
        }
    }

    @Override
    public void setLevel(String logger, Level level) {
        // the level is SLF4J's to decide
    }

    @Override
    public boolean isLogLevelEnabled(Diagnostic diagnostic) {
        int severity = diagnostic.getLevel().intValue();
        return severity >= Level.WARNING.intValue() ? LOG.isWarnEnabled() : LOG.isDebugEnabled();
    }
}
