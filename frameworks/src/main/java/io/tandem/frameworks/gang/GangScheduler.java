package io.tandem.frameworks.gang;

import io.tandem.model.TaskState;
import io.tandem.sdk.Scheduler;
import io.tandem.sdk.SchedulerCalls;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches a gang all at once or not at all. Offers are held (not declined) until together they fit
 * every member; then each member is launched on its offer in one go. When the held offers are not
 * enough after {@link GangSpec#holdFor}, all of them are given back with a filter of
 * {@link GangSpec#retryAfter}, so the gang never sits on resources others could use, and it waits
 * for the next offers. A gang not launched within {@link GangSpec#giveUpAfter} of starting to wait
 * (at first, and again after each relaunch) fails, saying what was missing. A launch the master
 * refuses counts as a failed member.
 *
 * <p>If a member fails before every member is running, the others are killed and the whole gang is
 * launched again (up to {@link GangSpec#retries} times); after that, one failed member fails the
 * gang. The gang succeeds when every member finished.
 *
 * <p>Threads: SDK callbacks and {@link #tick} (a timer) take this object's lock.
 */
public final class GangScheduler implements Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(GangScheduler.class);

    /** Where the gang is. */
    public enum Phase { HOLDING, LAUNCHED, RUNNING, SUCCEEDED, FAILED }

    private final GangSpec spec;
    private final InstantSource clock;
    private final Consumer<String> progress;
    private final Map<String, Offer> held = new LinkedHashMap<>();
    private final Map<String, TaskState> members = new LinkedHashMap<>();
    private final Map<String, AgentID> agents = new LinkedHashMap<>();
    private final CompletableFuture<GangOutcome> finished = new CompletableFuture<>();
    /** When the gang last started waiting for offers: at start, and again after each relaunch. */
    private Instant waitingSince;
    private SchedulerCalls driver;
    private Phase phase = Phase.HOLDING;
    private Instant holdingSince;
    private int attempt;
    private int releases;
    private int mostPlaced;
    private String lastShortfall = "no offers yet";
    private List<String> addresses = List.of();

    /** @param progress where the gang says what it does, one line each (held, released, launched, ended) */
    public GangScheduler(GangSpec spec, InstantSource clock, Consumer<String> progress) {
        this.spec = spec;
        this.clock = clock;
        this.progress = progress;
        this.waitingSince = clock.instant();
    }

    /** Completes when the gang succeeded or failed. */
    public CompletableFuture<GangOutcome> finished() {
        return finished;
    }

    public synchronized Phase phase() {
        return phase;
    }

    /** How many times held offers were given back because they were not enough. */
    public synchronized int releases() {
        return releases;
    }

    /** Offers held right now. */
    public synchronized int heldOffers() {
        return held.size();
    }

    /** The members' {@code host:port} list of the current launch, in rank order. */
    public synchronized List<String> addresses() {
        return addresses;
    }

    /** Fails the gang at once with {@code why} (e.g. the cluster can never hold it). */
    public synchronized void fail(String why) {
        end(false, why);
    }

    @Override
    public synchronized void subscribed(SchedulerCalls driver, FrameworkID frameworkId, MasterInfo masterInfo) {
        this.driver = driver;
        LOG.info("gang {} subscribed as framework {}", spec.name(), frameworkId.getValue());
        if (phase == Phase.HOLDING) {
            ask(true);
        }
    }

    /**
     * Asks for offers again; with {@code revive}, also clears filters (not after a release, whose
     * filter is the point of releasing). A gang declares no demand: a declaration carries only cpus,
     * mem and disk, so offers cut to it would come without the ports every member needs; plain offers
     * (an agent's free resources) carry them.
     */
    private void ask(boolean revive) {
        if (revive) {
            driver.revive(Set.of());
        }
    }

    @Override
    public synchronized void offers(SchedulerCalls driver, List<Offer> offers) {
        this.driver = driver;
        if (phase != Phase.HOLDING) {
            driver.decline(offers.stream().map(Offer::getId).toList(), refuse(Duration.ofSeconds(30)));
            return;
        }
        offers.forEach(o -> held.put(o.getId().getValue(), o));
        if (holdingSince == null) {
            holdingSince = clock.instant();
        }
        GangPlacement placement = GangPlacement.of(held.values(), spec.memberNeeds(), spec.size());
        mostPlaced = Math.max(mostPlaced, placement.members().size());
        if (placement.complete(spec.size())) {
            launch(placement);
        } else {
            lastShortfall = placement.members().size() + " of " + spec.size() + " member(s) fit the "
                    + held.size() + " held offer(s); " + placement.shortfall();
            LOG.debug("gang {} holds {} offer(s): {}", spec.name(), held.size(), lastShortfall);
        }
    }

    @Override
    public synchronized void rescinded(SchedulerCalls driver, OfferID offerId) {
        held.remove(offerId.getValue());
    }

    private void launch(GangPlacement placement) {
        attempt++;
        List<GangPlacement.Slot> slots = placement.members().subList(0, spec.size());
        addresses = slots.stream().map(GangPlacement.Slot::address).toList();
        Map<String, List<TaskInfo>> byOffer = new LinkedHashMap<>();
        members.clear();
        agents.clear();
        for (int rank = 0; rank < slots.size(); rank++) {
            GangPlacement.Slot slot = slots.get(rank);
            TaskInfo task = GangTasks.member(spec, attempt, rank, slot, addresses);
            members.put(task.getTaskId().getValue(), TaskState.TASK_STAGING);
            agents.put(task.getTaskId().getValue(), slot.offer().getAgentId());
            byOffer.computeIfAbsent(slot.offer().getId().getValue(), k -> new ArrayList<>()).add(task);
        }
        Map<List<TaskInfo>, CompletableFuture<Void>> sent = new LinkedHashMap<>();
        byOffer.forEach((offerId, tasks) -> sent.put(tasks, driver.launch(held.get(offerId).getId(), tasks)));
        List<OfferID> unused = held.values().stream().map(Offer::getId)
                .filter(id -> !byOffer.containsKey(id.getValue())).toList();
        if (!unused.isEmpty()) {
            driver.decline(unused, refuse(Duration.ofSeconds(30)));
        }
        held.clear();
        holdingSince = null;
        phase = Phase.LAUNCHED;
        driver.suppress(Set.of());
        say("launching all " + spec.size() + " members (attempt " + attempt + "): " + String.join(",", addresses));
        int thisAttempt = attempt;
        sent.forEach((tasks, answer) -> answer.whenComplete((ok, failure) -> {
            if (failure != null) {
                launchRefused(thisAttempt, tasks, failure);
            }
        }));
    }

    /**
     * The master refused one of the attempt's ACCEPTs: those members never start, so the gang can never
     * be whole; treated as a member failure (the others are killed, the gang relaunched or failed).
     */
    private synchronized void launchRefused(int refusedAttempt, List<TaskInfo> tasks, Throwable failure) {
        if (refusedAttempt != attempt || phase != Phase.LAUNCHED && phase != Phase.RUNNING) {
            return;
        }
        tasks.forEach(t -> members.put(t.getTaskId().getValue(), TaskState.TASK_DROPPED));
        String cause = failure.getCause() != null && failure instanceof java.util.concurrent.CompletionException
                ? failure.getCause().getMessage() : failure.getMessage();
        attemptFailed("the master refused the launch of " + tasks.size() + " member(s): " + cause);
    }

    /** The timer: gives back offers held too long, and gives up on a gang that never fit. */
    public synchronized void tick() {
        if (phase != Phase.HOLDING || driver == null) {
            return;
        }
        Instant now = clock.instant();
        if (!now.isBefore(waitingSince.plus(spec.giveUpAfter()))) {
            release();
            end(false, "the gang did not fit within " + spec.giveUpAfter().toSeconds() + "s"
                    + (attempt == 0 ? "" : " of relaunching it") + "; at best "
                    + mostPlaced + " of " + spec.size() + " members fitted; last: " + lastShortfall);
            return;
        }
        if (holdingSince != null && !now.isBefore(holdingSince.plus(spec.holdFor()))) {
            int count = held.size();
            release();
            releases++;
            say("not enough for " + spec.size() + " members after " + spec.holdFor().toMillis() + "ms ("
                    + lastShortfall + "); gave back " + count + " offer(s), asking again in "
                    + spec.retryAfter().toMillis() + "ms");
            ask(false);
        }
    }

    private void release() {
        if (!held.isEmpty()) {
            driver.decline(held.values().stream().map(Offer::getId).toList(), refuse(spec.retryAfter()));
        }
        held.clear();
        holdingSince = null;
    }

    @Override
    public synchronized void update(SchedulerCalls driver, TaskStatus status) {
        String id = status.getTaskId().getValue();
        if (!members.containsKey(id)) {
            return;   // a member of an earlier attempt, or not ours
        }
        TaskState state = TaskState.valueOf(status.getState().name());
        members.put(id, state);
        LOG.info("gang {} member {} is {}", spec.name(), id, state);
        if (state == TaskState.TASK_RUNNING && phase == Phase.LAUNCHED
                && members.values().stream().allMatch(s -> s == TaskState.TASK_RUNNING || s == TaskState.TASK_FINISHED)) {
            phase = Phase.RUNNING;
            say("all " + spec.size() + " members running");
        }
        if (state == TaskState.TASK_FINISHED && members.values().stream().allMatch(s -> s == TaskState.TASK_FINISHED)) {
            end(true, "all " + spec.size() + " members finished");
        } else if (state.isTerminal() && state != TaskState.TASK_FINISHED) {
            memberFailed(id, status);
        }
    }

    private void memberFailed(String id, TaskStatus status) {
        attemptFailed("member " + id + " ended " + status.getState().name()
                + (status.getMessage().isBlank() ? "" : ": " + status.getMessage().strip()));
    }

    private void attemptFailed(String why) {
        killOthers();
        if (phase == Phase.LAUNCHED && attempt <= spec.retries()) {
            say(why + "; killed the others, launching the whole gang again");
            members.clear();
            phase = Phase.HOLDING;
            waitingSince = clock.instant();
            mostPlaced = 0;
            ask(true);
        } else {
            end(false, why);
        }
    }

    private void killOthers() {
        members.forEach((taskId, state) -> {
            if (!state.isTerminal()) {
                driver.kill(TaskID.newBuilder().setValue(taskId).build(), agents.get(taskId));
            }
        });
    }

    private void end(boolean success, String why) {
        if (phase == Phase.SUCCEEDED || phase == Phase.FAILED) {
            return;
        }
        if (driver != null) {
            release();
            killOthers();
        }
        phase = success ? Phase.SUCCEEDED : Phase.FAILED;
        say((success ? "succeeded: " : "failed: ") + why);
        finished.complete(new GangOutcome(success, why));
    }

    private void say(String line) {
        LOG.info("gang {}: {}", spec.name(), line);
        progress.accept("gang " + spec.name() + ": " + line);
    }

    private static Filters refuse(Duration d) {
        return Filters.newBuilder().setRefuseSeconds(Math.max(0.001, d.toMillis() / 1000.0)).build();
    }
}
