package io.tandem.agent.loop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@link Timers} whose time moves only in {@link #advance}; runs due actions on the caller's thread. */
public final class ManualTimers implements Timers {
    private final List<Scheduled> scheduled = new ArrayList<>();
    private Duration now = Duration.ZERO;
    private long sequence;

    @Override
    public Timer after(Duration delay, Runnable action) {
        Scheduled entry = new Scheduled(now.plus(delay), sequence++, action);
        scheduled.add(entry);
        return () -> scheduled.remove(entry);
    }

    /** Moves time forward, running every action that falls due, in due order. */
    public void advance(Duration by) {
        Duration target = now.plus(by);
        while (true) {
            Scheduled next = scheduled.stream()
                    .filter(s -> s.due.compareTo(target) <= 0)
                    .min(Comparator.comparing(Scheduled::due).thenComparingLong(Scheduled::sequence))
                    .orElse(null);
            if (next == null) {
                break;
            }
            scheduled.remove(next);
            now = next.due;
            next.action.run();
        }
        now = target;
    }

    public int pendingCount() {
        return scheduled.size();
    }

    private record Scheduled(Duration due, long sequence, Runnable action) {}
}
