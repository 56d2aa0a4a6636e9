package io.tandem.frameworks.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One deployed app's desired state and its live instances, and the decisions that keep them in line:
 * how many instances to launch, which to kill, when to back off, when a rolling update is done or must
 * be rolled back. Pure of I/O: {@link ServiceLoop} applies what it decides. Owned by the service loop thread.
 *
 * <p>Rolling update rule: at most one instance above the desired count runs (surge of one), and an
 * instance of an old version is killed only while the healthy instances left would still number at
 * least the desired count; old instances that are not healthy are replaced at once.
 */
final class App {
    private static final Logger log = LoggerFactory.getLogger(App.class);
    /** A kill not answered by a terminal update within this long is sent again. */
    static final Duration KILL_RESEND = Duration.ofSeconds(10);

    private AppSpec spec;
    private int version;
    private AppSpec previousSpec;
    private int previousVersion;
    private int lastVersion;
    private int desired;
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    /** Replacements owed for instances that failed, each with its slot's failure streak and earliest launch. */
    private final List<Restart> restarts = new ArrayList<>();
    private int newVersionFailures;
    private Instant unplacedSince;
    private final Map<String, String> misfits = new LinkedHashMap<>();
    private String lastEvent = "";
    private boolean warnedUnplaced;

    /** A failed instance's slot: {@code streak} failures in a row, relaunched not before {@code notBefore}. */
    private record Restart(int streak, Instant notBefore) {}

    App(AppSpec spec, int version, int desired) {
        this.spec = spec;
        this.version = version;
        this.lastVersion = version;
        this.desired = desired;
    }

    String name() {
        return spec.name();
    }

    AppSpec spec() {
        return spec;
    }

    int version() {
        return version;
    }

    int desired() {
        return desired;
    }

    int lastVersion() {
        return lastVersion;
    }

    /** The spec being rolled away from, or null when no rolling update is under way. */
    AppSpec previousSpec() {
        return previousSpec;
    }

    int previousVersion() {
        return previousVersion;
    }

    Collection<Instance> instances() {
        return instances.values();
    }

    Instance instance(String taskId) {
        return instances.get(taskId);
    }

    /** Restores what the state store kept: the version counter and an update under way. */
    void restore(int last, AppSpec previous, int previousVer) {
        lastVersion = Math.max(lastVersion, last);
        previousSpec = previous;
        previousVersion = previousVer;
    }

    /** A new app file for this app: a rolling update when what runs changed, else only its count. */
    void deploy(AppSpec next) {
        if (spec.differsInWhatRuns(next)) {
            previousSpec = spec;
            previousVersion = version;
            version = ++lastVersion;
            newVersionFailures = 0;
            lastEvent = "rolling update v" + previousVersion + " -> v" + version;
            log.info("app {}: rolling update from v{} to v{}", next.name(), previousVersion, version);
        }
        spec = next;
        desired = next.instances();
        retryNow();
    }

    void scale(int count) {
        log.info("app {}: scaled from {} to {} instances", name(), desired, count);
        desired = count;
        retryNow();
    }

    private void retryNow() {
        restarts.clear();
        unplacedSince = null;
        misfits.clear();
    }

    /**
     * A launched instance; it takes over the failure streak of a due restart, if one is owed, so that
     * backoff follows the slot that keeps failing rather than the app.
     */
    void add(Instance instance) {
        instances.put(instance.taskId, instance);
        if (!restarts.isEmpty()) {
            instance.streak = restarts.removeFirst().streak();   // sorted: the earliest due
        }
    }

    /** How many instances to launch now: those wanted, less the failed slots still backing off. */
    int launchesWanted(Instant now) {
        long backingOff = restarts.stream().filter(r -> now.isBefore(r.notBefore())).count();
        return (int) Math.max(0, wanted() - backingOff);
    }

    private long wanted() {
        long current = live().stream().filter(i -> i.version == version).count();
        long old = live().size() - current;
        long want = desired - current;
        if (old > 0) {
            want = Math.min(want, desired + 1 - (current + old));   // surge of one during a rolling update
        }
        return Math.max(0, want);
    }

    /** Instances the scheduler should send a KILL for now: newly decided ones and unanswered kills. */
    List<Instance> kills(Instant now) {
        decideKills();
        finishRollingUpdate();
        List<Instance> send = new ArrayList<>();
        for (Instance i : instances.values()) {
            if (i.killing() && (i.killSentAt == null || !now.isBefore(i.killSentAt.plus(KILL_RESEND)))) {
                i.killSentAt = now;
                send.add(i);
            }
        }
        return send;
    }

    private void decideKills() {
        List<Instance> current = live().stream().filter(i -> i.version == version)
                .sorted(Comparator.comparing(Instance::healthy).thenComparing(Instance::running)).toList();
        for (int k = 0; k < current.size() - desired; k++) {
            kill(current.get(k), "scaled down to " + desired);
        }
        for (Instance old : live()) {
            // An instance of a version rolled back from goes at once. An older one only on a verdict: one
            // whose health is not known yet (just restored, or in its grace period) may be healthy, and
            // killing it could drop the app below its desired healthy count.
            if (old.version > version) {
                kill(old, "rolled back to v" + version);
            } else if (old.version != version && old.health == Instance.Health.UNHEALTHY) {
                kill(old, "replaced by v" + version);
            }
        }
        for (Instance old : live()) {
            if (old.version != version && healthyCount() - 1 >= desired) {
                kill(old, "replaced by v" + version);
            }
        }
    }

    private void finishRollingUpdate() {
        boolean oldLeft = instances.values().stream().anyMatch(i -> i.version != version);
        if (previousSpec != null && !oldLeft && healthyCount() >= desired) {
            log.info("app {}: v{} deployed, {} instance(s) healthy", name(), version, healthyCount());
            lastEvent = "deployed v" + version;
            previousSpec = null;
        }
    }

    private void kill(Instance instance, String reason) {
        instance.killReason = reason;
        log.info("app {}: killing {} ({})", name(), instance.taskId, reason);
    }

    /** A terminal status for one of this app's instances; an end the scheduler did not ask for is a failure. */
    void ended(Instance instance, String why, Instant now) {
        instances.remove(instance.taskId);
        if (!instance.killing()) {
            failed(instance, why, now);
        }
        finishRollingUpdate();
    }

    /** The instance passed or failed one health check. */
    void checked(Instance instance, boolean ok, String detail, Instant now) {
        if (instance.killing() || !instance.running()) {
            return;
        }
        if (ok) {
            if (instance.health != Instance.Health.HEALTHY) {
                log.info("app {}: {} is healthy", name(), instance.taskId);
            }
            if (instance.health != Instance.Health.HEALTHY) {
                instance.stableSince = now;
            }
            instance.health = Instance.Health.HEALTHY;
            instance.everHealthy = true;
            instance.failedChecks = 0;
            return;
        }
        AppSpec.HealthCheckSpec check = instance.spec.healthCheck().orElseThrow();
        boolean inGrace = !instance.everHealthy && instance.runningSince != null
                && now.isBefore(instance.runningSince.plus(check.grace()));
        if (inGrace) {
            return;
        }
        instance.failedChecks++;
        log.debug("app {}: {} failed health check {} of {}: {}", name(), instance.taskId, instance.failedChecks,
                check.maxFailures(), detail);
        if (instance.failedChecks >= check.maxFailures()) {
            instance.health = Instance.Health.UNHEALTHY;
            kill(instance, "unhealthy: " + detail);
            failed(instance, "unhealthy: " + detail, now);
        }
    }

    /**
     * One failure of the instance's slot. The streak goes on from the instance's own, unless the instance
     * had been stable (healthy, or running when the app has no check) for {@code restart_backoff.max}:
     * then it starts again at one. A sibling's health does not touch it.
     */
    private void failed(Instance instance, String why, Instant now) {
        boolean wasStable = instance.stableSince != null && !now.isBefore(instance.stableSince.plus(spec.backoffMax()));
        int streak = wasStable ? 1 : instance.streak + 1;
        Duration delay = spec.backoffAfter(streak);
        restarts.add(new Restart(streak, now.plus(delay)));
        restarts.sort(Comparator.comparing(Restart::notBefore));
        while (restarts.size() > desired) {
            restarts.removeFirst();
        }
        lastEvent = instance.taskId + " failed (" + why + ")";
        log.info("app {}: {} failed ({}); next launch in {} ms", name(), instance.taskId, why, delay.toMillis());
        if (instance.version == version && previousSpec != null && !instance.everHealthy) {
            newVersionFailures++;
            if (newVersionFailures >= spec.rollbackAfter()) {
                rollBack(instance.taskId + " " + why);
            }
        }
    }

    private void rollBack(String why) {
        log.warn("app {}: rolling back from v{} to v{}: {}", name(), version, previousVersion, why);
        lastEvent = "rolled back v" + version + " to v" + previousVersion + ": " + why;
        spec = previousSpec;
        version = previousVersion;
        previousSpec = null;
        newVersionFailures = 0;
        restarts.clear();
    }

    /** An instance was placed: the placement clock starts again. */
    void placed() {
        unplacedSince = null;
        misfits.clear();
    }

    /**
     * Offers arrived and none could host a wanted instance. A demand no agent could ever meet is refused
     * at deploy, so this is a busy cluster: the app keeps waiting (never gives up) and reports why; after
     * {@link AppSpec#placementTimeout()} of it a warning is logged once.
     */
    void unplaced(Map<String, String> reasons, Instant now) {
        misfits.putAll(reasons);
        if (unplacedSince == null) {
            unplacedSince = now;
            warnedUnplaced = false;
        } else if (!warnedUnplaced && !now.isBefore(unplacedSince.plus(spec.placementTimeout()))) {
            warnedUnplaced = true;
            log.warn("app {}: no offer could host an instance for {}s: {}", name(),
                    spec.placementTimeout().toSeconds(), misfitText());
        }
    }

    private String misfitText() {
        List<String> parts = new ArrayList<>();
        misfits.forEach((where, why) -> parts.add(where + ": " + why));
        return String.join("; ", parts);
    }

    private List<Instance> live() {
        return instances.values().stream().filter(i -> !i.killing()).toList();
    }

    private long healthyCount() {
        return instances.values().stream().filter(Instance::healthy).count();
    }

    AppStatus status(Instant now) {
        List<AppStatus.InstanceStatus> list = instances.values().stream().map(i -> new AppStatus.InstanceStatus(
                i.taskId, i.version, i.site.hostname(), i.ports, i.killing() ? "KILLING" : i.state.name().substring(5),
                i.healthText())).toList();
        int running = (int) instances.values().stream().filter(i -> i.running() && !i.killing()).count();
        int healthy = (int) healthyCount();
        String state;
        String message = lastEvent;
        Instant nextLaunchAt = restarts.stream().map(Restart::notBefore).filter(now::isBefore).findFirst().orElse(null);
        if (unplacedSince != null && launchesWanted(now) > 0) {
            state = "waiting";
            message = "waiting: no offer fits yet: " + misfitText();
        } else if (previousSpec != null) {
            state = "rolling-update";
        } else if (nextLaunchAt != null && wanted() > 0) {
            state = "backing-off";
            message = lastEvent + "; next launch in " + Duration.between(now, nextLaunchAt).toSeconds() + "s";
        } else if (launchesWanted(now) > 0) {
            state = "deploying";
            message = "waiting for offers to launch " + launchesWanted(now) + " instance(s)";
        } else {
            state = healthy >= desired && instances.size() == desired ? "running" : "deploying";
        }
        return new AppStatus(name(), version, desired, running, healthy, state, message, list);
    }
}
