package io.tandem.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;

class CallSyntaxTest {
    private static final Protos.FrameworkID FW = Protobufs.frameworkId("f1");

    @Test
    void aCallWithoutAKnownTypeIsRefusedListingTheTypes() {
        assertThat(CallSyntax.check(Call.newBuilder().build())).hasValueSatisfying(m -> assertThat(m)
                .startsWith("Call type is missing or unknown").contains("SUBSCRIBE").contains("ACCEPT")
                .doesNotContain("SHUTDOWN"));
    }

    @Test
    void callsOtherThanSubscribeNeedAFrameworkId() {
        Call revive = Call.newBuilder().setType(Call.Type.REVIVE).build();

        assertThat(CallSyntax.check(revive)).hasValue("Expecting 'framework_id' to be present");
    }

    @Test
    void eachTypeNeedsItsBody() {
        Call accept = Call.newBuilder().setType(Call.Type.ACCEPT).setFrameworkId(FW).build();
        Call kill = Call.newBuilder().setType(Call.Type.KILL).setFrameworkId(FW).build();

        assertThat(CallSyntax.check(accept)).hasValue("Expecting 'accept' to be present");
        assertThat(CallSyntax.check(kill)).hasValue("Expecting 'kill' to be present");
    }

    @Test
    void unsupportedCallsAndOperationsAreNamed() {
        Call shutdown = Call.newBuilder().setType(Call.Type.SHUTDOWN).setFrameworkId(FW).build();
        Call create = Protobufs.accept(FW, java.util.List.of(Protobufs.offerId("o1"))).toBuilder()
                .setAccept(Call.Accept.newBuilder().addOfferIds(Protobufs.offerId("o1")).addOperations(
                        Protos.Offer.Operation.newBuilder().setType(Protos.Offer.Operation.Type.CREATE)))
                .build();
        Call group = create.toBuilder().setAccept(create.getAccept().toBuilder().setOperations(0,
                Protos.Offer.Operation.newBuilder().setType(Protos.Offer.Operation.Type.LAUNCH_GROUP))).build();

        assertThat(CallSyntax.check(shutdown)).hasValueSatisfying(m -> assertThat(m).contains("SHUTDOWN is not supported"));
        assertThat(CallSyntax.check(create))
                .hasValue("Operation CREATE is not supported by Tandem; only LAUNCH, RESERVE and UNRESERVE are");
        assertThat(CallSyntax.check(group)).hasValueSatisfying(m -> assertThat(m).contains("LAUNCH_GROUP"));
    }

    @Test
    void anAcknowledgementNeedsASixteenByteUuid() {
        Call ack = Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setFrameworkId(FW)
                .setAcknowledge(Call.Acknowledge.newBuilder().setTaskId(Protobufs.taskId("t"))
                        .setAgentId(Protobufs.agentId("a")).setUuid(ByteString.copyFromUtf8("short")))
                .build();

        assertThat(CallSyntax.check(ack)).hasValue("'acknowledge.uuid' must be a 16-byte UUID, got 5 bytes");
    }

    @Test
    void aValidSubscribePasses() {
        assertThat(CallSyntax.check(Protobufs.subscribe(Protobufs.framework("fw")))).isEmpty();
    }

    @Test
    void subscribeRefusesRolesThatDoNotMatchTheCapability() {
        FrameworkInfo rolesWithoutCapability = Protobufs.framework("fw").toBuilder().addRoles("a").build();
        FrameworkInfo badRole = Protobufs.framework("fw").toBuilder().setRole("no spaces").build();

        assertThat(CallSyntax.check(Protobufs.subscribe(rolesWithoutCapability)))
                .hasValueSatisfying(m -> assertThat(m).contains("MULTI_ROLE"));
        assertThat(CallSyntax.check(Protobufs.subscribe(badRole)))
                .hasValueSatisfying(m -> assertThat(m).contains("Role 'no spaces' is invalid"));
    }

    @Test
    void subscribeRefusesAFrameworkIdThatDiffersFromTheInfos() {
        Call call = Protobufs.subscribe(Protobufs.framework("fw")).toBuilder().setFrameworkId(FW).build();

        assertThat(CallSyntax.check(call)).hasValue("'framework_id' differs from 'subscribe.framework_info.id'");
    }

    @Test
    void subscribeRefusesANegativeFailoverTimeout() {
        assertThat(CallSyntax.check(Protobufs.subscribe(Protobufs.withFailover(Protobufs.framework("fw"), -1))))
                .hasValueSatisfying(m -> assertThat(m).contains("failover_timeout"));
    }
}
