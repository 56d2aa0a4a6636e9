package io.tandem.bench;

import io.tandem.allocator.Allocator;
import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import java.util.Set;

/** Builds the benchmarks' clusters: numbered agents and frameworks, names padded so id order is number order. */
final class Clusters {
    private Clusters() {}

    static AgentId agent(int i) {
        return new AgentId(String.format("agent-%06d", i));
    }

    static FrameworkId framework(int i) {
        return new FrameworkId(String.format("framework-%05d", i));
    }

    static String role(int i) {
        return String.format("role-%05d", i);
    }

    static void addAgents(Allocator allocator, int count, Resources each) {
        for (int i = 0; i < count; i++) {
            allocator.addAgent(agent(i), each);
        }
    }

    /** {@code count} frameworks, all in {@code role}. */
    static void addFrameworks(Allocator allocator, int count, String role) {
        for (int i = 0; i < count; i++) {
            allocator.addFramework(framework(i), Set.of(role));
        }
    }
}
