package io.tandem.allocator;

import io.tandem.allocator.Refusal.Reason;
import io.tandem.model.AgentId;
import io.tandem.model.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One demand-aware allocation pass: repeatedly, the most deserving candidate (by the sorters, over what
 * is allocated now) gets one unit: one task of its declared demand on the first agent where it fits, or,
 * for a candidate that declared nothing, everything its role may use on the next agent (Mesos's
 * behaviour). A candidate that can get nothing more leaves the pass; the pass ends when none is left.
 * Grants are summed per (framework, role, agent). Run by the {@link Pool}, for one round.
 */
final class ProgressiveFilling {
    /** One candidate's state in this pass; kept by the candidate's number in the fair order. */
    private static final class Progress {
        final Candidate candidate;
        final FrameworkState state;
        final boolean hasDemand;
        List<TaskShape> shapes;
        /** Declared counts, counted down here and written back once at the end of the pass. */
        int[] left;
        /**
         * Per shape (and, last, the whole-agent search), where the search resumes: within a round free
         * resources, quota room and filters only shrink, so an agent passed over stays passed over.
         */
        int[] cursor;
        /** Per shape, the shared frontier of its (role, shape), looked up once. */
        final int[][] frontier;
        /** Agent position -> index of this candidate's grant there in {@link #grants}. */
        final Map<Integer, Integer> grantAt = new HashMap<>();

        Progress(Candidate candidate, FrameworkState state) {
            this.candidate = candidate;
            this.state = state;
            this.hasDemand = state.hasDemand(candidate.role());
            this.shapes = hasDemand ? state.demand.get(candidate.role()) : List.of();
            this.left = shapes.stream().mapToInt(TaskShape::count).toArray();
            this.cursor = new int[shapes.size() + 1];
            this.frontier = new int[shapes.size()][];
        }
    }

    private final Pool pool;
    private final List<AgentId> order;
    private final Instant now;
    /** Grants summed per (candidate, agent), in the order first made. */
    private final List<Grant> grants = new ArrayList<>();
    /**
     * (role, shape) -> the first agent that may still hold a task of that shape for the role: every agent before
     * it lacks room, for every framework in the role alike (filters aside), and room only shrinks in a round.
     * Saves each framework's search from re-checking agents others have filled.
     */
    private final Map<Frontier, int[]> frontiers = new HashMap<>();
    /** Without reservations a task is carved from unreserved resources only: exactly its shape. */
    private final boolean reservations;

    private record Frontier(String role, Resources shape) {}

    ProgressiveFilling(Pool pool, List<AgentId> order, Instant now) {
        this.pool = pool;
        this.order = order;
        this.now = now;
        this.reservations = pool.hasReservations();
    }

    List<Grant> run(List<Candidate> candidates, RefusalCounts refusals) {
        FairOrder fairOrder = pool.fairOrder(candidates);
        Progress[] progress = new Progress[fairOrder.size()];
        for (int i = 0; i < progress.length; i++) {
            progress[i] = new Progress(fairOrder.get(i), pool.state(fairOrder.get(i).framework()));
        }
        boolean[] done = new boolean[fairOrder.size()];
        for (int i = fairOrder.first(j -> done[j]); i >= 0; i = fairOrder.first(j -> done[j])) {
            boolean served = progress[i].hasDemand ? placeTask(progress[i]) : placeRemainder(progress[i]);
            if (served) {
                fairOrder.granted(i);
            } else {
                done[i] = true;
                fairOrder.remove(i);
            }
        }
        for (Progress p : progress) {
            writeBackCounts(p);
        }
        candidates.stream().filter(c -> pool.state(c.framework()).hasDemand(c.role()))
                .forEach(c -> explain(c, refusals));
        return grants;
    }

    /** Granted tasks come off the declared counts. */
    private static void writeBackCounts(Progress p) {
        for (int s = 0; s < p.left.length; s++) {
            if (p.left[s] != p.shapes.get(s).count()) {
                p.shapes.set(s, p.shapes.get(s).withCount(p.left[s]));
            }
        }
    }

    /** One task of the first declared shape that still has a count and fits somewhere. */
    private boolean placeTask(Progress p) {
        String role = p.candidate.role();
        for (int i = 0; i < p.shapes.size(); i++) {
            if (p.left[i] == 0) {
                continue;
            }
            Resources shape = p.shapes.get(i).resources();
            if (p.frontier[i] == null) {
                p.frontier[i] = frontiers.computeIfAbsent(new Frontier(role, shape), f -> new int[1]);
            }
            int[] frontier = p.frontier[i];
            for (int a = Math.max(frontier[0], p.cursor[i]); a < order.size(); a++) {
                AgentId agent = order.get(a);
                Resources usable = pool.usableFor(role, agent);
                boolean fits = Placement.fits(shape, usable);
                if (!fits && a == frontier[0]) {
                    frontier[0] = a + 1;
                }
                if (fits && !pool.filters().isFiltered(p.candidate.framework(), agent, usable, now)) {
                    give(p, a, reservations || Placement.hasCounts(shape, usable) ? Placement.carve(shape, usable)
                            : shape);
                    p.left[i]--;
                    p.cursor[i] = a;
                    return true;
                }
            }
            p.cursor[i] = order.size();
        }
        return false;
    }

    /** Everything the candidate's role may use on the next agent it got nothing from in this pass. */
    private boolean placeRemainder(Progress p) {
        int whole = p.cursor.length - 1;
        for (int a = p.cursor[whole]; a < order.size(); a++) {
            AgentId agent = order.get(a);
            Resources usable = pool.usableFor(p.candidate.role(), agent);
            if (Allocator.isAllocatable(usable) && !pool.filters().isFiltered(p.candidate.framework(), agent, usable, now)) {
                give(p, a, usable);
                p.cursor[whole] = a + 1;
                return true;
            }
        }
        p.cursor[whole] = order.size();
        return false;
    }

    private void give(Progress p, int position, Resources resources) {
        AgentId agent = order.get(position);
        pool.hold(p.candidate, agent, resources);
        Integer at = p.grantAt.get(position);
        if (at == null) {
            p.grantAt.put(position, grants.size());
            grants.add(new Grant(p.candidate.framework(), p.candidate.role(), agent, resources));
        } else {
            Grant g = grants.get(at);
            grants.set(at, new Grant(g.frameworkId(), g.role(), agent, g.resources().plus(resources)));
        }
    }

    /** Why a candidate with demand left got nothing more from each agent. */
    private void explain(Candidate c, RefusalCounts refusals) {
        List<TaskShape> left = pool.state(c.framework()).demand.get(c.role()).stream()
                .filter(s -> s.count() > 0).toList();
        if (left.isEmpty()) {
            return;
        }
        for (AgentId agent : order) {
            Resources usable = pool.usableFor(c.role(), agent);
            Resources uncapped = pool.available(agent).usableBy(c.role());
            Reason reason = left.stream().anyMatch(s -> Placement.fits(s.resources(), usable)) ? Reason.FILTERED
                    : left.stream().anyMatch(s -> Placement.fits(s.resources(), uncapped)) ? Reason.QUOTA
                    : Reason.NO_TASK_FITS;
            refusals.add(c.framework(), c.role(), reason, 1);
        }
    }
}
