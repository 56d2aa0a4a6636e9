package io.tandem.cli;

import io.tandem.agent.Agent;
import io.tandem.agent.MachineResources;
import io.tandem.master.Master;
import io.tandem.model.Resources;
import io.tandem.model.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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

    @Option(names = "--hostname", description = "Hostname the master and agents advertise (default: the bind address).")
    String hostname;

    @Option(names = "--log-level", description = "ERROR, WARN, INFO, DEBUG or TRACE (default: ${DEFAULT-VALUE}).")
    String logLevel = "INFO";

    @Option(names = "--demo", description = "Also start three frameworks sharing the cluster: a batch job, a service"
            + " of 3 HTTP servers and a gang of 4.")
    boolean demo;

    @Option(names = "--batch-port", description = "With --demo: the batch scheduler's HTTP port, any free one when taken"
            + " (default: ${DEFAULT-VALUE}).")
    int batchPort = 5060;

    @Override
    public Integer call() throws Exception {
        Logging.setLevel(logLevel);
        if (agents < 1) {
            throw new IllegalArgumentException("--agents must be at least 1, got " + agents);
        }
        agent.validate();
        Path root = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("tandem-local-");
        Resources machine = MachineResources.detect(root);
        Master running = Master.start(master.toConfig(root.resolve("master"), hostname, "127.0.0.1"), InstantSource.system());
        List<Agent> started = new ArrayList<>();
        try {
            String url = running.url().toString().replaceAll("/$", "");
            for (int i = 0; i < agents; i++) {
                String share = agent.resources != null ? slicePorts(agent.resources, agents, i) : equalShare(machine, agents, i);
                started.add(Agent.start(agent.toBuilder(List.of(running.url()), root.resolve("agent-" + i))
                        .resources(share).port(0).bindHost(master.bindAddressOr("127.0.0.1")).hostname(hostname).build(),
                        InstantSource.system()));
                System.out.println("Agent " + (i + 1) + ": " + started.getLast().url() + "  " + share);
            }
            System.out.println("Tandem is running: a master and " + agents + " agents.");
            System.out.println("Master: " + url + "    work dir: " + root);
            System.out.println("Try:    bin/tandem run --master " + url + " --cpus 0.1 --mem 32 -- echo hello");
            try (Demo frameworks = demo ? Demo.start(url, batchPort, root.resolve("services"), System.out) : null) {
                if (frameworks != null) {
                    System.out.println(frameworks.howToLook(url));
                }
                Shutdown.awaitSignal();
                System.out.println("Stopping: " + (demo ? "the demo's frameworks, " : "") + "killing tasks, then the agents and the master.");
            }
        } finally {
            // Agents first, so that the master is still there to pass their tasks' last updates on.
            started.reversed().forEach(Agent::close);
            running.close();
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
        portSlice(machine, n, i).ifPresent(slice -> spec.append(";ports:").append(slice));
        return spec.toString();
    }

    /**
     * The operator's SPEC for agent {@code i}, its unreserved ports cut like the machine's: agents on
     * one machine must not hand out the same port.
     */
    static String slicePorts(String spec, int n, int i) {
        Resources given = Resources.parse(spec);
        var slice = portSlice(given.unreserved(), n, i);
        if (slice.isEmpty()) {
            return spec;
        }
        Resources rest = given.filter(r -> !(r.name().equals("ports") && !r.isReserved()));
        return (rest.isEmpty() ? "" : rest + ";") + "ports:" + slice.get();
    }

    /** The i-th of n contiguous pieces of the span of {@code resources}' ports, as {@code [begin-end]}. */
    private static Optional<String> portSlice(Resources resources, int n, int i) {
        var ports = resources.ranges("ports").ranges();
        if (ports.isEmpty()) {
            return Optional.empty();
        }
        long first = ports.getFirst().begin();
        long width = (ports.getLast().end() - first + 1) / n;
        if (width == 0) {
            return Optional.empty();
        }
        long begin = first + width * i;
        long end = begin + width - 1;
        List<Value.Range> slice = ports.stream()
                .filter(r -> r.end() >= begin && r.begin() <= end)
                .map(r -> new Value.Range(Math.max(r.begin(), begin), Math.min(r.end(), end)))
                .toList();
        return slice.isEmpty() ? Optional.empty() : Optional.of(new Value.Ranges(slice).text());
    }
}
