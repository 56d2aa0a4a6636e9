package io.tandem.cli;

import io.tandem.agent.Agent;
import io.tandem.agent.MachineResources;
import io.tandem.master.Master;
import io.tandem.model.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tandem local}: a whole cluster on this machine, one master and N agents in one process,
 * each agent with its own work dir. Ctrl-C or SIGTERM stops everything, tasks included.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Run a master and N agents on this machine, for trying Tandem out and for development.")
final class LocalCommand implements Callable<Integer> {
    @Mixin
    MasterOptions master = new MasterOptions();

    @Mixin
    AgentOptions agent = new AgentOptions();

    @Option(names = "--agents", description = "How many agents (default: ${DEFAULT-VALUE}).")
    int agents = 3;

    @Option(names = "--work-dir", description = "Directory for the master's and agents' state (default: a new temporary directory).")
    Path workDir;

    @Option(names = "--log-level", description = "ERROR, WARN, INFO, DEBUG or TRACE (default: ${DEFAULT-VALUE}).")
    String logLevel = "INFO";

    @Override
    public Integer call() throws Exception {
        Logging.setLevel(logLevel);
        if (agents < 1) {
            throw new IllegalArgumentException("--agents must be at least 1, got " + agents);
        }
        agent.validate();
        Path root = workDir != null ? workDir : Files.createTempDirectory("tandem-local-");
        if (master.bindAddress.equals("0.0.0.0")) {
            master.bindAddress = "127.0.0.1";
        }
        Resources machine = MachineResources.detect(root);
        List<Agent> started = new ArrayList<>();
        try (Master running = Master.start(master.toConfig(root.resolve("master"), null), InstantSource.system())) {
            String url = running.url().toString().replaceAll("/$", "");
            for (int i = 0; i < agents; i++) {
                String share = agent.resources != null ? agent.resources : equalShare(machine, agents, i);
                started.add(Agent.start(agent.toBuilder(List.of(running.url()), root.resolve("agent-" + i))
                        .resources(share).port(0).bindHost(master.bindAddress).build(), InstantSource.system()));
                System.out.println("Agent " + (i + 1) + ": " + started.getLast().url() + "  " + share);
            }
            System.out.println("Tandem is running: a master and " + agents + " agents.");
            System.out.println("Master: " + url + "    work dir: " + root);
            System.out.println("Try:    bin/tandem run --master " + url + " --cpus 0.1 --mem 32 -- echo hello");
            Shutdown.awaitSignal();
            System.out.println("Stopping: killing tasks, then the agents and the master.");
        } finally {
            started.reversed().forEach(Agent::close);
        }
        return 0;
    }

    /**
     * Agent {@code i}'s n-th of the machine: scalars divided by n, and the i-th of n contiguous
     * pieces of the port range, so that agents sharing one machine never hand out the same port.
     */
    static String equalShare(Resources machine, int n, int i) {
        double cpus = Math.floor(machine.scalar("cpus") * 1000 / n) / 1000;
        long mem = (long) Math.floor(machine.scalar("mem") / n);
        long disk = (long) Math.floor(machine.scalar("disk") / n);
        StringBuilder spec = new StringBuilder(String.format(Locale.ROOT, "cpus:%s;mem:%d;disk:%d", cpus, mem, disk));
        var ports = machine.ranges("ports").ranges();
        if (!ports.isEmpty()) {
            long first = ports.getFirst().begin();
            long width = (ports.getLast().end() - first + 1) / n;
            if (width > 0) {
                long begin = first + width * i;
                spec.append(";ports:[").append(begin).append('-').append(begin + width - 1).append(']');
            }
        }
        return spec.toString();
    }
}
