package io.tandem.bench;

import io.tandem.api.MediaType;
import io.tandem.api.RecordIo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpMethod;

/**
 * A bare Mesos v1 HTTP framework for {@link LaunchBenchmark}: subscribes, accepts its first offer
 * with {@code count} {@code /bin/true} tasks in one ACCEPT, and acknowledges every update at once on
 * its own request. The SDK's driver sends one call at a time (in order, as Mesos's libraries do), so
 * with it the 3 x {@code count} acknowledgements, not the agent, would set the pace.
 *
 * <p>It speaks HTTP through Jetty's client: the framework shares the machine's two cores with the
 * master and the agent, and the JDK's client spent about a fifth of the JVM's CPU time (async-profiler)
 * on the 3,000 acknowledgements, time then missing from the agent being measured.
 */
final class LaunchingFramework implements AutoCloseable {
    private static final MediaType MEDIA = MediaType.PROTOBUF;

    private final URI endpoint;
    private final int count;
    /** Acknowledgements in flight at once: each takes a connection of its own. */
    private static final int IN_FLIGHT = 64;

    private final HttpClient http = new HttpClient();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicLong lastFinishedNanos = new AtomicLong();
    private volatile long acceptedNanos;
    private volatile long firstFinishedNanos;
    private volatile long allRunningNanos;
    private volatile String firstFailure;
    private volatile String streamId;
    private volatile FrameworkID frameworkId;
    private volatile boolean launched;
    private Thread reader;

    LaunchingFramework(URI master, int count) {
        this.endpoint = master.resolve("/api/v1/scheduler");
        this.count = count;
    }

    /** Subscribes and launches; returns once every task ended or {@code patience} passed. */
    boolean run(Duration patience) throws Exception {
        http.setMaxConnectionsPerDestination(IN_FLIGHT + 1);
        http.start();
        Call subscribe = Call.newBuilder().setType(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder()
                .setFrameworkInfo(FrameworkInfo.newBuilder().setUser("root").setName("launch-bench")
                        .setFailoverTimeout(3600))).build();
        InputStreamResponseListener events = new InputStreamResponseListener();
        request(subscribe).send(events);
        Response response = subscribed(events);
        if (response.getStatus() != 200) {
            throw new IOException("SUBSCRIBE answered " + response.getStatus() + ": "
                    + new String(events.getInputStream().readAllBytes()));
        }
        streamId = response.getHeaders().get("Mesos-Stream-Id");
        if (streamId == null) {
            throw new IOException("SUBSCRIBE answered without a Mesos-Stream-Id");
        }
        InputStream stream = events.getInputStream();
        reader = Thread.ofVirtual().name("bench-events").start(() -> read(stream));
        return done.await(patience.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Response subscribed(InputStreamResponseListener events) throws IOException, InterruptedException {
        try {
            return events.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("SUBSCRIBE got no answer: " + e, e);
        }
    }

    private void read(InputStream stream) {
        RecordIo.Reader records = new RecordIo.Reader(stream);
        try {
            for (byte[] record = records.next(); record != null; record = records.next()) {
                handle(MEDIA.decode(record, Event.newBuilder()).build());
            }
        } catch (IOException | RuntimeException e) {
            if (done.getCount() > 0) {
                fail("event stream broke: " + e);
            }
        }
    }

    private void handle(Event event) {
        switch (event.getType()) {
            case SUBSCRIBED -> frameworkId = event.getSubscribed().getFrameworkId();
            case OFFERS -> offers(event.getOffers().getOffersList());
            case UPDATE -> update(event.getUpdate().getStatus());
            case ERROR -> fail("master: " + event.getError().getMessage());
            default -> { }
        }
    }

    private void offers(List<Offer> offers) {
        if (launched) {
            post(Call.newBuilder().setType(Call.Type.DECLINE).setDecline(Call.Decline.newBuilder()
                    .addAllOfferIds(offers.stream().map(Offer::getId).toList())));
            return;
        }
        launched = true;
        Offer offer = offers.getFirst();
        List<TaskInfo> tasks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tasks.add(TaskInfo.newBuilder().setName("true-" + i).setTaskId(TaskID.newBuilder().setValue("true-" + i))
                    .setAgentId(offer.getAgentId())
                    .setCommand(CommandInfo.newBuilder().setShell(false).setValue("/bin/true"))
                    .addResources(scalar("cpus", 0.001)).addResources(scalar("mem", 32)).build());
        }
        acceptedNanos = System.nanoTime();
        post(Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder().addOfferIds(offer.getId())
                .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
                        .setLaunch(Offer.Operation.Launch.newBuilder().addAllTaskInfos(tasks)))));
    }

    private void update(TaskStatus status) {
        if (status.hasUuid()) {
            post(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
                    .setAgentId(status.getAgentId()).setTaskId(status.getTaskId()).setUuid(status.getUuid())));
        }
        TaskState state = status.getState();
        if (state == TaskState.TASK_RUNNING && running.incrementAndGet() == count) {
            allRunningNanos = System.nanoTime();
        }
        if (state == TaskState.TASK_FINISHED) {
            lastFinishedNanos.set(System.nanoTime());
            if (finished.incrementAndGet() == 1) {
                firstFinishedNanos = System.nanoTime();
            }
        } else if (state != TaskState.TASK_STARTING && state != TaskState.TASK_RUNNING) {
            if (failed.getAndIncrement() == 0) {
                firstFailure = status.getTaskId().getValue() + " " + state + ": " + status.getMessage();
            }
        }
        if (finished.get() + failed.get() >= count) {
            done.countDown();
        }
    }

    /**
     * Sends a call without waiting for the answer (acknowledgements go out side by side, at most 64
     * at a time: unbounded, each opened its own connection, and thousands of sockets in one JVM hurt;
     * 16 at a time made the acknowledgements, not the agent, set the pace once launches got cheap).
     */
    private void post(Call.Builder call) {
        call.setFrameworkId(frameworkId);
        inFlight.acquireUninterruptibly();
        request(call.build()).send(new BufferingResponseListener() {
            @Override
            public void onComplete(Result result) {
                inFlight.release();
                if (result.isFailed() && call.getType() != Call.Type.ACCEPT) {
                    return; // a lost ACKNOWLEDGE or DECLINE: the agent resends the update, the master re-offers
                }
                if (result.isFailed()) {
                    fail(call.getType() + " failed: " + result.getFailure());
                } else if (result.getResponse().getStatus() != 202) {
                    fail(call.getType() + " answered " + result.getResponse().getStatus() + ": " + getContentAsString());
                }
            }
        });
    }

    private Request request(Call call) {
        return http.newRequest(endpoint).method(HttpMethod.POST)
                .headers(headers -> {
                    headers.put("Accept", MEDIA.mime());
                    if (streamId != null) {
                        headers.put("Mesos-Stream-Id", streamId);
                    }
                })
                .body(new BytesRequestContent(MEDIA.mime(), MEDIA.encode(call)));
    }

    private void fail(String why) {
        if (firstFailure == null) {
            firstFailure = why;
        }
        failed.set(count);
        done.countDown();
    }

    int finished() {
        return finished.get();
    }

    int failed() {
        return failed.get();
    }

    String firstFailure() {
        return firstFailure;
    }

    /** Seconds from the ACCEPT to the first TASK_FINISHED, every TASK_RUNNING, the last TASK_FINISHED. */
    double[] timings() {
        return new double[] {since(firstFinishedNanos), since(allRunningNanos), since(lastFinishedNanos.get())};
    }

    private double since(long nanos) {
        return nanos == 0 ? Double.NaN : (nanos - acceptedNanos) / 1e9;
    }

    private static Resource scalar(String name, double value) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

    @Override
    public void close() {
        if (frameworkId != null) {
            post(Call.newBuilder().setType(Call.Type.TEARDOWN));
        }
        if (reader != null) {
            reader.interrupt();
        }
        try {
            http.stop();
        } catch (Exception e) {
            System.err.println("the framework's HTTP client did not stop: " + e);
        }
    }
}
