package io.tandem.api;

import java.util.Optional;
import org.apache.mesos.v1.Protos.Label;
import org.apache.mesos.v1.Protos.Labels;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * Reasons Tandem gives that Mesos 1.11's closed {@code TaskStatus.Reason} enum has no value for. The
 * status keeps the nearest Mesos reason (what a Mesos agent would send), and the finer one travels as
 * the label {@value #LABEL} on the status: labels are free-form in Mesos, kept by every parser (JSON or
 * protobuf) and shown by the operator APIs, so no client breaks and any client can read it.
 * Stateless.
 */
public final class TandemReasons {
    /** The key of the status label that carries Tandem's reason. */
    public static final String LABEL = "tandem.reason";

    /**
     * A {@code CommandInfo.URI} could not be fetched; the status's reason is
     * {@code REASON_CONTAINER_LAUNCH_FAILED} and its message {@code Failed to fetch '<uri>': <why>}.
     */
    public static final String FETCHER_FAILED = "REASON_FETCHER_FAILED";

    private TandemReasons() {}

    /** The labels that carry {@code reason}. */
    public static Labels labels(String reason) {
        return Labels.newBuilder().addLabels(Label.newBuilder().setKey(LABEL).setValue(reason)).build();
    }

    /** Tandem's reason on {@code status}, if it has one. */
    public static Optional<String> of(TaskStatus status) {
        return status.getLabels().getLabelsList().stream().filter(l -> LABEL.equals(l.getKey()))
                .map(Label::getValue).findFirst();
    }
}
