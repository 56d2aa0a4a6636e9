package io.tandem.frameworks.service;

import io.tandem.frameworks.common.ShellCommand;
import io.tandem.sdk.Placement;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.Labels;
import org.apache.mesos.v1.Protos.Label;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * How an instance becomes a Mesos task: its command run
 * through {@code sh -c} with {@code PORT0..PORTn}, {@code PORT} (= PORT0) and {@code HOST} set, its
 * resources and kill grace period, and a {@code command} health check as {@code TaskInfo.health_check}.
 * Stateless.
 */
final class Launches {
    private final String role;

    Launches(String role) {
        this.role = role;
    }

    TaskInfo task(Instance instance, Offer offer, Placement placement) {
        java.util.SequencedMap<String, String> tandem = new java.util.LinkedHashMap<>();
        for (int p = 0; p < instance.ports.size(); p++) {
            tandem.put("PORT" + p, instance.ports.get(p).toString());
        }
        if (!instance.ports.isEmpty()) {
            tandem.put("PORT", instance.ports.getFirst().toString());
        }
        tandem.put("HOST", offer.getHostname());
        Environment env = ShellCommand.environment(instance.spec.env(), tandem);
        TaskInfo.Builder task = TaskInfo.newBuilder()
                .setName(instance.taskId)
                .setTaskId(TaskID.newBuilder().setValue(instance.taskId))
                .setAgentId(offer.getAgentId())
                .addAllResources(placement.resources())
                .setCommand(ShellCommand.of(instance.spec.command(), instance.spec.env(), tandem))
                .setKillPolicy(KillPolicy.newBuilder().setGracePeriod(
                        DurationInfo.newBuilder().setNanoseconds(instance.spec.killGrace().toNanos())))
                .setLabels(Labels.newBuilder()
                        .addLabels(Label.newBuilder().setKey("tandem.service").setValue(instance.spec.name()))
                        .addLabels(Label.newBuilder().setKey("tandem.service.version").setValue("" + instance.version))
                        .addLabels(Label.newBuilder().setKey("tandem.role").setValue(role)));
        instance.spec.healthCheck().filter(AppSpec.HealthCheckSpec::byAgent)
                .ifPresent(check -> task.setHealthCheck(commandCheck(check, env)));
        return task.build();
    }

    /**
     * A Mesos COMMAND health check, run next to the task with the task's environment. Mesos counts
     * consecutive failures itself too; the scheduler still applies its own count to the verdicts.
     */
    static HealthCheck commandCheck(AppSpec.HealthCheckSpec check, Environment env) {
        return HealthCheck.newBuilder()
                .setType(HealthCheck.Type.COMMAND)
                .setDelaySeconds(0)   // Mesos's default is 15 s before the first check
                .setCommand(CommandInfo.newBuilder().setShell(true).setValue(check.command()).setEnvironment(env))
                .setGracePeriodSeconds(check.grace().toMillis() / 1000.0)
                .setIntervalSeconds(check.interval().toMillis() / 1000.0)
                .setTimeoutSeconds(check.timeout().toMillis() / 1000.0)
                .setConsecutiveFailures(check.maxFailures())
                .build();
    }

    /** What explicit reconciliation sends for a known instance: its task and agent ids. */
    static TaskStatus reconcileStatus(Instance instance) {
        return TaskStatus.newBuilder()
                .setTaskId(TaskID.newBuilder().setValue(instance.taskId))
                .setAgentId(AgentID.newBuilder().setValue(instance.site.agentId()))
                .setState(TaskState.TASK_STAGING)
                .build();
    }

    /** Why a task ended, in words: the agent's message, else its state and reason. */
    static String reason(TaskStatus status) {
        String message = status.getMessage().strip();
        String why = status.hasReason() ? " " + status.getReason().name() : "";
        return status.getState().name() + why + (message.isEmpty() ? "" : ": " + message);
    }
}
