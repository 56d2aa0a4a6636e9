package io.tandem.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutorEnvironmentTest {

    @Test
    void readsWhatTheAgentSets() {
        ExecutorEnvironment env = ExecutorEnvironment.from(Map.of(
                "MESOS_FRAMEWORK_ID", "fw-1", "MESOS_EXECUTOR_ID", "ex-1", "MESOS_AGENT_ENDPOINT", "10.0.0.5:5051",
                "MESOS_CHECKPOINT", "1", "MESOS_RECOVERY_TIMEOUT", "15mins", "MESOS_SUBSCRIPTION_BACKOFF_MAX", "2secs",
                "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "5secs"));

        assertThat(env.frameworkId().getValue()).isEqualTo("fw-1");
        assertThat(env.executorId().getValue()).isEqualTo("ex-1");
        assertThat(env.agentEndpoint()).hasToString("http://10.0.0.5:5051/api/v1/executor");
        assertThat(env.checkpoint()).isTrue();
        assertThat(env.recoveryTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(env.subscriptionBackoffMax()).isEqualTo(Duration.ofSeconds(2));
        assertThat(env.shutdownGracePeriod()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void defaultsTheOptionalVariables() {
        ExecutorEnvironment env = ExecutorEnvironment.from(Map.of(
                "MESOS_FRAMEWORK_ID", "fw-1", "MESOS_EXECUTOR_ID", "ex-1", "MESOS_AGENT_ENDPOINT", "host:5051"));

        assertThat(env.checkpoint()).isFalse();
        assertThat(env.recoveryTimeout()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void parsesEveryMesosDurationUnit() {
        assertThat(ExecutorEnvironment.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(ExecutorEnvironment.parseDuration("1.5hrs")).isEqualTo(Duration.ofMinutes(90));
        assertThat(ExecutorEnvironment.parseDuration("10us")).isEqualTo(Duration.ofNanos(10_000));
        assertThat(ExecutorEnvironment.parseDuration("2weeks")).isEqualTo(Duration.ofDays(14));
    }

    @Test
    void namesTheVariableThatIsMissingOrMalformed() {
        assertThatThrownBy(() -> ExecutorEnvironment.from(Map.of("MESOS_FRAMEWORK_ID", "fw-1")))
                .hasMessageStartingWith("MESOS_EXECUTOR_ID is not set");
        assertThatThrownBy(() -> ExecutorEnvironment.from(Map.of("MESOS_FRAMEWORK_ID", "fw-1",
                "MESOS_EXECUTOR_ID", "ex-1", "MESOS_AGENT_ENDPOINT", "host:5051", "MESOS_RECOVERY_TIMEOUT", "soon")))
                .hasMessage("MESOS_RECOVERY_TIMEOUT: 'soon' is not a duration like 250ms, 5secs or 15mins");
        assertThatThrownBy(() -> ExecutorEnvironment.from(Map.of("MESOS_FRAMEWORK_ID", "fw-1",
                "MESOS_EXECUTOR_ID", "ex-1", "MESOS_AGENT_ENDPOINT", "host")))
                .hasMessageContaining("is not host:port");
    }
}
