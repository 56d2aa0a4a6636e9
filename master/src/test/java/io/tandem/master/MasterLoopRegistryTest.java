package io.tandem.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.api.MesosJson;
import io.tandem.master.registry.FileRegistry;
import io.tandem.master.registry.RegistryState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new leader restoring the registry, and keeping it in step, on a hand-moved clock. */
class MasterLoopRegistryTest {
    private static final Duration REREGISTRATION = Duration.ofMinutes(2);
    private static final Protos.FrameworkInfo FRAMEWORK = Protobufs.withFailover(Protobufs.framework("fw"), 60)
            .toBuilder().setId(Protobufs.frameworkId("old-0000")).build();

    @TempDir
    Path dir;

    private LoopDriver driver;
    private FileRegistry registry;
    private Registrar registrar;

    @BeforeEach
    void recoverFromARegistryWithOneAgentAndOneFramework() {
        driver = new LoopDriver(LoopDriver.config(dir).withAgentRemoval(REREGISTRATION, java.util.Optional.empty()));
        registry = new FileRegistry(dir);
        RegistryState state = new RegistryState(RegistryState.FORMAT,
                List.of(new RegistryState.AgentEntry("old-S0", "host-0", List.of())),
                List.of(new RegistryState.FrameworkEntry("old-0000", MesosJson.print(FRAMEWORK))),
                Map.of("prod", 3.0), Map.of(), List.of("gone-S9"));
        registrar = new Registrar(registry, state, e -> { });
        driver.loop.recover(state, registrar).join();
    }

    @AfterEach
    void close() {
        driver.close();
        registrar.close();
    }

    private static Call reconcileOn(Protos.FrameworkID framework, String task, String agent) {
        return Call.newBuilder().setType(Call.Type.RECONCILE).setFrameworkId(framework)
                .setReconcile(Call.Reconcile.newBuilder().addTasks(Call.Reconcile.Task.newBuilder()
                        .setTaskId(Protobufs.taskId(task)).setAgentId(Protobufs.agentId(agent))))
                .build();
    }

    @Test
    void frameworkFromTheRegistryResubscribesWithItsIdAndWeightsAreBack() {
        LoopDriver.Scheduler scheduler = driver.subscribe(FRAMEWORK);

        assertThat(scheduler.id().getValue()).isEqualTo("old-0000");
        assertThat(driver.allocator.weight("prod")).isEqualTo(3.0);
    }

    @Test
    void taskOnAnAgentNotBackYetGetsNoAnswerUntilTheAgentIsBack() {
        LoopDriver.Scheduler scheduler = driver.subscribe(FRAMEWORK);

        driver.call(scheduler, reconcileOn(scheduler.id(), "t1", "old-S0"));
        assertThat(scheduler.updates()).isEmpty();

        driver.agent(Protobufs.agentInfo("host-0", "cpus:2;mem:1024").toBuilder()
                .setId(Protobufs.agentId("old-S0")).build(), List.of(), List.of());
        driver.call(scheduler, reconcileOn(scheduler.id(), "t1", "old-S0"));
        assertThat(scheduler.updates()).singleElement()
                .satisfies(s -> assertThat(s.getState()).isEqualTo(Protos.TaskState.TASK_LOST));
    }

    @Test
    void agentsNotBackWithinTheReregistrationTimeoutAreGivenUp() {
        LoopDriver.Scheduler scheduler = driver.subscribe(FRAMEWORK);

        driver.advance(REREGISTRATION.plusSeconds(1));
        driver.call(scheduler, reconcileOn(scheduler.id(), "t1", "old-S0"));

        assertThat(scheduler.updates()).singleElement()
                .satisfies(s -> assertThat(s.getState()).isEqualTo(Protos.TaskState.TASK_LOST));
    }

    @Test
    void registryFollowsTheMasterOnTheNextTick() throws Exception {
        driver.subscribe(Protobufs.framework("newcomer"));
        driver.advance(Duration.ofMillis(100));

        // The write happens on the registrar's own thread.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            RegistryState written = registry.load();
            assertThat(written.frameworks()).extracting(RegistryState.FrameworkEntry::info)
                    .anySatisfy(info -> assertThat(info).contains("newcomer"))
                    .anySatisfy(info -> assertThat(info).contains("\"fw\""));
            assertThat(written.agents()).extracting(RegistryState.AgentEntry::id).containsExactly("old-S0");
            assertThat(written.weights()).containsEntry("prod", 3.0);
            assertThat(written.goneAgents()).containsExactly("gone-S9");
        });
    }

    @Test
    void agentAnOperatorMarkedGoneBeforeTheFailoverIsStillRefused() {
        RecordingSink<io.tandem.api.agent.AgentEvent> stream = new RecordingSink<>();
        var admission = AgentAdmission.of(new io.tandem.api.agent.AgentCall.Subscribe(
                Protobufs.agentInfo("host-9", "cpus:1;mem:128").toBuilder().setId(Protobufs.agentId("gone-S9")).build(),
                List.of(), List.of(), List.of()), LoopDriver.AGENT_IP);

        assertThat(driver.loop.subscribeAgent(admission, stream, "s9").join()).isNull();
        assertThat(stream.isClosed()).isTrue();
        assertThat(driver.snapshot().agents()).isEmpty();
    }
}
