package io.tandem.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentEvent;
import io.tandem.master.registry.Registry;
import io.tandem.master.registry.RegistryException;
import io.tandem.master.registry.RegistryState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.master.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acknowledged means stored: answers wait for the registry write that holds their change. */
class MasterLoopDurabilityTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final ScriptedRegistry registry = new ScriptedRegistry();
    private final List<RegistryException> failures = new CopyOnWriteArrayList<>();
    private LoopDriver driver;
    private Registrar registrar;

    @BeforeEach
    void recover() {
        driver = new LoopDriver(LoopDriver.config(dir));
        registrar = new Registrar(registry, RegistryState.empty(), failures::add);
        driver.loop.recover(RegistryState.empty(), registrar).join();
    }

    @AfterEach
    void close() {
        registry.release.countDown();
        driver.close();
        registrar.close();
    }

    private static Call weights(String role, double weight) {
        return Call.newBuilder().setType(Call.Type.UPDATE_WEIGHTS).setUpdateWeights(Call.UpdateWeights.newBuilder()
                .addWeightInfos(Protos.WeightInfo.newBuilder().setRole(role).setWeight(weight))).build();
    }

    private CompletableFuture<io.tandem.model.AgentId> subscribeAgent(String hostname, RecordingSink<AgentEvent> sink) {
        AgentAdmission admission = AgentAdmission.of(new AgentCall.Subscribe(
                Protobufs.agentInfo(hostname, "cpus:2;mem:1024"), List.of(), List.of(), List.of()), LoopDriver.AGENT_IP);
        return driver.loop.subscribeAgent(admission, sink, "stream-" + hostname);
    }

    @Test
    void operatorCallIsRefusedWith503WhenTheRegistryCannotBeWritten() {
        registry.failWith("disk full");

        CompletableFuture<CallResult> answer = driver.loop.operatorCall(weights("prod", 2.0));

        assertThatThrownBy(() -> HttpReplies.await(answer))
                .isInstanceOfSatisfying(HttpReplies.LoopUnavailableException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.getMessage()).contains("registry could not be written", "disk full");
                });
        assertThat(failures).singleElement().satisfies(e -> assertThat(e.getMessage()).contains("disk full"));
        assertThat(registry.stored).isEmpty();
    }

    @Test
    void operatorCallIsAnsweredOnlyOnceTheRegistryHoldsIt() throws Exception {
        registry.hold();

        CompletableFuture<CallResult> answer = driver.loop.operatorCall(weights("prod", 2.0));
        assertThat(registry.writing.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(answer).isNotDone();

        registry.release.countDown();
        assertThat(answer.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(registry.stored).last().satisfies(state -> assertThat(state.weights()).containsEntry("prod", 2.0));
    }

    @Test
    void agentIsAdmittedOnlyOnceTheRegistryHoldsIt() throws Exception {
        registry.hold();
        RecordingSink<AgentEvent> sink = new RecordingSink<>();

        CompletableFuture<io.tandem.model.AgentId> admitted = subscribeAgent("host-1", sink);
        assertThat(registry.writing.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(admitted).isNotDone();

        registry.release.countDown();
        io.tandem.model.AgentId id = admitted.get(30, TimeUnit.SECONDS);
        assertThat(registry.stored).last().satisfies(state -> assertThat(state.agents())
                .extracting(RegistryState.AgentEntry::id).containsExactly(id.value()));
    }

    @Test
    void agentSubscriptionFailsWhenTheRegistryCannotBeWritten() {
        registry.failWith("znode too large");

        CompletableFuture<io.tandem.model.AgentId> admitted = subscribeAgent("host-1", new RecordingSink<>());

        await().atMost(WAIT).until(admitted::isDone);
        assertThat(admitted).isCompletedExceptionally();
        assertThat(NotDurableException.in(admitted.handle((id, e) -> e).join())).isNotNull()
                .satisfies(e -> assertThat(e.getMessage()).contains("znode too large"));
    }

    @Test
    void agentsSubscribingTogetherShareOneWrite() throws Exception {
        registry.hold();
        CompletableFuture<io.tandem.model.AgentId> first = subscribeAgent("host-1", new RecordingSink<>());
        assertThat(registry.writing.await(30, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<io.tandem.model.AgentId>> more = List.of(subscribeAgent("host-2", new RecordingSink<>()),
                subscribeAgent("host-3", new RecordingSink<>()), subscribeAgent("host-4", new RecordingSink<>()));
        // Twice: the first pass runs the subscriptions, whose durability flush may be queued behind it.
        driver.flush();
        driver.flush();

        registry.release.countDown();
        CompletableFuture.allOf(more.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        first.get(30, TimeUnit.SECONDS);

        // One write for the first agent, one for the three that came while it was being written.
        assertThat(registry.stored).hasSize(2);
        assertThat(registry.stored.get(1).agents()).hasSize(4);
    }

    /** A registry whose writes can be held until released, or fail. */
    private static final class ScriptedRegistry implements Registry {
        final List<RegistryState> stored = new CopyOnWriteArrayList<>();
        final CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(0);
        private volatile String failure;

        void hold() {
            release = new CountDownLatch(1);
        }

        void failWith(String reason) {
            failure = reason;
        }

        @Override
        public RegistryState load() {
            return RegistryState.empty();
        }

        @Override
        public void store(RegistryState state) throws RegistryException {
            writing.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new RegistryException("the test never released the write");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException("interrupted");
            }
            if (failure != null) {
                throw new RegistryException(failure);
            }
            stored.add(state);
        }

        @Override
        public String describe() {
            return "a scripted registry";
        }
    }
}
