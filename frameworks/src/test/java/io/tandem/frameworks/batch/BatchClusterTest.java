package io.tandem.frameworks.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tandem.testkit.InProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch framework end to end: a real master, two real agents, tasks as real processes. */
class BatchClusterTest {
    private static InProcessCluster cluster;
    private BatchService batch;
    private BatchClient client;

    @TempDir
    Path shared;

    @BeforeAll
    static void startCluster() {
        cluster = InProcessCluster.builder().agents(2)
                .agentResources("cpus:2;mem:1024;disk:1024;ports:[31000-31099]").start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void startBatch() {
        batch = BatchService.start(new BatchService.Config(List.of(cluster.masterUrl().toString()), "batch",
                "127.0.0.1", 0), InstantSource.system());
        client = new BatchClient(batch.url());
    }

    @AfterEach
    void stopBatch() {
        client.close();
        batch.close();
        // The teardown kills what still runs; wait until the master holds nothing of it.
        await("the batch framework's tasks are gone").atMost(Duration.ofSeconds(30))
                .until(() -> cluster.operator().tasks().getTasksCount() == 0);
    }

    @Test
    void aDagRunsStagesInOrderAndRetriesAFailedTaskOnAnotherAgent() throws Exception {
        JobStatus started = client.submit("""
                name: dag
                stages:
                  - name: prepare
                    count: 2
                    command: touch %1$s/prepare-$TANDEM_TASK_INDEX
                    resources: {cpus: 0.1, mem: 32}
                  - name: flaky
                    depends_on: [prepare]
                    command: test -f %1$s/prepare-0 && test -f %1$s/prepare-1 && test "$TANDEM_ATTEMPT" -ge 2 && touch %1$s/flaky
                    resources: {cpus: 0.1, mem: 32}
                    retries: 2
                    backoff: 200ms
                  - name: report
                    depends_on: [flaky]
                    command: test -f %1$s/flaky
                    resources: {cpus: 0.1, mem: 32}
                """.formatted(shared));

        JobStatus done = awaitEnd(started.id());

        assertThat(done.state()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.finished()).isEqualTo(4);
        assertThat(done.failures()).isEqualTo(1);
        JobStatus.TaskStatus flaky = task(done, "flaky-0");
        assertThat(flaky.attempts()).isEqualTo(2);
        assertThat(flaky.failedOn()).hasSize(1).doesNotContain(flaky.agentId());
    }

    @Test
    void aJobFailsAtMaxFailuresAndSaysWhy() throws Exception {
        JobStatus started = client.submit("""
                name: doomed
                max_failures: 2
                stages:
                  - {name: bad, command: exit 3, retries: 5, backoff: 100ms, resources: {cpus: 0.1, mem: 32}}
                """);

        JobStatus done = awaitEnd(started.id());

        assertThat(done.state()).isEqualTo("FAILED");
        assertThat(done.failures()).isEqualTo(2);
        assertThat(done.outcome()).contains("2 failed attempts reached max_failures 2").contains("status 3");
    }

    @Test
    void aTaskPastItsTimeoutIsKilledAndFailsTheJob() throws Exception {
        JobStatus started = client.submit("""
                name: slow
                stages:
                  - {name: sleeper, command: sleep 600, timeout: 500ms, resources: {cpus: 0.1, mem: 32}}
                """);

        JobStatus done = awaitEnd(started.id());

        assertThat(done.state()).isEqualTo("FAILED");
        assertThat(done.outcome()).contains("sleeper-0").contains("timed out after 500ms");
    }

    @Test
    void jobsThatCanNeverRunAreRefusedWithTheReason() {
        assertThatThrownBy(() -> client.submit("""
                name: huge
                stages:
                  - {name: big, command: "true", resources: {cpus: 64, mem: 32}}
                """)).isInstanceOf(io.tandem.frameworks.common.SchedulerRefusal.class)
                .hasMessageContaining("stages[0] (big): resources cpus:64;mem:32 fit no agent; the largest has cpus:2");
        assertThatThrownBy(() -> client.submit("""
                name: picky
                stages:
                  - {name: r9, command: "true", constraints: ["rack:IS:r9"], resources: {cpus: 1, mem: 32}}
                """)).hasMessageContaining("stages[0] (r9): no agent meets constraints [rack:IS:r9]");
        assertThatThrownBy(() -> client.submit("""
                name: spread
                stages:
                  - {name: s, count: 3, command: "true", constraints: ["hostname:UNIQUE"], resources: {cpus: 1, mem: 32}}
                """)).hasMessageContaining("count 3 can never be placed under hostname:UNIQUE");
        assertThatThrownBy(() -> client.submit("""
                name: typo
                stages:
                  - {name: s, comand: "true", resources: {cpus: 1, mem: 32}}
                """)).hasMessageContaining("line 3: stages[0].comand: unknown field");
        assertThat(batch.scheduler().jobs()).isEmpty();
    }

    private JobStatus awaitEnd(String id) {
        return await("job " + id + " ends").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.status(id), JobStatus::ended);
    }

    private static JobStatus.TaskStatus task(JobStatus status, String name) {
        return status.tasks().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }
}
