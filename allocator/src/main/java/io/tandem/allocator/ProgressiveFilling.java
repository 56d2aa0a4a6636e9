package io.tandem.allocator;

import io.tandem.allocator.Refusal.Reason;
import io.tandem.model.AgentId;
import io.tandem.model.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One demand-aware allocation pass: repeatedly, the most deserving candidate (by the sorters, over what
 * is allocated now) gets one unit: one task of its declared demand on the first agent where it fits, or,
 * for a candidate that declared nothing, everything its role may use on the next agent (Mesos's
 * behaviour). A candidate that can get nothing more leaves the pass; the pass ends when none is left.
 * Grants are summed per (framework, role, agent). Owned by the {@link Allocator}, for one round.
 */
final class ProgressiveFilling {
    private record Key(Candidate candidate, AgentId agent) {}

    private final Allocator allocator;
    private final List<AgentId> order;
    private final Instant now;
    private final Map<Key, Resources> granted = new LinkedHashMap<>();
    /**
     * Where each (candidate, shape index) search resumes (-1 for a candidate's whole-agent search): within a
     * round free resources, quota room and filters only shrink, so an agent passed over stays passed over.
     */
    private final Map<Cursor, Integer> cursors = new HashMap<>();

    private record Cursor(Candidate candidate, int shape) {}

    /**
     * (role, shape) -> the first agent that may still hold a task of that shape for the role: every agent before
     * it lacks room, for every framework in the role alike (filters aside), and room only shrinks in a round.
     * Saves each framework's search from re-checking agents others have filled.
     */
    private final Map<Frontier, int[]> frontiers = new HashMap<>();

    private record Frontier(String role, Resources shape) {}

    /** Candidate -> its declared counts, counted down here and written back once at the end of the pass. */
    private final Map<Candidate, int[]> counts = new HashMap<>();
    /** Without reservations a task is carved from unreserved resources only: exactly its shape. */
    private final boolean reservations;

    ProgressiveFilling(Allocator allocator, List<AgentId> order, Instant now) {
        this.allocator = allocator;
        this.order = order;
        this.now = now;
        this.reservations = allocator.hasReservations();
    }

    List<Grant> run(List<Candidate> candidates, RefusalCounts refusals) {
        FairOrder fairOrder = allocator.fairOrder(candidates);
        boolean[] left = new boolean[fairOrder.size()];
        for (int i = fairOrder.first(j -> left[j]); i >= 0; i = fairOrder.first(j -> left[j])) {
            Candidate next = fairOrder.get(i);
            boolean served = allocator.state(next.framework()).hasDemand(next.role())
                    ? placeTask(next) : placeRemainder(next);
            if (served) {
                fairOrder.granted(i);
            } else {
                left[i] = true;
                fairOrder.remove(i);
            }
        }
        writeBackCounts();
        candidates.stream().filter(c -> allocator.state(c.framework()).hasDemand(c.role()))
                .forEach(c -> explain(c, refusals));
        List<Grant> out = new ArrayList<>();
        granted.forEach((k, r) -> out.add(new Grant(k.candidate().framework(), k.candidate().role(), k.agent(), r)));
        return out;
    }

    /** Granted tasks come off the declared counts. */
    private void writeBackCounts() {
        counts.forEach((c, remaining) -> {
            List<TaskShape> shapes = allocator.state(c.framework()).demand.get(c.role());
            for (int s = 0; s < remaining.length; s++) {
                if (remaining[s] != shapes.get(s).count()) {
                    shapes.set(s, shapes.get(s).withCount(remaining[s]));
                }
            }
        });
    }

    /** One task of the first declared shape that still has a count and fits somewhere. */
    private boolean placeTask(Candidate c) {
        List<TaskShape> shapes = allocator.state(c.framework()).demand.get(c.role());
        int[] left = counts.computeIfAbsent(c, k -> shapes.stream().mapToInt(TaskShape::count).toArray());
        for (int i = 0; i < shapes.size(); i++) {
            if (left[i] == 0) {
                continue;
            }
            Resources shape = shapes.get(i).resources();
            Cursor cursor = new Cursor(c, i);
            int[] frontier = frontiers.computeIfAbsent(new Frontier(c.role(), shape), f -> new int[1]);
            for (int a = Math.max(frontier[0], cursors.getOrDefault(cursor, 0)); a < order.size(); a++) {
                AgentId agent = order.get(a);
                Resources usable = allocator.usableFor(c.role(), agent);
                boolean fits = Placement.fits(shape, usable);
                if (!fits && a == frontier[0]) {
                    frontier[0] = a + 1;
                }
                if (fits && !isFiltered(c, agent, usable)) {
                    give(c, agent, reservations ? Placement.carve(shape, usable) : shape);
                    left[i]--;
                    cursors.put(cursor, a);
                    return true;
                }
            }
            cursors.put(cursor, order.size());
        }
        return false;
    }

    /** Everything the candidate's role may use on the next agent it got nothing from in this pass. */
    private boolean placeRemainder(Candidate c) {
        Cursor cursor = new Cursor(c, -1);
        for (int a = cursors.getOrDefault(cursor, 0); a < order.size(); a++) {
            AgentId agent = order.get(a);
            Resources usable = allocator.usableFor(c.role(), agent);
            if (Allocator.isAllocatable(usable) && !isFiltered(c, agent, usable)) {
                give(c, agent, usable);
                cursors.put(cursor, a + 1);
                return true;
            }
        }
        cursors.put(cursor, order.size());
        return false;
    }

    private boolean isFiltered(Candidate c, AgentId agent, Resources usable) {
        return allocator.state(c.framework()).isFiltered(agent, usable, now);
    }

    private void give(Candidate c, AgentId agent, Resources resources) {
        allocator.hold(c, agent, resources);
        granted.merge(new Key(c, agent), resources, Resources::plus);
    }

    /** Why a candidate with demand left got nothing more from each agent. */
    private void explain(Candidate c, RefusalCounts refusals) {
        List<TaskShape> left = allocator.state(c.framework()).demand.get(c.role()).stream()
                .filter(s -> s.count() > 0).toList();
        if (left.isEmpty()) {
            return;
        }
        for (AgentId agent : order) {
            Resources usable = allocator.usableFor(c.role(), agent);
            Resources uncapped = allocator.available(agent).usableBy(c.role());
            Reason reason = left.stream().anyMatch(s -> Placement.fits(s.resources(), usable)) ? Reason.FILTERED
                    : left.stream().anyMatch(s -> Placement.fits(s.resources(), uncapped)) ? Reason.QUOTA
                    : Reason.NO_TASK_FITS;
            refusals.add(c.framework(), c.role(), reason, 1);
        }
    }
}
