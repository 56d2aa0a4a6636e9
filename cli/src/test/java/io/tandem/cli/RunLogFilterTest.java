package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

class RunLogFilterTest {
    private final LoggerContext context = new LoggerContext();
    private final RunLogFilter filter = new RunLogFilter();

    @Test
    void dropsTheSdkLinesTheRunReplaces() {
        Logger subscription = context.getLogger("io.tandem.sdk.SchedulerSubscription");
        Logger driver = context.getLogger("io.tandem.sdk.SchedulerDriver");

        assertThat(filter.decide(null, subscription, Level.WARN, "cannot subscribe to {}: {}", null, null))
                .isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(null, driver, Level.ERROR, "master refused the framework: {}", null, null))
                .isEqualTo(FilterReply.DENY);
    }

    @Test
    void keepsEveryOtherLine() {
        Logger subscription = context.getLogger("io.tandem.sdk.SchedulerSubscription");
        Logger other = context.getLogger("io.tandem.master.Master");

        assertThat(filter.decide(null, subscription, Level.WARN, "{} answered SUBSCRIBE with {}{}", null, null))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(null, other, Level.WARN, "cannot subscribe to {}: {}", null, null))
                .isEqualTo(FilterReply.NEUTRAL);
    }
}
