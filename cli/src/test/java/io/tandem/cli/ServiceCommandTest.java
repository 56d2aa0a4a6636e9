package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.frameworks.service.ServiceClient;
import io.tandem.frameworks.service.ServiceConfig;
import io.tandem.frameworks.service.ServiceScheduler;
import io.tandem.testkit.InProcessCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tandem service deploy|scale|status|remove} against a real scheduler on a real in-process cluster. */
class ServiceCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Set<Long> pids = new HashSet<>();

    @AfterEach
    void killInstances() {
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    private int tandem(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void deployScaleStatusAndRemoveAnApp(@TempDir Path dir) throws Exception {
        Path app = Files.writeString(dir.resolve("sleeper.yaml"), """
                name: sleeper
                instances: 1
                command: echo $$ > pid; exec sleep 600
                resources: {cpus: 0.1, mem: 16}
                kill_grace_period: 1s
                """);
        try (InProcessCluster cluster = InProcessCluster.builder().agents(1).workDir(dir.resolve("cluster")).start()) {
            ServiceScheduler scheduler = ServiceScheduler.start(
                    ServiceConfig.defaults(cluster.masterUrl().toString(), dir.resolve("state")).withBind("127.0.0.1", 0));
            try {
                String url = scheduler.url().toString();
                ServiceClient client = new ServiceClient(scheduler.url());

                assertThat(tandem("service", "deploy", "--scheduler", url, app.toString())).isZero();
                assertThat(out.toString()).contains("deployed sleeper v1 (1 instance(s))");
                assertThat(tandem("service", "scale", "--scheduler", url, "sleeper", "2")).isZero();
                await("two instances running").atMost(Duration.ofSeconds(60))
                        .until(() -> client.status("sleeper").running() == 2);
                FrameworkID framework = FrameworkID.newBuilder().setValue(scheduler.frameworkId().orElseThrow()).build();
                for (var instance : client.status("sleeper").instances()) {
                    Path pid = cluster.sandbox(cluster.agentId(0), framework, TaskID.newBuilder().setValue(instance.taskId()).build())
                            .resolve("pid");
                    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pid) && !Files.readString(pid).isBlank());
                    pids.add(Long.parseLong(Files.readString(pid).strip()));
                }

                assertThat(tandem("service", "status", "--scheduler", url)).isZero();
                assertThat(out.toString()).contains("sleeper  v1  running  healthy 2/2").contains("  sleeper.v1.");

                assertThat(tandem("service", "remove", "--scheduler", url, "sleeper")).isZero();
                assertThat(out.toString()).contains("removed sleeper; killing 2 instance(s)");
                await("instances killed").atMost(Duration.ofSeconds(60))
                        .until(() -> pids.stream().noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)));
                assertThat(tandem("service", "status", "--scheduler", url, "sleeper")).isEqualTo(1);
                assertThat(err.toString()).contains("no app named 'sleeper'");
            } finally {
                scheduler.teardown();
            }
        }
    }

    @Test
    void badAppFileIsRefusedWithItsLineBeforeReachingTheScheduler(@TempDir Path dir) throws Exception {
        Path app = Files.writeString(dir.resolve("bad.yaml"), "name: bad\ncommand: x\nresources: {cpus: 1, mem: 1}\nreplicas: 2\n");

        int exit = tandem("service", "deploy", "--scheduler", "http://127.0.0.1:9", app.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("tandem service deploy: bad.yaml line 4: replicas: unknown field");
    }

    @Test
    void serveRefusesAZooKeeperUrlOfTheWrongForm(@TempDir Path dir) {
        int exit = tandem("service", "serve", "--master", "http://127.0.0.1:9", "--port", "0",
                "--state-dir", dir.toString(), "--zk", "http://127.0.0.1:2181/x");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("tandem service serve: --zk must look like zk://host:port/path, got 'http://127.0.0.1:2181/x'");
    }

    @Test
    void unreachableSchedulerIsNamed() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }

        int exit = tandem("service", "status", "--scheduler", "http://127.0.0.1:" + port);

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("cannot reach the service scheduler at http://127.0.0.1:" + port);
    }
}
