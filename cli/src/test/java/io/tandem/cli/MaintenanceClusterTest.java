package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.api.ResourceMapping;
import io.tandem.model.Resources;
import io.tandem.sdk.Scheduler;
import io.tandem.sdk.SchedulerCalls;
import io.tandem.sdk.SchedulerDriver;
import io.tandem.testkit.InProcessCluster;
import io.tandem.testkit.RunningFramework;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.InverseOffer;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Maintenance on a whole in-process cluster (a real master and agent, a real task process): an SDK
 * framework answers the inverse offer for its agent, the operator uses {@code tandem maintenance} to see
 * the answer and bring the machine down (the task ends, the agent is turned away) and up again (the agent,
 * retrying on its own, registers again).
 */
class MaintenanceClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private InProcessCluster cluster;
    private SchedulerDriver driver;
    private final Draining scheduler = new Draining();

    /** Runs one long task, accepts every inverse offer, records what it hears. */
    static final class Draining implements Scheduler {
        final List<InverseOffer> inverseOffers = new CopyOnWriteArrayList<>();
        final List<TaskStatus> updates = new CopyOnWriteArrayList<>();
        private final AtomicBoolean launched = new AtomicBoolean();

        @Override
        public void offers(SchedulerCalls driver, List<Offer> offers) {
            for (Offer offer : offers) {
                if (launched.compareAndSet(false, true)) {
                    driver.launch(offer.getId(), List.of(TaskInfo.newBuilder().setName("long")
                            .setTaskId(TaskID.newBuilder().setValue("long")).setAgentId(offer.getAgentId())
                            .addAllResources(ResourceMapping.toMesos(Resources.parse("cpus:0.1;mem:32"), null))
                            .setCommand(CommandInfo.newBuilder().setValue("sleep 600")).build()));
                } else {
                    driver.decline(List.of(offer.getId()), null);
                }
            }
        }

        @Override
        public void inverseOffers(SchedulerCalls driver, List<InverseOffer> received) {
            inverseOffers.addAll(received);
            driver.acceptInverseOffers(received.stream().map(InverseOffer::getId).toList(), null);
        }

        @Override
        public void update(SchedulerCalls driver, TaskStatus status) {
            updates.add(status);
        }

        boolean reached(TaskState state) {
            return updates.stream().anyMatch(s -> s.getState() == state);
        }
    }

    @BeforeEach
    void start() {
        cluster = InProcessCluster.builder().agents(1).start();
        driver = SchedulerDriver.builder().master(cluster.masterUrl().toString())
                .frameworkInfo(RunningFramework.info("maintained")).scheduler(scheduler)
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build();
        driver.start();
    }

    @AfterEach
    void stop() {
        driver.close();
        cluster.close();
    }

    private String tandem(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        all[0] = "maintenance";
        all[1] = args[0];
        all[2] = "--master=" + cluster.masterUrl();
        System.arraycopy(args, 1, all, 3, args.length - 1);
        int exit = commandLine.execute(all);
        assertThat(exit).as("tandem maintenance %s: %s", args[0], err).isZero();
        return out.toString();
    }

    /** The agent's machine as the master knows it: its hostname and the IP it subscribed from. */
    private String machine() {
        var agent = cluster.operator().agents().getAgents(0);
        AgentInfo info = agent.getAgentInfo();
        String ip = agent.getPid().substring(agent.getPid().indexOf('@') + 1, agent.getPid().lastIndexOf(':'));
        return info.getHostname() + "=" + ip;
    }

    @Test
    void frameworkAcceptsTheInverseOfferAndTheMachineGoesDownAndComesBack() {
        await().atMost(WAIT).until(() -> scheduler.reached(TaskState.TASK_RUNNING));
        String machine = machine();

        tandem("schedule", "--machines", machine, "--start", "+1h", "--duration", "2h");

        await().atMost(WAIT).until(() -> !scheduler.inverseOffers.isEmpty());
        assertThat(scheduler.inverseOffers.getFirst().getAgentId()).isEqualTo(cluster.agentId(0));
        await().atMost(WAIT).until(() -> tandem("status").matches("(?s).*DRAINING\\s+\\S+\\s+ACCEPT.*"));

        tandem("start", machine);

        await().atMost(WAIT).until(() -> scheduler.reached(TaskState.TASK_LOST));
        assertThat(tandem("status")).containsPattern("DOWN");
        assertThat(cluster.operator().agents().getAgentsCount()).isZero();

        tandem("stop", machine);

        await().atMost(WAIT).until(() -> cluster.operator().agents().getAgentsCount() == 1);
        assertThat(tandem("status")).contains("(none)");
    }
}
