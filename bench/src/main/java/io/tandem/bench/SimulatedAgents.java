package io.tandem.bench;

import io.tandem.api.RecordIo;
import io.tandem.api.ResourceMapping;
import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentEvent;
import io.tandem.api.agent.AgentProtocol;
import io.tandem.model.Resources;
import io.tandem.sdk.ZooKeeperMasterDetector;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;

/**
 * N agents that speak the Tandem agent protocol ({@code io.tandem.api.agent}) and nothing else: each
 * subscribes to the leader ZooKeeper names, reads its event stream, reports every second, and when
 * the stream ends subscribes again with its id (as a re-registration) after a randomised wait that
 * doubles, from 0.2 s up to 2 s, while no master accepts it.
 * Each agent runs on a virtual thread; they share a few HTTP clients.
 */
final class SimulatedAgents implements AutoCloseable {
    private static final Resources TOTAL = Resources.parse("cpus:8;mem:16384;disk:10000");
    private static final int CLIENTS = 16;
    private static final long MIN_BACKOFF_MILLIS = 200;
    private static final long MAX_BACKOFF_MILLIS = 2_000;

    private final int size;
    private final ZooKeeperMasterDetector detector;
    private final List<HttpClient> clients = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final URI[] subscribedTo;
    private volatile boolean closed;

    SimulatedAgents(int size, ZooKeeperMasterDetector detector) {
        this.size = size;
        this.detector = detector;
        this.subscribedTo = new URI[size];
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build());
        }
    }

    int size() {
        return size;
    }

    void start() {
        for (int i = 0; i < size; i++) {
            int index = i;
            threads.add(Thread.ofVirtual().name("simulated-agent-" + i).start(() -> run(index)));
        }
    }

    /** How many agents' live subscriptions are with {@code leader} now. */
    int subscribedTo(URI leader) {
        int with = 0;
        for (URI uri : subscribedTo) {
            with += leader.equals(uri) ? 1 : 0;
        }
        return with;
    }

    /** Waits until every agent's live subscription is with {@code leader}. */
    void awaitSubscribed(URI leader, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int with = 0;
            for (URI uri : subscribedTo) {
                with += leader.equals(uri) ? 1 : 0;
            }
            if (with == size) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(with + " of " + size + " agents subscribed to " + leader);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private void run(int index) {
        AgentInfo.Builder info = AgentInfo.newBuilder().setHostname("sim-" + index).setPort(1)
                .addAllResources(ResourceMapping.toMesos(TOTAL, null));
        HttpClient client = clients.get(index % CLIENTS);
        long backoff = MIN_BACKOFF_MILLIS;
        while (!closed) {
            Optional<URI> leader = detector.leader();
            if (leader.isPresent()) {
                try {
                    if (session(index, client, leader.get(), info)) {
                        backoff = MIN_BACKOFF_MILLIS;
                    }
                } catch (IOException | RuntimeException e) {
                    // the master went away; look for the next leader
                } catch (InterruptedException e) {
                    return;
                }
            }
            subscribedTo[index] = null;
            try {
                // As the real agent: a randomised wait that doubles while no master accepts the agent.
                TimeUnit.MILLISECONDS.sleep(backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    /** One subscription until its stream ends; whether the master accepted it. */
    private boolean session(int index, HttpClient client, URI leader, AgentInfo.Builder info)
            throws IOException, InterruptedException {
        URI endpoint = leader.resolve(AgentProtocol.PATH);
        byte[] subscribe = AgentProtocol.encode(new AgentCall.Subscribe(info.build(), List.of(), List.of(), List.of()));
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(subscribe))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                return false;
            }
            RecordIo.Reader reader = new RecordIo.Reader(body);
            byte[] first = reader.next();
            if (first == null || !(AgentProtocol.decodeEvent(first) instanceof AgentEvent.Subscribed subscribed)) {
                return false;
            }
            AgentID id = subscribed.agentId();
            info.setId(id);
            String stream = response.headers().firstValue(AgentProtocol.STREAM_ID_HEADER).orElse("");
            subscribedTo[index] = leader;
            Thread reporter = Thread.ofVirtual().start(() -> report(client, endpoint, stream, id));
            try {
                while (reader.next() != null) {
                    // heartbeats; the simulated agent runs no tasks
                }
            } finally {
                reporter.interrupt();
            }
            return true;
        }
    }

    private static void report(HttpClient client, URI endpoint, String stream, AgentID id) {
        byte[] report = AgentProtocol.encode(new AgentCall.Report(List.of()));
        try {
            while (true) {
                TimeUnit.SECONDS.sleep(1);
                client.send(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                        .header(AgentProtocol.STREAM_ID_HEADER, stream).header(AgentProtocol.AGENT_ID_HEADER, id.getValue())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(report)).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
        } catch (IOException | InterruptedException e) {
            // the session ended
        }
    }

    @Override
    public void close() {
        closed = true;
        threads.forEach(Thread::interrupt);
        clients.forEach(HttpClient::shutdownNow);
    }
}
