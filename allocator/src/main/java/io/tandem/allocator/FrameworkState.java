package io.tandem.allocator;

import io.tandem.model.FrameworkId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The allocator's view of one framework: its roles, whether it wants offers, and its declared demand. */
final class FrameworkState {
    Set<String> roles;
    boolean active = true;
    final Set<String> suppressedRoles = new TreeSet<>();
    /**
     * Role -> the tasks the framework still wants there, in declared order; each grant of a task lowers its
     * count. A role absent here declared nothing and gets Mesos's whole-agent offers.
     */
    final Map<String, List<TaskShape>> demand = new TreeMap<>();

    FrameworkState(Set<String> roles) {
        this.roles = new TreeSet<>(roles);
    }

    /** What it holds under a dropped role stays held; its suppression and demand there are forgotten. */
    void setRoles(Set<String> newRoles) {
        roles = new TreeSet<>(newRoles);
        suppressedRoles.retainAll(newRoles);
        demand.keySet().retainAll(newRoles);
    }

    /** Suppresses {@code some} roles, or all if empty. */
    void suppress(Set<String> some) {
        suppressedRoles.addAll(some.isEmpty() ? roles : some);
    }

    /** Revives {@code some} roles, or all if empty (the {@link Allocator} drops the framework's filters). */
    void revive(Set<String> some) {
        if (some.isEmpty()) {
            suppressedRoles.clear();
        } else {
            suppressedRoles.removeAll(some);
        }
    }

    /** Replaces the demand declared for the role; an empty list withdraws it. */
    void declare(FrameworkId id, String role, List<TaskShape> shapes) {
        if (!roles.contains(role)) {
            throw new IllegalArgumentException("framework " + id + " is not subscribed to role '" + role
                    + "' (its roles: " + String.join(", ", roles) + ")");
        }
        if (shapes.isEmpty()) {
            demand.remove(role);
        } else {
            demand.put(role, new ArrayList<>(shapes));
        }
    }

    boolean hasDemand(String role) {
        return demand.containsKey(role);
    }

    /** Role -> declared tasks not granted yet (counts above zero). */
    Map<String, List<TaskShape>> remainingDemand() {
        Map<String, List<TaskShape>> out = new TreeMap<>();
        demand.forEach((role, shapes) -> {
            List<TaskShape> left = shapes.stream().filter(s -> s.count() > 0).toList();
            if (!left.isEmpty()) {
                out.put(role, left);
            }
        });
        return out;
    }
}
