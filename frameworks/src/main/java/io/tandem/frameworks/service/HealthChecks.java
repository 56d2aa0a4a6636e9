package io.tandem.frameworks.service;

import io.tandem.frameworks.service.AppSpec.HealthCheckSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the HTTP and TCP health checks of running instances from the scheduler's own process, every
 * {@code interval}, and hands each result to a {@link Listener} (which moves it onto the service loop).
 * Thread-safe: {@link #start}/{@link #stop} come from the loop, probes run on a small pool.
 */
final class HealthChecks implements AutoCloseable {
    private static final int THREADS = 4;

    /** Receives each probe's result on a probe thread. */
    interface Listener {
        void result(String taskId, boolean ok, String detail);
    }

    private final Listener listener;
    private final ScheduledExecutorService pool;
    private final HttpClient http;
    private final Map<String, ScheduledFuture<?>> running = new ConcurrentHashMap<>();

    HealthChecks(Listener listener) {
        this.listener = listener;
        this.pool = Executors.newScheduledThreadPool(THREADS, Thread.ofPlatform().daemon().name("service-health-", 0).factory());
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Checks {@code host:port} every interval, the first time at once, until {@link #stop}. */
    void start(String taskId, String host, long port, HealthCheckSpec check) {
        stop(taskId);
        long every = check.interval().toMillis();
        running.put(taskId, pool.scheduleWithFixedDelay(() -> probe(taskId, host, port, check), 0, every,
                TimeUnit.MILLISECONDS));
    }

    void stop(String taskId) {
        ScheduledFuture<?> future = running.remove(taskId);
        if (future != null) {
            future.cancel(false);
        }
    }

    private void probe(String taskId, String host, long port, HealthCheckSpec check) {
        String failure;
        try {
            failure = check.kind() == HealthCheckSpec.Kind.HTTP ? http(host, port, check) : tcp(host, port, check);
        } catch (IOException e) {
            failure = (check.kind() == HealthCheckSpec.Kind.HTTP ? "GET " : "connect ") + host + ":" + port + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            failure = "check failed: " + e;
        }
        if (running.containsKey(taskId)) {
            listener.result(taskId, failure == null, failure == null ? "ok" : failure);
        }
    }

    /** Null when healthy (2xx or 3xx), else what went wrong. */
    private String http(String host, long port, HealthCheckSpec check) throws IOException, InterruptedException {
        URI uri = URI.create("http://" + host + ":" + port + check.path());
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri).timeout(check.timeout()).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        int status = response.statusCode();
        return status >= 200 && status < 400 ? null : "GET " + uri + " answered " + status;
    }

    private String tcp(String host, long port, HealthCheckSpec check) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, (int) port), (int) check.timeout().toMillis());
            return null;
        }
    }

    @Override
    public void close() {
        running.values().forEach(f -> f.cancel(false));
        running.clear();
        pool.shutdownNow();
        http.close();
    }
}
