package dev.qorb.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises a logger to WARN until {@link #restore()}: for tests that
 * build thousands of pools or run a million claims, whose INFO lines would drown the output
 * and slow the run.
 */
public final class QuietLogs {

    private final Logger logger;
    private final Level level;

    private QuietLogs(String name) {
        this.logger = (Logger) LoggerFactory.getLogger(name);
        this.level = logger.getLevel();
        logger.setLevel(Level.WARN);
    }

    /** Only warnings and errors from {@code name} and below until {@link #restore()}. */
    public static QuietLogs warnOnly(String name) {
        return new QuietLogs(name);
    }

    /** Sets the level the logger had before. */
    public void restore() {
        logger.setLevel(level);
    }
}
