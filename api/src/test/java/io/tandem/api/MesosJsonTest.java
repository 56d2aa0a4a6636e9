package io.tandem.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;

class MesosJsonTest {
    private static final Protos.Resource PORTS = Protos.Resource.newBuilder()
            .setName("ports").setType(Protos.Value.Type.RANGES)
            .setRanges(Protos.Value.Ranges.newBuilder()
                    .addRange(Protos.Value.Range.newBuilder().setBegin(31000).setEnd(31099)))
            .build();

    @Test
    void writesSixtyFourBitIntegersAsNumbersAsMesosDoes() {
        assertThat(MesosJson.print(PORTS))
                .isEqualTo("{\"name\":\"ports\",\"type\":\"RANGES\",\"ranges\":{\"range\":[{\"begin\":31000,\"end\":31099}]}}");
    }

    @Test
    void writesEnumsByNameDoublesAsNumbersAndBytesAsBase64() {
        Protos.TaskStatus status = Protos.TaskStatus.newBuilder()
                .setTaskId(Protos.TaskID.newBuilder().setValue("t1"))
                .setState(Protos.TaskState.TASK_RUNNING)
                .setTimestamp(1.5)
                .setUuid(ByteString.copyFrom(new byte[] {1, 2, 3}))
                .build();

        assertThat(MesosJson.print(status)).isEqualTo(
                "{\"task_id\":{\"value\":\"t1\"},\"state\":\"TASK_RUNNING\",\"timestamp\":1.5,\"uuid\":\"AQID\"}");
    }

    @Test
    void readsBackWhatItWritesAndAcceptsQuotedIntegers() {
        assertThat(MesosJson.parse(MesosJson.print(PORTS), Protos.Resource.newBuilder()).build()).isEqualTo(PORTS);
        assertThat(MesosJson.parse("{\"begin\":\"5\",\"end\":6}", Protos.Value.Range.newBuilder()).getBegin())
                .isEqualTo(5);
    }

    @Test
    void writesUnsignedSixtyFourBitValuesBeyondLongMaxUnsigned() {
        Protos.Value.Range range = Protos.Value.Range.newBuilder().setBegin(-1L).setEnd(-1L).build();

        assertThat(MesosJson.print(range)).contains("\"begin\":18446744073709551615");
    }

    @Test
    void malformedJsonNamesTheMessageType() {
        assertThatThrownBy(() -> MesosJson.parse("{\"type\":", Call.newBuilder()))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageStartingWith("malformed Call JSON");
    }
}
