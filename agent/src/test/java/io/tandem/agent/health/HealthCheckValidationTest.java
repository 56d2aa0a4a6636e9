package io.tandem.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.junit.jupiter.api.Test;

class HealthCheckValidationTest {

    private static HealthCheck.Builder command(String value) {
        return HealthCheck.newBuilder().setType(HealthCheck.Type.COMMAND).setCommand(CommandInfo.newBuilder().setValue(value));
    }

    @Test
    void acceptsACommandCheckWithTheProtobufDefaults() {
        assertThat(HealthCheckValidation.problem(command("true").build())).isEmpty();
    }

    @Test
    void refusesANegativeIntervalNamingTheField() {
        assertThat(HealthCheckValidation.problem(command("true").setIntervalSeconds(-1).build()))
                .hasValue("interval_seconds must be a non-negative number, not -1.0");
    }

    @Test
    void refusesANotANumberTimeout() {
        assertThat(HealthCheckValidation.problem(command("true").setTimeoutSeconds(Double.NaN).build()))
                .hasValue("timeout_seconds must be a non-negative number, not NaN");
    }

    @Test
    void refusesACommandCheckWithoutACommand() {
        assertThat(HealthCheckValidation.problem(HealthCheck.newBuilder().setType(HealthCheck.Type.COMMAND).build()))
                .hasValue("a COMMAND health check needs 'command'");
    }

    @Test
    void refusesACheckWithoutAType() {
        assertThat(HealthCheckValidation.problem(HealthCheck.newBuilder().build()))
                .hasValue("health check type is missing: expected COMMAND, HTTP or TCP");
    }

    @Test
    void refusesAnHttpCheckWithARelativePathOrAnOddScheme() {
        HealthCheck.Builder http = HealthCheck.newBuilder().setType(HealthCheck.Type.HTTP);
        assertThat(HealthCheckValidation.problem(http.setHttp(HealthCheck.HTTPCheckInfo.newBuilder()
                .setPort(80).setPath("health")).build())).hasValue(
                "the HTTP health check's path must start with '/', not 'health'");
        assertThat(HealthCheckValidation.problem(http.setHttp(HealthCheck.HTTPCheckInfo.newBuilder()
                .setPort(80).setScheme("ftp")).build())).hasValue(
                "the HTTP health check's scheme must be 'http' or 'https', not 'ftp'");
    }

    @Test
    void refusesATcpCheckOnPortZero() {
        assertThat(HealthCheckValidation.problem(HealthCheck.newBuilder().setType(HealthCheck.Type.TCP)
                .setTcp(HealthCheck.TCPCheckInfo.newBuilder().setPort(0)).build()))
                .hasValue("the health check's port must be between 1 and 65535, not 0");
    }
}
