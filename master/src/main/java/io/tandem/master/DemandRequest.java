package io.tandem.master;

import io.tandem.allocator.TaskShape;
import io.tandem.api.ResourceMapping;
import io.tandem.model.Resource;
import io.tandem.model.Resources;
import io.tandem.model.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Tandem's reading of the REQUEST call (Mesos defines it and ignores it): each {@code Request} is one task of
 * the shape its resources describe, identical entries add up to a count; the task's role is its resources'
 * {@code allocation_info.role}, else the framework's only role. Ports (any range resource) are counted: a
 * SCALAR {@code ports} of 2, or RANGES of two values, asks for two of the agent's free ports. An empty REQUEST
 * withdraws every declaration.
 *
 * @param byRole role -> the tasks declared there; the declaration replaces what the framework declared for
 *     each role named, and roles not named keep theirs (unless {@link #clearsAll()})
 */
record DemandRequest(Map<String, List<TaskShape>> byRole) {

    /** True for a REQUEST without requests: the framework withdraws its demand in every role. */
    boolean clearsAll() {
        return byRole.isEmpty();
    }

    /**
     * Decides what a REQUEST declares; changes nothing.
     *
     * @throws IllegalArgumentException naming the request (by index) and the problem: malformed resources,
     *     a shape the allocator cannot take, no role or several roles, a role the framework does not hold
     */
    static DemandRequest read(Set<String> frameworkRoles, Call.Request call) {
        Map<String, Map<Resources, Integer>> counts = new TreeMap<>();
        for (int i = 0; i < call.getRequestsCount(); i++) {
            Protos.Request request = call.getRequests(i);
            String role = roleOf(i, request, frameworkRoles);
            Resources shape;
            try {
                shape = counted(ResourceMapping.fromMesos(request.getResourcesList()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("request #" + i + ": " + e.getMessage(), e);
            }
            counts.computeIfAbsent(role, r -> new LinkedHashMap<>()).merge(shape, 1, Integer::sum);
        }
        Map<String, List<TaskShape>> byRole = new TreeMap<>();
        counts.forEach((role, shapes) -> byRole.put(role, shapes.entrySet().stream()
                .map(e -> shape(role, e.getKey(), e.getValue())).toList()));
        return new DemandRequest(byRole);
    }

    /**
     * Tandem's convention for what a task needs of a range resource (ports): a count. A SCALAR {@code ports}
     * of 2 is two ports; a RANGES value counts its size ({@code [1-2]}, any two), so the task is offered the
     * agent's free ports, not the ones named.
     */
    private static Resources counted(Resources resources) {
        List<Resource> out = new ArrayList<>();
        for (Resource r : resources.list()) {
            out.add(r.value() instanceof Value.Ranges ranges
                    ? new Resource(r.name(), r.role(), Value.Scalar.of(ranges.size())) : r);
        }
        return Resources.of(out);
    }

    private static TaskShape shape(String role, Resources resources, int count) {
        try {
            return new TaskShape(resources, count);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("request for role '" + role + "': " + e.getMessage(), e);
        }
    }

    private static String roleOf(int index, Protos.Request request, Set<String> frameworkRoles) {
        if (request.getResourcesCount() == 0) {
            throw new IllegalArgumentException("request #" + index + " has no resources; a request describes one task");
        }
        Set<String> named = new TreeSet<>();
        for (Protos.Resource r : request.getResourcesList()) {
            if (r.hasAllocationInfo() && r.getAllocationInfo().hasRole()) {
                named.add(r.getAllocationInfo().getRole());
            }
        }
        if (named.size() > 1) {
            throw new IllegalArgumentException("request #" + index + " names several roles " + named
                    + " in its resources' allocation_info; one task has one role");
        }
        if (named.isEmpty()) {
            if (frameworkRoles.size() != 1) {
                throw new IllegalArgumentException("request #" + index + " names no role (allocation_info.role)"
                        + " and the framework has roles " + new TreeSet<>(frameworkRoles) + "; name one");
            }
            return frameworkRoles.iterator().next();
        }
        String role = named.iterator().next();
        if (!frameworkRoles.contains(role)) {
            throw new IllegalArgumentException("request #" + index + " is for role '" + role
                    + "', which the framework does not hold (its roles: " + new TreeSet<>(frameworkRoles) + ")");
        }
        return role;
    }
}
