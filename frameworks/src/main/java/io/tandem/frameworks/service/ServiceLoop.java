package io.tandem.frameworks.service;

import io.tandem.sdk.SchedulerCalls;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service scheduler's state and the one thread that owns it: the apps, their instances, the
 * framework id. Driver callbacks, HTTP API requests, health check results and a periodic tick all
 * become tasks on this thread ({@link #call}). After each, {@link #settle} sends the kills the apps
 * decided, revives or suppresses offers, and saves the state when it changed. The state is saved
 * before a launch is sent, so a restarted scheduler knows every task it may have started.
 */
final class ServiceLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceLoop.class);
    private static final long TICK_MILLIS = 250;
    private static final long CALL_TIMEOUT_SECONDS = 30;
    private static final double DECLINE_WANTED_SECONDS = 2;
    private static final double DECLINE_IDLE_SECONDS = 30;

    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("service-loop").factory());
    private final InstantSource clock;
    private final StateStore store;
    private final String role;
    private final HealthChecks checks;
    private final Map<String, App> apps = new TreeMap<>();
    private final Orphans orphans = new Orphans();
    private final Placer placer;
    private SchedulerCalls driver;
    private String frameworkId;
    private Boolean suppressed;
    private byte[] lastSaved;

    ServiceLoop(InstantSource clock, StateStore store, String role, RandomGenerator random) {
        this.clock = clock;
        this.store = store;
        this.role = role;
        this.checks = new HealthChecks((taskId, ok, detail) -> thread.execute(() -> checked(taskId, ok, detail)));
        this.placer = new Placer(new Launches(role), random);
        call(this::load);
        thread.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code work} on the loop thread and returns its result; its exceptions are rethrown as they are. */
    <T> T call(Callable<T> work) {
        try {
            return thread.submit(work).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the service scheduler did not answer within " + CALL_TIMEOUT_SECONDS + "s");
        }
    }

    void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    private Void load() {
        Optional<byte[]> saved = store.read();
        if (saved.isPresent()) {
            SavedState state = SavedState.fromJson(saved.get());
            frameworkId = state.frameworkId();
            state.restore().forEach(app -> apps.put(app.name(), app));
            lastSaved = saved.get();
            log.info("restored {} app(s) and framework id {} from {}", apps.size(), frameworkId, store.describe());
        }
        return null;
    }

    /** The framework id saved by an earlier run, to subscribe with again. */
    Optional<String> savedFrameworkId() {
        return call(() -> Optional.ofNullable(frameworkId));
    }

    // ---- driver events (on the loop thread, via ServiceFramework) ----

    void subscribed(SchedulerCalls calls, FrameworkID id) {
        driver = calls;
        frameworkId = id.getValue();
        suppressed = null;
        log.info("subscribed as framework {} in role {}; reconciling {} task(s)", frameworkId, role, taskCount());
        List<TaskStatus> known = new ArrayList<>();
        apps.values().forEach(app -> app.instances().forEach(i -> known.add(Launches.reconcileStatus(i))));
        if (!known.isEmpty()) {
            driver.reconcile(known);
        }
        driver.reconcile(List.of());   // implicit: the master names tasks this state does not know, to kill them
        settle();
    }

    void disconnected() {
        driver = null;
    }

    void offers(SchedulerCalls calls, List<Offer> offers) {
        driver = calls;
        try {
            use(offers);
        } catch (RuntimeException e) {
            // Offers neither used nor declined would stay out of the cluster until they are rescinded.
            log.error("could not use {} offer(s); declining them", offers.size(), e);
            driver.decline(offers.stream().map(Offer::getId).toList(), Filters.getDefaultInstance());
        }
        settle();
    }

    private void use(List<Offer> offers) {
        Instant now = clock.instant();
        Map<String, Integer> wanted = new LinkedHashMap<>();
        apps.values().forEach(app -> wanted.put(app.name(), app.launchesWanted(now)));
        Map<String, Map<String, String>> misfits = new HashMap<>();
        Map<Offer, List<TaskInfo>> toLaunch = new LinkedHashMap<>();
        List<OfferID> unused = new ArrayList<>();
        for (Offer offer : offers) {
            List<TaskInfo> tasks = placer.place(offer, apps.values(), wanted, misfits);
            if (tasks.isEmpty()) {
                unused.add(offer.getId());
            } else {
                toLaunch.put(offer, tasks);
            }
        }
        if (!toLaunch.isEmpty() && !save()) {
            toLaunch.values().forEach(tasks -> tasks.forEach(t -> forget(t.getTaskId().getValue())));
            toLaunch.keySet().forEach(o -> unused.add(o.getId()));
            toLaunch.clear();
        }
        toLaunch.forEach((offer, tasks) -> driver.launch(offer.getId(), tasks).whenComplete((ok, failure) -> {
            if (failure != null) {
                thread.execute(() -> launchFailed(tasks, failure));
            }
        }));
        boolean stillWanted = wanted.values().stream().anyMatch(n -> n > 0);
        if (!unused.isEmpty()) {
            driver.decline(unused, Filters.newBuilder()
                    .setRefuseSeconds(stillWanted ? DECLINE_WANTED_SECONDS : DECLINE_IDLE_SECONDS).build());
        }
        wanted.forEach((name, left) -> {
            if (left > 0 && misfits.containsKey(name)) {
                apps.get(name).unplaced(misfits.get(name), now);
            }
        });
    }

    private void launchFailed(List<TaskInfo> tasks, Throwable failure) {
        log.warn("launch of {} task(s) failed: {}", tasks.size(), failure.getMessage());
        tasks.forEach(t -> forget(t.getTaskId().getValue()));
        suppressed = null;
        settle();
    }

    private void forget(String taskId) {
        apps.values().forEach(app -> {
            Instance i = app.instance(taskId);
            if (i != null) {
                i.killReason = "launch failed";
                app.ended(i, "launch failed", clock.instant());
            }
        });
    }

    void update(SchedulerCalls calls, TaskStatus status) {
        driver = calls;
        String taskId = status.getTaskId().getValue();
        boolean terminal = io.tandem.model.TaskState.valueOf(status.getState().name()).isTerminal();
        App app = appOf(taskId);
        if (app == null) {
            if (terminal) {
                orphans.ended(taskId);
            } else if (!orphans.contains(taskId)) {
                log.info("killing task {}: no app of this scheduler owns it", taskId);
                AgentID agent = status.hasAgentId() ? status.getAgentId() : null;
                orphans.killed(taskId, agent, clock.instant());
                driver.kill(status.getTaskId(), agent);
            }
            return;
        }
        Instance instance = app.instance(taskId);
        if (instance.state != status.getState()) {
            log.info("app {}: {} {}{}", app.name(), taskId, status.getState().name(),
                    status.getMessage().isBlank() ? "" : " (" + status.getMessage().strip() + ")");
        }
        Instant now = clock.instant();
        if (terminal) {
            checks.stop(taskId);
            app.ended(instance, Launches.reason(status), now);
        } else {
            instance.state = status.getState();
            if (instance.running() && instance.runningSince == null) {
                instance.runningSince = now;
                if (instance.spec.healthCheck().isEmpty()) {
                    instance.stableSince = now;
                }
                instance.spec.healthCheck().filter(check -> !check.byAgent()).ifPresent(check ->
                        checks.start(taskId, instance.site.hostname(), instance.ports.get(check.portIndex()), check));
            }
            if (status.hasHealthy() && instance.spec.healthCheck().map(AppSpec.HealthCheckSpec::byAgent).orElse(false)) {
                // A command check runs next to the task; its verdicts arrive on status updates.
                app.checked(instance, status.getHealthy(), status.getMessage().isBlank()
                        ? "command check failed" : status.getMessage().strip(), now);
            }
        }
        settle();
    }

    private void checked(String taskId, boolean ok, String detail) {
        App app = appOf(taskId);
        if (app != null) {
            app.checked(app.instance(taskId), ok, detail, clock.instant());
            settle();
        }
    }

    private App appOf(String taskId) {
        return apps.values().stream().filter(a -> a.instance(taskId) != null).findFirst().orElse(null);
    }

    private void tick() {
        try {
            settle();
        } catch (RuntimeException e) {
            log.error("service loop tick failed", e);
        }
    }

    /** Applies what the apps decided: kills, offers wanted or not, and the saved state. */
    private void settle() {
        Instant now = clock.instant();
        if (driver != null) {
            for (App app : apps.values()) {
                for (Instance i : app.kills(now)) {
                    checks.stop(i.taskId);
                    driver.kill(TaskID.newBuilder().setValue(i.taskId).build(), AgentID.newBuilder().setValue(i.site.agentId()).build());
                }
            }
            for (Orphans.Orphan o : orphans.due(now)) {
                driver.kill(TaskID.newBuilder().setValue(o.taskId()).build(), o.agentId());
            }
            boolean wanting = apps.values().stream().anyMatch(a -> a.launchesWanted(now) > 0);
            if (wanting && !Boolean.FALSE.equals(suppressed)) {
                driver.revive(Set.of(role));
                suppressed = false;
            } else if (!wanting && !Boolean.TRUE.equals(suppressed)) {
                driver.suppress(Set.of(role));
                suppressed = true;
            }
        }
        save();
    }

    private boolean save() {
        byte[] document = SavedState.of(frameworkId, apps.values()).toJson();
        if (Arrays.equals(document, lastSaved)) {
            return true;
        }
        try {
            store.write(document);
            lastSaved = document;
            return true;
        } catch (RuntimeException e) {
            log.error("cannot save the service state to {}: {}", store.describe(), e.getMessage());
            return false;
        }
    }

    // ---- API (on the loop thread, via call) ----

    AppStatus deploy(AppSpec spec) {
        App app = apps.get(spec.name());
        if (app == null) {
            app = new App(spec, 1, spec.instances());
            apps.put(spec.name(), app);
            log.info("app {}: deployed v1 with {} instance(s)", spec.name(), spec.instances());
        } else {
            app.deploy(spec);
        }
        settle();
        return app.status(clock.instant());
    }

    Optional<AppStatus> scale(String name, int count) {
        App app = apps.get(name);
        if (app == null) {
            return Optional.empty();
        }
        app.scale(count);
        settle();
        return Optional.of(app.status(clock.instant()));
    }

    /** Removes the app and kills its instances; empty when there is no such app. */
    Optional<Integer> remove(String name) {
        App app = apps.remove(name);
        if (app == null) {
            return Optional.empty();
        }
        for (Instance i : app.instances()) {
            checks.stop(i.taskId);
            AgentID agent = AgentID.newBuilder().setValue(i.site.agentId()).build();
            orphans.killed(i.taskId, agent, clock.instant());
            if (driver != null) {
                driver.kill(TaskID.newBuilder().setValue(i.taskId).build(), agent);
            }
        }
        log.info("app {}: removed; killing {} instance(s)", name, app.instances().size());
        settle();
        return Optional.of(app.instances().size());
    }

    AppSpec spec(String name) {
        return apps.get(name).spec();
    }

    Optional<AppStatus> status(String name) {
        return Optional.ofNullable(apps.get(name)).map(a -> a.status(clock.instant()));
    }

    List<AppStatus> statuses() {
        Instant now = clock.instant();
        return apps.values().stream().map(a -> a.status(now)).toList();
    }

    /**
     * The master removed the saved framework, and its tasks with it: forgets the framework id and the
     * instances, keeps the apps (a new framework relaunches them).
     */
    void startAfresh() {
        apps.values().forEach(app -> List.copyOf(app.instances()).forEach(i -> {
            checks.stop(i.taskId);
            i.killReason = "its framework was removed";
            app.ended(i, "its framework was removed", clock.instant());
        }));
        frameworkId = null;
        driver = null;
        save();
    }

    /** Forgets every app and the framework id: the framework is being torn down. */
    void forgetAll() {
        apps.values().forEach(app -> app.instances().forEach(i -> checks.stop(i.taskId)));
        apps.clear();
        frameworkId = null;
        save();
    }

    private int taskCount() {
        return apps.values().stream().mapToInt(a -> a.instances().size()).sum();
    }

    @Override
    public void close() {
        checks.close();
        thread.shutdownNow();
    }
}
