package io.tandem.testkit;

import static org.awaitility.Awaitility.await;

import io.tandem.sdk.OfferMatcher;
import io.tandem.sdk.Scheduler;
import io.tandem.sdk.SchedulerCalls;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Scheduler} that records every callback, with the time it arrived, and answers offers:
 * tasks queued with {@link #launch} go on the first offers they fit (several per offer when they
 * fit together), and the rest go to its {@link OfferStrategy} (by default: declined for 1 s).
 *
 * <p>Thread-safe: the driver's callback thread records, any test thread reads and waits. The
 * {@code await*} methods poll with Awaitility and fail with a description of what was awaited.
 */
public final class RecordingScheduler implements Scheduler {
    private static final Logger log = LoggerFactory.getLogger(RecordingScheduler.class);
    /** How long the {@code await*} methods wait unless told: generous, since a loaded machine is slow. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    /** A callback's argument and when it arrived. */
    public record Received<T>(Instant at, T value) {}

    /** A MESSAGE event: bytes an executor sent. */
    public record Message(AgentID agentId, ExecutorID executorId, byte[] data) {
        public String text() {
            return new String(data, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** A FAILURE event: an agent lost ({@code executorId} null) or an executor ended. */
    public record Failure(AgentID agentId, ExecutorID executorId, Integer status) {}

    private final List<FrameworkID> subscriptions = new CopyOnWriteArrayList<>();
    private final List<Received<Offer>> offers = new CopyOnWriteArrayList<>();
    private final List<OfferID> rescinded = new CopyOnWriteArrayList<>();
    private final List<Received<TaskStatus>> updates = new CopyOnWriteArrayList<>();
    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<Throwable> failedCalls = new CopyOnWriteArrayList<>();
    private final List<Instant> disconnections = new CopyOnWriteArrayList<>();
    private final List<Offer> held = new ArrayList<>();       // guarded by this
    private final List<TaskSpec> pending = new ArrayList<>(); // guarded by this
    private volatile OfferStrategy strategy;
    private volatile Duration launchRefuse = Duration.ofSeconds(1);
    private volatile SchedulerCalls lastDriver;

    public RecordingScheduler(OfferStrategy strategy) {
        this.strategy = Objects.requireNonNull(strategy);
    }

    /** Declines offers it does not use, refusing them for 1 s. */
    public RecordingScheduler() {
        this(OfferStrategy.decline(Duration.ofSeconds(1)));
    }

    /** Replaces the strategy for later offers; offers already held stay held. */
    public RecordingScheduler strategy(OfferStrategy next) {
        this.strategy = Objects.requireNonNull(next);
        return this;
    }

    /** The refuse filter of the ACCEPT that launches queued tasks, for what they leave (default 1 s). */
    public RecordingScheduler launchRefuse(Duration refuse) {
        this.launchRefuse = Objects.requireNonNull(refuse);
        return this;
    }

    /**
     * Queues tasks for the first offers they fit, in order. Offers already held (with the
     * {@link OfferStrategy#hold()} strategy) are tried at once.
     */
    public void launch(TaskSpec... specs) {
        List<Offer> retry;
        synchronized (this) {
            pending.addAll(Arrays.asList(specs));
            retry = List.copyOf(held);
            held.clear();
        }
        SchedulerCalls driver = lastDriver;
        if (!retry.isEmpty() && driver != null) {
            place(driver, retry);
        }
    }

    // ---- callbacks (driver's callback thread) ----

    @Override
    public void subscribed(SchedulerCalls driver, FrameworkID frameworkId, MasterInfo masterInfo) {
        lastDriver = driver;
        subscriptions.add(frameworkId);
    }

    @Override
    public void offers(SchedulerCalls driver, List<Offer> received) {
        lastDriver = driver;
        Instant now = Instant.now();
        received.forEach(o -> offers.add(new Received<>(now, o)));
        place(driver, received);
    }

    @Override
    public void rescinded(SchedulerCalls driver, OfferID offerId) {
        rescinded.add(offerId);
        synchronized (this) {
            held.removeIf(o -> o.getId().equals(offerId));
        }
    }

    @Override
    public void update(SchedulerCalls driver, TaskStatus status) {
        updates.add(new Received<>(Instant.now(), status));
        log.debug("update {} {} ({})", status.getTaskId().getValue(), status.getState(), status.getMessage());
    }

    @Override
    public void message(SchedulerCalls driver, AgentID agentId, ExecutorID executorId, byte[] data) {
        messages.add(new Message(agentId, executorId, data));
    }

    @Override
    public void failure(SchedulerCalls driver, AgentID agentId, ExecutorID executorId, Integer status) {
        failures.add(new Failure(agentId, executorId, status));
    }

    @Override
    public void error(SchedulerCalls driver, String message) {
        errors.add(message);
    }

    @Override
    public void disconnected(SchedulerCalls driver) {
        disconnections.add(Instant.now());
    }

    /** Launches pending tasks on the offers they fit; hands the other offers to the strategy. */
    private void place(SchedulerCalls driver, List<Offer> candidates) {
        List<Offer> unused = new ArrayList<>();
        for (Offer offer : candidates) {
            List<TaskInfo> tasks = take(offer);
            if (tasks.isEmpty()) {
                unused.add(offer);
                continue;
            }
            Filters filters = OfferStrategy.refuseFilter(launchRefuse);
            driver.accept(List.of(offer.getId()), List.of(Tasks.launch(tasks)), filters)
                    .whenComplete((ok, failure) -> {
                        if (failure != null) {
                            failedCalls.add(failure);
                        }
                    });
        }
        OfferStrategy current = strategy;
        synchronized (this) {
            if (current.holds()) {
                held.addAll(unused);
            }
        }
        current.unused(driver, unused);
    }

    private synchronized List<TaskInfo> take(Offer offer) {
        OfferMatcher matcher = OfferMatcher.of(offer);
        List<TaskInfo> tasks = new ArrayList<>();
        for (var it = pending.iterator(); it.hasNext(); ) {
            Optional<TaskInfo> task = it.next().on(matcher, offer);
            if (task.isPresent()) {
                tasks.add(task.get());
                it.remove();
            }
        }
        return tasks;
    }

    // ---- reading (any thread) ----

    public Optional<FrameworkID> frameworkId() {
        return subscriptions.isEmpty() ? Optional.empty() : Optional.of(subscriptions.getLast());
    }

    public List<FrameworkID> subscriptions() {
        return List.copyOf(subscriptions);
    }

    public List<Offer> offers() {
        return offers.stream().map(Received::value).toList();
    }

    public List<Received<Offer>> offerEvents() {
        return List.copyOf(offers);
    }

    public List<OfferID> rescinded() {
        return List.copyOf(rescinded);
    }

    /** Every status update, in the order they arrived. */
    public List<TaskStatus> updates() {
        return updates.stream().map(Received::value).toList();
    }

    public List<TaskStatus> statuses(TaskID taskId) {
        return updates().stream().filter(s -> s.getTaskId().equals(taskId)).toList();
    }

    public List<TaskState> states(TaskID taskId) {
        return statuses(taskId).stream().map(TaskStatus::getState).toList();
    }

    public List<Message> messages() {
        return List.copyOf(messages);
    }

    public List<Failure> failures() {
        return List.copyOf(failures);
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** Calls the scheduler made itself (launches) that the master refused or could not take. */
    public List<Throwable> failedCalls() {
        return List.copyOf(failedCalls);
    }

    public List<Instant> disconnections() {
        return List.copyOf(disconnections);
    }

    // ---- waiting (any thread) ----

    public FrameworkID awaitSubscribed() {
        await("framework subscribed").atMost(PATIENCE).until(() -> !subscriptions.isEmpty());
        return frameworkId().orElseThrow();
    }

    /** The first update of {@code taskId} in {@code state}, waiting for it as long as {@code patience}. */
    public TaskStatus awaitState(TaskID taskId, TaskState state, Duration patience) {
        await("task " + taskId.getValue() + " reaching " + state).atMost(patience)
                .until(() -> firstStatus(taskId, s -> s.getState() == state).isPresent());
        return firstStatus(taskId, s -> s.getState() == state).orElseThrow();
    }

    public TaskStatus awaitState(TaskID taskId, TaskState state) {
        return awaitState(taskId, state, PATIENCE);
    }

    /** The first update of {@code taskId} that {@code matches}. */
    public TaskStatus awaitStatus(TaskID taskId, Predicate<TaskStatus> matches, String description) {
        await("task " + taskId.getValue() + ": " + description).atMost(PATIENCE)
                .until(() -> firstStatus(taskId, matches).isPresent());
        return firstStatus(taskId, matches).orElseThrow();
    }

    /** The first offer received at or after position {@code from} of {@link #offerEvents()} that matches. */
    public Received<Offer> awaitOffer(int from, Predicate<Offer> matches, String description) {
        await("offer " + description).atMost(PATIENCE).until(() -> firstOffer(from, matches).isPresent());
        return firstOffer(from, matches).orElseThrow();
    }

    public Message awaitMessage(Predicate<Message> matches, String description) {
        await("message " + description).atMost(PATIENCE).until(() -> messages.stream().anyMatch(matches));
        return messages.stream().filter(matches).findFirst().orElseThrow();
    }

    private Optional<TaskStatus> firstStatus(TaskID taskId, Predicate<TaskStatus> matches) {
        return updates.stream().map(Received::value).filter(s -> s.getTaskId().equals(taskId)).filter(matches)
                .findFirst();
    }

    private Optional<Received<Offer>> firstOffer(int from, Predicate<Offer> matches) {
        List<Received<Offer>> all = List.copyOf(offers);
        return all.subList(Math.min(from, all.size()), all.size()).stream().filter(r -> matches.test(r.value()))
                .findFirst();
    }
}
