package io.tandem.bench;

import io.tandem.api.ZooKeeperUrl;
import io.tandem.master.ha.HighAvailability;
import io.tandem.sdk.ZooKeeperMasterDetector;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * Measures a master failover: a ZooKeeper server in this JVM, three {@code bin/tandem master --zk}
 * processes, N simulated agents ({@link SimulatedAgents}) subscribed to the leader; then the leading
 * master is killed with SIGKILL by its PID and this prints how long until a new leader serves
 * (answers GET_HEALTH with 200) and until every agent has re-registered with it. Not run by the tests.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.tandem.bench.FailoverBench [agents=1000] [sessionTimeout=10s] [rounds=3]
 * </pre>
 */
public final class FailoverBench {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    private FailoverBench() {}

    public static void main(String[] args) throws Exception {
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        Duration session = args.length > 1 ? Duration.ofSeconds(Long.parseLong(args[1].replace("s", ""))) : Duration.ofSeconds(10);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path home = Path.of(System.getProperty("tandem.home", ".")).toAbsolutePath();
        Path work = Files.createTempDirectory("tandem-failover-bench-");
        List<Process> masters = new ArrayList<>();
        try (TestingServer zookeeper = new TestingServer(new InstanceSpec(work.resolve("zk").toFile(), -1, -1, -1,
                true, -1, (int) HighAvailability.ZOOKEEPER_TICK.toMillis(), -1,
                HighAvailability.zooKeeperServerSettings()), true)) {
            ZooKeeperUrl zk = ZooKeeperUrl.parse("zk://" + zookeeper.getConnectString() + "/tandem");
            List<URI> urls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                startMaster(home, work, zk, session, i, masters, urls);
            }
            try (ZooKeeperMasterDetector detector = ZooKeeperMasterDetector.connect(zk);
                 SimulatedAgents simulated = new SimulatedAgents(agents, detector)) {
                URI leader = awaitLeader(detector, Optional.empty());
                simulated.start();
                simulated.awaitSubscribed(leader, Duration.ofMinutes(5));
                System.out.printf("%d agents subscribed to %s; ZooKeeper session timeout %ds%n", agents, leader,
                        session.toSeconds());
                for (int round = 1; round <= rounds; round++) {
                    leader = round(round, home, work, zk, session, detector, simulated, masters, urls, leader);
                }
            }
        } finally {
            masters.forEach(Process::destroyForcibly);
        }
    }

    private static URI round(int round, Path home, Path work, ZooKeeperUrl zk, Duration session,
                             ZooKeeperMasterDetector detector, SimulatedAgents simulated, List<Process> masters,
                             List<URI> urls, URI leader) throws Exception {
        int index = urls.indexOf(leader);
        Process victim = masters.get(index);
        long killed = System.nanoTime();
        victim.destroyForcibly();   // SIGKILL to its PID
        victim.waitFor();
        URI next = awaitLeader(detector, Optional.of(leader));
        long serving = 0;
        long firstAgent = 0;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        while (serving == 0 || firstAgent == 0) {
            if (serving == 0 && healthy(client, next)) {
                serving = System.nanoTime();
            }
            if (firstAgent == 0 && simulated.subscribedTo(next) > 0) {
                firstAgent = System.nanoTime();
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        simulated.awaitSubscribed(next, Duration.ofMinutes(5));
        long reregistered = System.nanoTime();
        System.out.printf("round %d: killed at %s, serving at %s (master logs in %s)%n", round,
                java.time.LocalTime.now().minusNanos(System.nanoTime() - killed),
                java.time.LocalTime.now().minusNanos(System.nanoTime() - serving), work);
        System.out.printf("round %d: killed %s (pid %d); new leader %s serving after %.2fs; first agent re-registered "
                        + "after %.2fs; all %d agents re-registered %.2fs after serving (%.2fs after the kill)%n", round,
                leader, victim.pid(), next, (serving - killed) / 1e9, (firstAgent - killed) / 1e9, simulated.size(),
                (reregistered - serving) / 1e9, (reregistered - killed) / 1e9);
        masters.remove(index);
        urls.remove(index);
        startMaster(home, work, zk, session, 10 + round, masters, urls);
        return next;
    }

    private static void startMaster(Path home, Path work, ZooKeeperUrl zk, Duration session, int i,
                                    List<Process> masters, List<URI> urls) throws IOException {
        Process master = new ProcessBuilder(home.resolve("bin/tandem").toString(), "master", "--port", "0",
                "--bind-address", "127.0.0.1", "--work-dir", work.resolve("master-" + i).toString(),
                "--zk", zk.toString(), "--quorum", "2", "--zk-session-timeout", session.toSeconds() + "s",
                "--agent-timeout", "60s", "--log-level", System.getProperty("tandem.bench.masterLogLevel", "WARN"))
                .redirectError(work.resolve("master-" + i + ".log").toFile()).start();
        masters.add(master);
        BufferedReader out = new BufferedReader(new InputStreamReader(master.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                urls.add(URI.create(m.group(1).replaceAll("/$", "")));
                return;
            }
        }
        throw new IOException("master " + i + " exited; see " + work.resolve("master-" + i + ".log"));
    }

    private static URI awaitLeader(ZooKeeperMasterDetector detector, Optional<URI> not) throws InterruptedException {
        while (true) {
            Optional<URI> leader = detector.leader();
            if (leader.isPresent() && !leader.equals(not)) {
                return leader.get();
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** Whether the leader answers an operator call with 200 (503 while it reads the registry). */
    private static boolean healthy(HttpClient client, URI leader) throws InterruptedException {
        HttpRequest health = HttpRequest.newBuilder(leader.resolve("/api/v1")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"GET_HEALTH\"}")).build();
        try {
            return client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;   // not up yet
        }
    }
}
