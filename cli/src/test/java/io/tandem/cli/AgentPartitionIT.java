package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.sdk.OfferMatcher;
import io.tandem.sdk.Placement;
import io.tandem.sdk.ResourceNeeds;
import io.tandem.sdk.Scheduler;
import io.tandem.sdk.SchedulerCalls;
import io.tandem.sdk.SchedulerDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos: an agent process frozen with SIGSTOP past the master's agent timeout is marked unreachable
 * (a PARTITION_AWARE framework sees TASK_UNREACHABLE); thawed with SIGCONT it comes back and its
 * tasks, which ran on, are TASK_RUNNING again.
 */
class AgentPartitionIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<TandemProcess> processes = new ArrayList<>();
    private TandemProcess agent;
    private SchedulerDriver driver;

    @AfterEach
    void stopAll() throws Exception {
        if (agent != null) {
            signal("CONT", agent.pid());   // a stopped process would not act on SIGTERM
        }
        if (driver != null) {
            driver.close();
        }
        for (TandemProcess process : processes.reversed()) {
            process.close();
        }
    }

    @Test
    void frozenAgentsTasksAreUnreachableThenRunningAgainWhenItThaws() throws Exception {
        TandemProcess master = TandemProcess.start("master", "--port", "0", "--bind-address", "127.0.0.1",
                "--work-dir", dir.resolve("master").toString(), "--allocation-interval", "100ms",
                "--agent-report-interval", "500ms", "--agent-timeout", "4s");
        processes.add(master);
        String url = master.awaitStdout("listening on (http://\\S+)", START).replaceAll("/$", "");
        agent = TandemProcess.start("agent", "--master", url, "--port", "0", "--bind-address", "127.0.0.1",
                "--work-dir", dir.resolve("agent").toString(), "--resources", "cpus:2;mem:1024;disk:1024",
                "--isolation", "posix");
        processes.add(agent);
        agent.awaitStdout("(listening on .*)", START);
        List<TaskStatus> updates = new CopyOnWriteArrayList<>();
        driver = SchedulerDriver.builder().master(url).scheduler(new SleepScheduler(updates))
                .frameworkInfo(FrameworkInfo.newBuilder().setUser(System.getProperty("user.name", "nobody"))
                        .setName("partition").setFailoverTimeout(600)
                        .addCapabilities(FrameworkInfo.Capability.newBuilder()
                                .setType(FrameworkInfo.Capability.Type.PARTITION_AWARE)).build())
                .build();
        driver.start();
        await().atMost(START).until(() -> count(updates, TaskState.TASK_RUNNING) == 2);

        signal("STOP", agent.pid());
        await().atMost(START).until(() -> count(updates, TaskState.TASK_UNREACHABLE) == 2);
        signal("CONT", agent.pid());

        await().atMost(START).until(() -> runningAgainAfterUnreachable(updates) == 2);
        List<TaskState> states = updates.stream().map(TaskStatus::getState)
                .filter(s -> s != TaskState.TASK_STARTING).toList();
        assertThat(states).containsSubsequence(TaskState.TASK_RUNNING, TaskState.TASK_UNREACHABLE, TaskState.TASK_RUNNING);
        assertThat(states).doesNotContain(TaskState.TASK_LOST, TaskState.TASK_KILLED, TaskState.TASK_FAILED);
    }

    private static long count(List<TaskStatus> updates, TaskState state) {
        return updates.stream().filter(s -> s.getState() == state).map(s -> s.getTaskId().getValue() + "@" + s.getUuid())
                .distinct().count();
    }

    /** Tasks with a TASK_RUNNING after their TASK_UNREACHABLE. */
    private static long runningAgainAfterUnreachable(List<TaskStatus> updates) {
        List<TaskStatus> seen = List.copyOf(updates);
        return seen.stream().map(s -> s.getTaskId().getValue()).distinct().filter(task -> {
            int unreachable = -1;
            for (int i = 0; i < seen.size(); i++) {
                TaskStatus s = seen.get(i);
                if (!s.getTaskId().getValue().equals(task)) {
                    continue;
                }
                if (s.getState() == TaskState.TASK_UNREACHABLE) {
                    unreachable = i;
                } else if (s.getState() == TaskState.TASK_RUNNING && unreachable >= 0) {
                    return true;
                }
            }
            return false;
        }).count();
    }

    private static void signal(String name, long pid) throws Exception {
        new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor();
    }

    /** Launches two {@code sleep 600} tasks on the first offers; records every update. */
    private record SleepScheduler(List<TaskStatus> updates, AtomicBoolean launched) implements Scheduler {
        SleepScheduler(List<TaskStatus> updates) {
            this(updates, new AtomicBoolean());
        }

        @Override
        public void offers(SchedulerCalls driver, List<Offer> offers) {
            for (Offer offer : offers) {
                if (launched.get()) {
                    driver.decline(List.of(offer.getId()), null);
                    continue;
                }
                OfferMatcher matcher = OfferMatcher.of(offer);
                List<TaskInfo> tasks = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    Placement placement = matcher.take(new ResourceNeeds(0.1, 16, 0, 0));
                    tasks.add(TaskInfo.newBuilder().setName("sleeper-" + i).setTaskId(TaskID.newBuilder()
                                    .setValue("sleeper-" + i)).setAgentId(offer.getAgentId())
                            .addAllResources(placement.resources())
                            .setCommand(CommandInfo.newBuilder().setShell(true).setValue("sleep 600")).build());
                }
                launched.set(true);
                driver.launch(offer.getId(), tasks);
            }
        }

        @Override
        public void update(SchedulerCalls driver, TaskStatus status) {
            updates.add(status);
        }
    }
}
