package io.tandem.api.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.tandem.api.MalformedMessageException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

class AgentProtocolTest {

    @Test
    void subscribeCarriesMesosMessagesThroughJson() {
        Protos.AgentInfo info = Protos.AgentInfo.newBuilder().setHostname("h1").setPort(5051)
                .addResources(Protos.Resource.newBuilder().setName("cpus").setType(Protos.Value.Type.SCALAR)
                        .setScalar(Protos.Value.Scalar.newBuilder().setValue(4)))
                .build();
        AgentCall call = new AgentCall.Subscribe(info, List.of(), List.of(), List.of());

        AgentCall decoded = AgentProtocol.decodeCall(AgentProtocol.encode(call));

        assertThat(decoded).isEqualTo(call);
        assertThat(new String(AgentProtocol.encode(call), StandardCharsets.UTF_8))
                .contains("\"type\":\"SUBSCRIBE\"").contains("\"hostname\":\"h1\"");
    }

    @Test
    void bytesSurviveTheRoundTrip() {
        AgentEvent event = new AgentEvent.Acknowledge(
                Protos.FrameworkID.newBuilder().setValue("f").build(),
                Protos.TaskID.newBuilder().setValue("t").build(),
                ByteString.copyFrom(new byte[] {0, 1, (byte) 0xff}));

        assertThat(AgentProtocol.decodeEvent(AgentProtocol.encode(event))).isEqualTo(event);
    }

    @Test
    void reportCarriesTaskUsageAndAnOlderReportWithoutItStillReads() {
        AgentCall.Report report = new AgentCall.Report(List.of(), List.of(new AgentCall.TaskUsage(
                Protos.FrameworkID.newBuilder().setValue("f").build(), Protos.TaskID.newBuilder().setValue("t").build(),
                Protos.ResourceStatistics.newBuilder().setTimestamp(1.5).setCpusUserTimeSecs(0.25)
                        .setMemTotalBytes(4096).setProcesses(2).build())));

        assertThat(AgentProtocol.decodeCall(AgentProtocol.encode(report))).isEqualTo(report);
        assertThat(AgentProtocol.decodeCall("{\"type\":\"REPORT\",\"used\":[]}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new AgentCall.Report(List.of()));
    }

    @Test
    void reportCarriesExecutorsUsageAndAReportWithoutItReadsAsNone() {
        AgentCall.Report report = new AgentCall.Report(List.of(), List.of(), List.of(new AgentCall.ExecutorUsage(
                Protos.FrameworkID.newBuilder().setValue("f").build(), Protos.ExecutorID.newBuilder().setValue("e").build(),
                Protos.ResourceStatistics.newBuilder().setTimestamp(2.5).setMemRssBytes(8192).build())));

        assertThat(AgentProtocol.decodeCall(AgentProtocol.encode(report))).isEqualTo(report);
        assertThat(((AgentCall.Report) AgentProtocol.decodeCall("{\"type\":\"REPORT\",\"used\":[],\"usage\":[]}"
                .getBytes(StandardCharsets.UTF_8))).executors()).isEmpty();
    }

    @Test
    void updatesCarryTheirBatchInOrderAndTheSingleUpdateStillReads() {
        Protos.FrameworkID framework = Protos.FrameworkID.newBuilder().setValue("f").build();
        AgentCall.Update first = new AgentCall.Update(Protos.TaskStatus.newBuilder()
                .setTaskId(Protos.TaskID.newBuilder().setValue("t1")).setState(Protos.TaskState.TASK_RUNNING).build(), framework);
        AgentCall.Update second = new AgentCall.Update(Protos.TaskStatus.newBuilder()
                .setTaskId(Protos.TaskID.newBuilder().setValue("t2")).setState(Protos.TaskState.TASK_FINISHED).build(), framework);
        AgentCall.Updates batch = new AgentCall.Updates(List.of(first, second));

        AgentCall decoded = AgentProtocol.decodeCall(AgentProtocol.encode(batch));

        assertThat(decoded).isEqualTo(batch);
        assertThat(((AgentCall.Updates) decoded).updates()).extracting(u -> u.status().getTaskId().getValue())
                .containsExactly("t1", "t2");
        assertThat(new String(AgentProtocol.encode(batch), StandardCharsets.UTF_8)).contains("\"type\":\"UPDATES\"");
        assertThat(AgentProtocol.decodeCall(AgentProtocol.encode(first))).isEqualTo(first);
    }

    @Test
    void unknownTypeIsRefusedWithItsName() {
        assertThatThrownBy(() -> AgentProtocol.decodeCall("{\"type\":\"EXPLODE\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("EXPLODE");
    }
}
