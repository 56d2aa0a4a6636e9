package io.tandem.master;

import io.tandem.model.AgentId;
import io.tandem.model.ExecutorId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import io.tandem.model.TaskId;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tasks the master knows, and the executors they run in.
 *
 * <p>An executor's resources are taken once, by the first task that starts it on an agent, and
 * given back when the last of its tasks ends: the agent does not report executors exiting, and an
 * executor without tasks is expected to exit.
 *
 * <p>Owned by the master loop thread; not thread-safe.
 */
final class Tasks {
    /** How many finished tasks are remembered for the operator API. */
    static final int COMPLETED_KEPT = 1000;

    record Key(FrameworkId frameworkId, TaskId taskId) {}

    record ExecutorKey(FrameworkId frameworkId, AgentId agentId, ExecutorId executorId) {}

    private record RunningExecutor(String role, Resources resources, Set<TaskId> tasks) {}

    /** Resources held on an agent by one framework under one role. */
    record Holding(FrameworkId frameworkId, String role, Resources resources) {}

    private final Map<Key, Task> active = new LinkedHashMap<>();
    private final Deque<Task> completed = new ArrayDeque<>();
    private final Map<ExecutorKey, RunningExecutor> executors = new HashMap<>();

    /** Adds a task; {@code executorResources} are taken if its executor is not running yet. */
    void add(Task task, Resources executorResources) {
        active.put(new Key(task.frameworkId(), task.id()), task);
        task.executorId().ifPresent(executorId -> executors
                .computeIfAbsent(new ExecutorKey(task.frameworkId(), task.agentId(), executorId),
                        k -> new RunningExecutor(task.role(), executorResources, new HashSet<>()))
                .tasks().add(task.id()));
    }

    Optional<Task> get(FrameworkId frameworkId, TaskId taskId) {
        return Optional.ofNullable(active.get(new Key(frameworkId, taskId)));
    }

    boolean contains(FrameworkId frameworkId, TaskId taskId) {
        return active.containsKey(new Key(frameworkId, taskId));
    }

    /** True if the executor runs (has a live task) on that agent for that framework. */
    boolean executorRunning(FrameworkId frameworkId, AgentId agentId, ExecutorId executorId) {
        return executors.containsKey(new ExecutorKey(frameworkId, agentId, executorId));
    }

    /**
     * Marks the task's resources released and returns what goes back to the allocator: the task's
     * resources, plus its executor's if this was the executor's last task. Empty if already released.
     */
    Resources release(Task task) {
        if (task.resourcesReleased()) {
            return Resources.empty();
        }
        task.releaseResources();
        Resources freed = task.resources();
        if (task.executorId().isPresent()) {
            ExecutorKey key = new ExecutorKey(task.frameworkId(), task.agentId(), task.executorId().get());
            RunningExecutor executor = executors.get(key);
            if (executor != null) {
                executor.tasks().remove(task.id());
                if (executor.tasks().isEmpty()) {
                    executors.remove(key);
                    freed = freed.plus(executor.resources());
                }
            }
        }
        return freed;
    }

    /**
     * The executor exited (its agent said so): it holds nothing any more. Returns what its resources
     * were, to give back to the allocator; empty if it was not known. Its tasks, if any are left, give
     * back only their own resources when they end.
     */
    Optional<Holding> executorExited(FrameworkId frameworkId, AgentId agentId, ExecutorId executorId) {
        RunningExecutor executor = executors.remove(new ExecutorKey(frameworkId, agentId, executorId));
        return Optional.ofNullable(executor).map(e -> new Holding(frameworkId, e.role(), e.resources()));
    }

    /** Moves a task to the completed list (its resources must have been released). */
    void complete(Task task) {
        active.remove(new Key(task.frameworkId(), task.id()));
        completed.addLast(task);
        if (completed.size() > COMPLETED_KEPT) {
            completed.removeFirst();
        }
    }

    /**
     * What tasks (and their executors) on the agent hold, per framework and role: what the allocator
     * must count as allocated when the agent rejoins it.
     */
    List<Holding> heldOn(AgentId agentId) {
        Map<Holding, Resources> sums = new LinkedHashMap<>();
        for (Task task : onAgent(agentId)) {
            if (!task.resourcesReleased()) {
                sums.merge(new Holding(task.frameworkId(), task.role(), Resources.empty()), task.resources(),
                        Resources::plus);
            }
        }
        executors.forEach((key, executor) -> {
            if (key.agentId().equals(agentId)) {
                sums.merge(new Holding(key.frameworkId(), executor.role(), Resources.empty()), executor.resources(),
                        Resources::plus);
            }
        });
        return sums.entrySet().stream()
                .map(e -> new Holding(e.getKey().frameworkId(), e.getKey().role(), e.getValue()))
                .filter(h -> !h.resources().isEmpty())
                .toList();
    }

    List<Task> ofFramework(FrameworkId id) {
        return active.values().stream().filter(t -> t.frameworkId().equals(id)).toList();
    }

    List<Task> onAgent(AgentId id) {
        return active.values().stream().filter(t -> t.agentId().equals(id)).toList();
    }

    Collection<Task> all() {
        return Collections.unmodifiableCollection(active.values());
    }

    Collection<Task> completed() {
        return Collections.unmodifiableCollection(completed);
    }
}
