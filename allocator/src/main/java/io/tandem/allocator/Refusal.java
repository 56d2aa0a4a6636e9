package io.tandem.allocator;

import io.tandem.model.FrameworkId;

/**
 * Why a framework, in one of its roles, was passed over in an allocation round, and on how many agents.
 * Counted rather than listed per agent so that a round over thousands of agents stays small.
 */
public record Refusal(FrameworkId frameworkId, String role, Reason reason, int agents) {

    public enum Reason {
        INACTIVE("the framework is not active"),
        SUPPRESSED("the framework suppressed offers for this role"),
        FILTERED("the framework declined this agent with a filter that has not expired"),
        NOTHING_LEFT("nothing the role may use is left on the agent (at least 0.01 cpus or 32 MB mem)"),
        QUOTA("the role's quota limit, or resources set aside for other roles' guarantees, leave it nothing here"),
        NO_TASK_FITS("none of the tasks the framework still wants fits in what is left for its role on the agent");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** E.g. {@code framework f1 (role prod) got nothing from 3 agent(s): the framework declined ...}. */
    public String describe() {
        return "framework " + frameworkId + " (role " + role + ") got nothing from " + agents + " agent(s): "
                + reason.text();
    }
}
