package io.tandem.agent.recovery;

import io.tandem.agent.status.TaskKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskID;

/**
 * The line format of the agent's task journal ({@link CheckpointLayout#taskJournal()}): one line per
 * event of a task, {@code <kind> <framework id> <task id> [<payload>]}, ids and payload in base64 so
 * that no id or protobuf can break a line.
 *
 * <pre>
 * task     TaskInfo (protobuf)              the task was accepted for launch
 * process  "pid startTime bootId\ncontainer" its supervisor process started (container empty without isolation)
 * update   TaskStatus (protobuf)            a status update was journaled, before it is first sent
 * ack      the update's uuid                the framework acknowledged it
 * forget   (none)                           the task ended and is acknowledged: it is gone from the journal
 * </pre>
 *
 * Stateless.
 */
final class TaskJournal {
    private static final Base64.Encoder ENCODER = Base64.getEncoder();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    enum Kind { TASK, PROCESS, UPDATE, ACK, FORGET }

    /** One parsed line: what happened to which task, and its payload (empty for {@code forget}). */
    record Entry(Kind kind, TaskKey key, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private TaskJournal() {}

    static String line(Kind kind, TaskKey key, byte[] payload) {
        StringBuilder line = new StringBuilder(kind.name().toLowerCase(Locale.ROOT)).append(' ')
                .append(encode(key.frameworkId().getValue())).append(' ').append(encode(key.taskId().getValue()));
        if (payload != null) {
            line.append(' ').append(ENCODER.encodeToString(payload));
        }
        return line.toString();
    }

    /** The line's entry; empty when the line is not one (a kind, two ids, a payload unless forget). */
    static Optional<Entry> parse(String line) {
        String[] fields = line.split(" ", -1);
        if (fields.length < 3 || fields.length > 4) {
            return Optional.empty();
        }
        Kind kind;
        try {
            kind = Kind.valueOf(fields[0].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if ((kind == Kind.FORGET) != (fields.length == 3)) {
            return Optional.empty();
        }
        try {
            TaskKey key = new TaskKey(FrameworkID.newBuilder().setValue(decode(fields[1])).build(),
                    TaskID.newBuilder().setValue(decode(fields[2])).build());
            byte[] payload = fields.length == 4 ? DECODER.decode(fields[3]) : new byte[0];
            return Optional.of(new Entry(kind, key, payload));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String encode(String id) {
        return ENCODER.encodeToString(id.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String field) {
        return new String(DECODER.decode(field), StandardCharsets.UTF_8);
    }
}
