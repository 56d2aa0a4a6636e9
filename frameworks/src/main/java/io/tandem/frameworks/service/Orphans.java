package io.tandem.frameworks.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.AgentID;

/**
 * Tasks no app owns any more (their app was removed, or the master named a task the saved state does
 * not know) that are being killed; a kill is sent again every {@link App#KILL_RESEND} until the task's
 * terminal update arrives. Owned by the service loop thread.
 */
final class Orphans {
    /** A task being killed: its agent (null when unknown) and when the last kill went out. */
    record Orphan(String taskId, AgentID agentId, Instant lastKill) {}

    private final Map<String, Orphan> orphans = new HashMap<>();

    /** Records a task whose kill was just sent. */
    void killed(String taskId, AgentID agentId, Instant now) {
        orphans.put(taskId, new Orphan(taskId, agentId, now));
    }

    boolean contains(String taskId) {
        return orphans.containsKey(taskId);
    }

    /** The task ended: stop killing it. */
    void ended(String taskId) {
        orphans.remove(taskId);
    }

    /** The orphans whose last kill is older than {@link App#KILL_RESEND}; their clocks restart now. */
    List<Orphan> due(Instant now) {
        List<Orphan> due = new ArrayList<>();
        for (Orphan o : List.copyOf(orphans.values())) {
            if (!now.isBefore(o.lastKill().plus(App.KILL_RESEND))) {
                due.add(o);
                orphans.put(o.taskId(), new Orphan(o.taskId(), o.agentId(), now));
            }
        }
        return due;
    }
}
