package io.tandem.cli;

import io.tandem.sdk.SchedulerCalls;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;

/** Records the calls a scheduler makes, as lines such as {@code "launch o-1 run-0,run-1"} or {@code "request 2 x cpus:0.5;mem:64.0"}; answers them all with success. */
final class RunFakeCalls implements SchedulerCalls {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<TaskInfo> launched = new CopyOnWriteArrayList<>();
    volatile RuntimeException launchFailure;
    volatile RuntimeException requestFailure;

    @Override
    public Optional<FrameworkID> frameworkId() {
        return Optional.of(FrameworkID.newBuilder().setValue("fw-1").build());
    }

    @Override
    public CompletableFuture<Void> accept(Collection<OfferID> offerIds, List<Offer.Operation> operations, Filters filters) {
        List<TaskInfo> tasks = operations.stream().flatMap(o -> o.getLaunch().getTaskInfosList().stream()).toList();
        launched.addAll(tasks);
        calls.add("launch " + ids(offerIds) + " " + String.join(",", tasks.stream().map(t -> t.getTaskId().getValue()).toList()));
        RuntimeException failure = launchFailure;
        return failure == null ? done() : CompletableFuture.failedFuture(failure);
    }

    @Override
    public CompletableFuture<Void> decline(Collection<OfferID> offerIds, Filters filters) {
        calls.add("decline " + ids(offerIds) + " for " + filters.getRefuseSeconds() + "s");
        return done();
    }

    @Override
    public CompletableFuture<Void> kill(TaskID taskId, AgentID agentId) {
        calls.add("kill " + taskId.getValue() + " on " + agentId.getValue());
        return done();
    }

    @Override
    public CompletableFuture<Void> revive(Set<String> roles) {
        calls.add("revive");
        return done();
    }

    @Override
    public CompletableFuture<Void> suppress(Set<String> roles) {
        calls.add("suppress");
        return done();
    }

    @Override
    public CompletableFuture<Void> acknowledge(TaskStatus status) {
        return done();
    }

    @Override
    public CompletableFuture<Void> reconcile(Collection<TaskStatus> tasks) {
        return done();
    }

    @Override
    public CompletableFuture<Void> message(AgentID agentId, ExecutorID executorId, byte[] data) {
        return done();
    }

    @Override
    public CompletableFuture<Void> teardown() {
        calls.add("teardown");
        return done();
    }

    @Override
    public CompletableFuture<Void> send(Call.Builder call) {
        if (call.getType() == Call.Type.REQUEST) {
            calls.add("request " + call.getRequest().getRequestsCount() + demandShape(call.getRequest()));
            RuntimeException failure = requestFailure;
            return failure == null ? done() : CompletableFuture.failedFuture(failure);
        }
        calls.add(call.getType().name());
        return done();
    }

    /** {@code " x cpus:0.5;mem:64"} when every entry has that shape, as {@code tandem run} declares. */
    private static String demandShape(Call.Request request) {
        List<String> shapes = request.getRequestsList().stream().map(r -> String.join(";", r.getResourcesList().stream()
                .map(res -> res.getName() + ":" + res.getScalar().getValue()).toList())).distinct().toList();
        return shapes.isEmpty() ? "" : " x " + String.join(" | ", shapes);
    }

    private static String ids(Collection<OfferID> offerIds) {
        return String.join(",", offerIds.stream().map(OfferID::getValue).toList());
    }

    private static CompletableFuture<Void> done() {
        return CompletableFuture.completedFuture(null);
    }
}
