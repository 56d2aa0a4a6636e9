package io.tandem.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Drops the SDK log lines that {@code tandem run} replaces with its own clearer ones: the warning
 * repeated on every failed SUBSCRIBE ({@link RunMasterProbe} names the cause once instead) and the
 * error logged when the master refuses the framework (the run prints the refusal as its one line).
 * At {@code --log-level DEBUG} or finer nothing is dropped.
 */
final class RunLogFilter extends TurboFilter {
    /** The beginnings of the SDK's message formats that the run reports itself. */
    static final List<String> REPLACED = List.of("cannot subscribe to ", "master refused the framework");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format == null || !logger.getName().startsWith("io.tandem.sdk.")) {
            return FilterReply.NEUTRAL;
        }
        return REPLACED.stream().anyMatch(format::startsWith) ? FilterReply.DENY : FilterReply.NEUTRAL;
    }

    /** Installs the filter (once per JVM) unless {@code logLevel} asks for DEBUG or finer. */
    static void installFor(String logLevel) {
        if (!Level.toLevel(logLevel, Level.WARN).isGreaterOrEqual(Level.INFO)) {
            return;
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        if (context.getTurboFilterList().stream().noneMatch(RunLogFilter.class::isInstance)) {
            context.addTurboFilter(new RunLogFilter());
        }
    }
}
