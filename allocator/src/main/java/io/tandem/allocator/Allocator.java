package io.tandem.allocator;

import io.tandem.allocator.sorter.DrfSorter;
import io.tandem.allocator.sorter.Sorter;
import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resource;
import io.tandem.model.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The first-level scheduler: decides which framework is offered which agent's free resources.
 *
 * <p>A function of its state: events in ({@code addAgent}, {@code addFramework}, {@code recover},
 * {@code suppress}, ...), grants out of {@link #allocate}. No I/O, threads or clock: time is passed in.
 * Not thread-safe; the master's event-loop thread owns it.
 *
 * <p>A round serves roles lacking their quota guarantee first, then the most deserving by the sorters
 * (the role tree level by level, then frameworks within the role). Frameworks that declared demand get one
 * task at a time where it fits (progressive filling, {@link #declareDemand}); the others get, as in Mesos,
 * everything their role may use on an agent (at least {@link #MIN_CPUS} cpus or {@link #MIN_MEM} MB), agents
 * visited starting one further along each round. Quota limits and other roles' unmet guarantees cap every
 * grant. Granted resources stay allocated until {@link #recover} returns them. See README.md.
 */
public final class Allocator {
    /** Mesos's minimum allocatable size: smaller leftovers are not worth an offer. */
    public static final double MIN_CPUS = 0.01;
    public static final double MIN_MEM = 32;

    private final FairShare fairShare;
    private final AgentTotals agents = new AgentTotals();
    private final SortedMap<FrameworkId, FrameworkState> frameworks = new TreeMap<>();
    private final Allocations allocations = new Allocations();
    private final RoleTree roleTree = new RoleTree();
    private final Quotas quotas = new Quotas();
    private final OfferFilters filters = new OfferFilters();
    private final Pool pool;
    private long rounds;
    private Round lastRound = Round.NONE;

    /** Dominant Resource Fairness at both levels. */
    public Allocator() {
        this(new DrfSorter(), new DrfSorter());
    }

    public Allocator(Sorter roleSorter, Sorter frameworkSorter) {
        this.fairShare = new FairShare(Objects.requireNonNull(roleSorter, "roleSorter"),
                Objects.requireNonNull(frameworkSorter, "frameworkSorter"), roleTree, quotas, allocations);
        this.pool = new Pool(agents, allocations, fairShare, frameworks, filters);
    }

    // ---- agents -------------------------------------------------------------------------------

    /** @throws IllegalArgumentException if the agent is already known */
    public void addAgent(AgentId agent, Resources total) {
        Objects.requireNonNull(total, "total");
        agents.add(agent, total);
    }

    /** Forgets the agent and everything allocated on it. Unknown agents are ignored. */
    public void removeAgent(AgentId agent) {
        Resources total = agents.remove(agent);
        if (total == null) {
            return;
        }
        allocations.removeAgent(agent);
        filters.removeAgent(agent);
    }

    /**
     * Records resources already in use when an agent (re-)registers with running tasks. The framework
     * need not be known yet (after a master failover agents may come back before their frameworks).
     *
     * @throws IllegalArgumentException if the agent is unknown or the resources are not free on it
     */
    public void addAllocated(Grant inUse) {
        Resources free = available(inUse.agentId());
        if (!free.contains(inUse.resources())) {
            throw new IllegalArgumentException("agent " + inUse.agentId() + " has no free '" + inUse.resources()
                    + "' for framework " + inUse.frameworkId() + " (free: '" + free + "')");
        }
        allocations.add(inUse.frameworkId(), inUse.agentId(), inUse.role(), inUse.resources());
    }

    /**
     * Reserves or unreserves free resources on an agent (RESERVE_RESOURCES / UNRESERVE_RESOURCES by the
     * operator): {@code from} becomes {@code to}, the same amounts under other roles.
     *
     * @throws IllegalArgumentException if the agent is unknown, {@code from} is not free there, or {@code to}
     *     is not {@code from} with other roles; nothing changes then
     */
    public void updateAvailable(AgentId agent, Resources from, Resources to) {
        Resources free = available(agent);
        if (!free.contains(from)) {
            throw new IllegalArgumentException("agent " + agent + " has no free '" + from + "' (free: '" + free + "')");
        }
        agents.convert(agent, from, to);
    }

    /**
     * As {@link #updateAvailable}, on resources the framework holds under {@code role} (the RESERVE and
     * UNRESERVE offer operations); they stay allocated to it, as {@code to}.
     *
     * @throws IllegalArgumentException also if the framework does not hold {@code from} there under the role,
     *     or {@code to} is reserved for a role other than the role or one above it
     */
    public void updateAllocation(FrameworkId framework, AgentId agent, String role, Resources from, Resources to) {
        Resources held = allocations.heldOn(framework, agent).getOrDefault(role, Resources.empty());
        if (!held.contains(from)) {
            throw new IllegalArgumentException("framework " + framework + " does not hold '" + from + "' on agent "
                    + agent + " in role " + role + " (it holds '" + held + "')");
        }
        if (!to.usableBy(role).equals(to)) {
            throw new IllegalArgumentException("framework " + framework + " in role " + role + " may not reserve '"
                    + to + "': reservations must be for '" + role + "' or a role above it");
        }
        agents.convert(agent, from, to);
        allocations.remove(framework, agent, role, from);
        allocations.add(framework, agent, role, to);
    }

    // ---- frameworks ---------------------------------------------------------------------------

    /** Adds an active framework subscribed to {@code roles} ({@code "*"} included, as Mesos allows). */
    public void addFramework(FrameworkId framework, Set<String> roles) {
        Objects.requireNonNull(framework, "framework");
        requireRoles(roles);
        if (frameworks.putIfAbsent(framework, new FrameworkState(roles)) != null) {
            throw new IllegalArgumentException("framework " + framework + " is already known");
        }
    }

    /** Changes a framework's roles; what it holds under a dropped role stays held until recovered. */
    public void updateFramework(FrameworkId framework, Set<String> roles) {
        requireRoles(roles);
        state(framework).setRoles(roles);
    }

    private static void requireRoles(Set<String> roles) {
        roles.forEach(Resource::requireValidRole);
    }

    /** Forgets the framework and frees everything it holds. Unknown frameworks are ignored. */
    public void removeFramework(FrameworkId framework) {
        frameworks.remove(framework);
        allocations.removeFramework(framework);
        filters.removeFramework(framework);
    }

    public void activateFramework(FrameworkId framework) {
        state(framework).active = true;
    }

    /** An inactive framework (e.g. its scheduler disconnected) keeps what it holds but gets no offers. */
    public void deactivateFramework(FrameworkId framework) {
        state(framework).active = false;
    }

    /** Stops offers to the framework for {@code roles} (all its roles if empty) until {@link #revive}. */
    public void suppress(FrameworkId framework, Set<String> roles) {
        state(framework).suppress(roles);
    }

    /** Resumes offers for {@code roles} (all if empty) and clears all of the framework's offer filters. */
    public void revive(FrameworkId framework, Set<String> roles) {
        state(framework).revive(roles);
        filters.removeFramework(framework);
    }

    private FrameworkState state(FrameworkId framework) {
        return pool.state(framework);
    }

    // ---- roles --------------------------------------------------------------------------------

    /**
     * Sets a role's weight: its dominant share is divided by it, so a role of weight 2 is entitled to twice
     * what a role of weight 1 gets. Roles without a weight weigh 1.0.
     *
     * @throws IllegalArgumentException for a malformed role or a weight that is zero, negative, NaN or infinite
     */
    public void setWeight(String role, double weight) {
        roleTree.setWeight(role, weight);
    }

    /** Sets several weights at once (UPDATE_WEIGHTS): all of them, or none if one is bad. */
    public void setWeights(Map<String, Double> weights) {
        roleTree.setWeights(weights);
    }

    public double weight(String role) {
        return roleTree.weight(role);
    }

    /** The roles whose weight was set (GET_WEIGHTS); every other role weighs 1.0. */
    public Map<String, Double> weights() {
        return roleTree.weights();
    }

    // ---- demand -------------------------------------------------------------------------------

    /**
     * Declares what the framework still wants in {@code role} (the REQUEST call), replacing what it declared
     * there before. With a declaration, the role is served by progressive filling, one task at a time, and
     * each grant is exactly the sum of the tasks it makes room for; granted tasks are taken off the declared
     * counts (a framework that declines them and still wants them declares again). An empty list withdraws
     * the declaration: the framework gets Mesos's whole-agent offers in that role again.
     *
     * @throws IllegalArgumentException if the framework is unknown or not subscribed to the role
     */
    public void declareDemand(FrameworkId framework, String role, List<TaskShape> shapes) {
        state(framework).declare(framework, role, shapes);
    }

    /** Role -> the tasks the framework declared and has not been granted yet (counts above zero). */
    public Map<String, List<TaskShape>> demand(FrameworkId framework) {
        return state(framework).remainingDemand();
    }

    /** Declared tasks that fit on no agent even if it were empty, or exceed a quota limit, each with the reason. */
    public List<UnmetDemand> unsatisfiableDemand() {
        return UnmetDemand.find(frameworks, agents.all(), quotas);
    }

    // ---- quota --------------------------------------------------------------------------------

    /**
     * Sets a role's quota (UPDATE_QUOTA): {@code guarantee} is set aside for the role before fair sharing,
     * {@code limit} is never exceeded by what the role and the roles below it are allocated.
     *
     * @return warnings that do not prevent the change, e.g. a guarantee above the cluster's total
     * @throws IllegalArgumentException for '*' or a malformed role, non-scalar or reserved resources, or a
     *     limit below the guarantee; nothing changes then
     */
    public List<String> setQuota(String role, Resources guarantee, Resources limit) {
        Quota quota = new Quota(guarantee, limit);
        if (guarantee.isEmpty() && limit.isEmpty()) {
            Resource.requireValidRole(role);
            quotas.remove(role);   // as in Mesos, an empty quota is no quota
            return List.of();
        }
        return quotas.set(role, quota, agents.clusterScalars());
    }

    public void removeQuota(String role) {
        quotas.remove(role);
    }

    /** Role -> quota (GET_QUOTA). */
    public Map<String, Quota> quotas() {
        return quotas.all();
    }

    /** Guarantees the cluster as it stands cannot meet. */
    public List<String> quotaWarnings() {
        return quotas.warnings(agents.clusterScalars());
    }

    // ---- recovering -----------------------------------------------------------------------------

    /**
     * Returns resources the framework held on the agent (a declined or rescinded offer, resources a
     * finished task used) to the pool. With a positive {@code refuseFor} the framework is offered
     * nothing from that agent until {@code now + refuseFor} (unless it revives) while all the agent
     * has for it lies within {@code resources}: when more is freed there, it is offered at once.
     *
     * <p>The role is the one role under which the framework holds all of {@code resources} on the agent.
     * Does nothing if the agent is gone, or the framework is gone and holds nothing there, because
     * removal already freed the resources.
     *
     * @throws IllegalArgumentException if the framework does not hold the resources on the agent
     */
    public void recover(FrameworkId framework, AgentId agent, Resources resources, Duration refuseFor, Instant now) {
        Map<String, Resources> held = allocations.heldOn(framework, agent);
        String role = held.entrySet().stream().filter(e -> e.getValue().contains(resources))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        if (role == null && !resources.isEmpty() && !alreadyFreed(framework, agent)) {
            throw new IllegalArgumentException("framework " + framework + " does not hold '" + resources
                    + "' under any single role on agent " + agent + " (it holds " + held + ")");
        }
        recover(framework, agent, role == null ? Resource.UNRESERVED : role, resources, refuseFor, now);
    }

    /** As {@link #recover(FrameworkId, AgentId, Resources, Duration, Instant)}, with the role given. */
    public void recover(FrameworkId framework, AgentId agent, String role, Resources resources, Duration refuseFor,
            Instant now) {
        if (refuseFor.isNegative()) {
            throw new IllegalArgumentException("refuseFor must not be negative, got " + refuseFor);
        }
        if (alreadyFreed(framework, agent)) {
            return;
        }
        allocations.remove(framework, agent, role, resources);
        FrameworkState state = frameworks.get(framework);
        if (state != null && refuseFor.isPositive()) {
            filters.add(framework, agent, resources, now.plus(refuseFor));
        }
    }

    /** Removing an agent or a framework frees what was held, so a late recover has nothing to do. */
    private boolean alreadyFreed(FrameworkId framework, AgentId agent) {
        return !agents.contains(agent)
                || (!frameworks.containsKey(framework) && allocations.heldOn(framework, agent).isEmpty());
    }

    // ---- allocating ---------------------------------------------------------------------------

    /** Grants free resources to frameworks, as described on the class; also sets {@link #lastRound()}. */
    public List<Grant> allocate(Instant now) {
        List<AgentId> order = new ArrayList<>(agents.ids());
        if (!order.isEmpty()) {
            Collections.rotate(order, -(int) (rounds % order.size()));
        }
        rounds++;
        lastRound = pool.allocate(order, now);
        return lastRound.grants();
    }

    /** At least {@link #MIN_CPUS} cpus or {@link #MIN_MEM} MB mem: worth an offer. */
    static boolean isAllocatable(Resources r) {
        return r.scalar("cpus") >= MIN_CPUS || r.scalar("mem") >= MIN_MEM;
    }

    // ---- queries ------------------------------------------------------------------------------

    /** What the last {@link #allocate} call granted and why it passed frameworks over. */
    public Round lastRound() {
        return lastRound;
    }

    /** Agent -> what the framework holds there (offered or in use), over all its roles. */
    public Map<AgentId, Resources> allocated(FrameworkId framework) {
        return allocations.heldBy(framework);
    }

    /** Role -> what the framework holds on the agent. */
    public Map<String, Resources> allocated(FrameworkId framework, AgentId agent) {
        return allocations.heldOn(framework, agent);
    }

    /** The agent's total minus everything allocated on it; empty for an unknown agent. */
    public Resources available(AgentId agent) {
        return pool.available(agent);
    }

    public Resources total(AgentId agent) {
        Resources total = agents.get(agent);
        return total == null ? Resources.empty() : total;
    }

    public Set<AgentId> agents() {
        return agents.ids();
    }

    public Set<FrameworkId> frameworks() {
        return Collections.unmodifiableSet(frameworks.keySet());
    }

    /** Per role: allocation, share, weight, quota, and its frameworks' allocation, share and demand (GET_ROLES). */
    public List<RoleSummary> roles() {
        return fairShare.summarize(frameworks, unsatisfiableDemand(), agents.clusterScalars());
    }

    /** Sum over agents of every scalar resource: the denominator of the sorters' shares. */
    public Resources clusterScalars() {
        return agents.clusterScalars();
    }
}
