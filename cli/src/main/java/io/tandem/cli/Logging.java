package io.tandem.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Sets the log level that {@code --log-level} names; the format lives in logback.xml. */
final class Logging {
    private Logging() {}

    static void setLevel(String name) {
        Level level = Level.toLevel(name, null);
        if (level == null) {
            throw new IllegalArgumentException(
                    "unknown log level '" + name + "'; use one of ERROR, WARN, INFO, DEBUG, TRACE");
        }
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(level);
    }
}
