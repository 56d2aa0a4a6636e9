package io.tandem.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxCollectorTest {
    private static final Duration DELAY = Duration.ofHours(1);

    @TempDir
    Path root;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final InstantSource clock = () -> now.get();
    private double usage = 0.5;
    private final SandboxCollector collector = new SandboxCollector(DELAY, clock, () -> usage);

    private Path sandbox(String name) throws IOException {
        Path dir = Files.createDirectories(root.resolve("fw").resolve(name));
        Files.writeString(dir.resolve("stdout"), "out of " + name);
        return dir;
    }

    private void advance(Duration by) {
        now.set(now.get().plus(by));
    }

    @Test
    void anEndedSandboxIsRemovedOnceTheDelayHasPassed() throws IOException {
        Path task = sandbox("t1");
        collector.inUse(task);
        collector.released(task);

        advance(DELAY.minusSeconds(1));
        assertThat(collector.sweep()).isZero();
        assertThat(task).exists();

        advance(Duration.ofSeconds(1));
        assertThat(collector.sweep()).isEqualTo(1);
        assertThat(task).doesNotExist();
        assertThat(collector.pending()).isEmpty();
    }

    @Test
    void aSandboxInUseIsNeverRemoved() throws IOException {
        Path task = sandbox("t1");
        collector.inUse(task);

        advance(DELAY.multipliedBy(10));
        usage = 0.99;

        assertThat(collector.sweep()).isZero();
        assertThat(task).exists();
    }

    @Test
    void aRelaunchUnderTheSameIdCancelsTheRemoval() throws IOException {
        Path task = sandbox("t1");
        collector.inUse(task);
        collector.released(task);
        advance(DELAY.dividedBy(2));

        collector.inUse(task);
        advance(DELAY);

        assertThat(collector.sweep()).isZero();
        assertThat(task).exists();
    }

    @Test
    void aNearlyFullDiskRemovesEndedSandboxesOldestFirstUntilThereIsRoom() throws IOException {
        Path older = sandbox("older");
        Path newer = sandbox("newer");
        Path running = sandbox("running");
        SandboxCollector filling = new SandboxCollector(DELAY, clock, () -> Files.exists(older) ? 0.95 : 0.5);
        filling.inUse(running);
        filling.released(older);
        advance(Duration.ofMinutes(1));
        filling.released(newer);

        assertThat(filling.sweep()).isEqualTo(1);
        assertThat(older).doesNotExist();
        assertThat(newer).exists();
        assertThat(running).exists();
    }

    @Test
    void aSweepAsksTheFileSystemOnceWhileThereIsRoom() throws IOException {
        AtomicInteger asked = new AtomicInteger();
        SandboxCollector counting = new SandboxCollector(DELAY, clock, () -> {
            asked.incrementAndGet();
            return 0.5;
        });
        for (int i = 0; i < 100; i++) {
            counting.released(sandbox("ended-" + i));
        }

        assertThat(counting.sweep()).isZero();
        assertThat(asked).hasValue(1);
    }

    @Test
    void onlySandboxesInUseAreLive() throws IOException {
        Path running = sandbox("running");
        Path done = sandbox("done");
        collector.inUse(running);
        collector.inUse(done);
        collector.released(done);

        assertThat(collector.live()).containsExactly(running);
    }

    @Test
    void sandboxesLeftByAnEarlierRunCountAsEndedWhenLastWritten() throws IOException {
        Path old = sandbox("old");
        Path recent = sandbox("recent");
        Files.setLastModifiedTime(old, FileTime.from(now.get().minus(DELAY).minusSeconds(5)));
        Files.setLastModifiedTime(old.resolve("stdout"), FileTime.from(now.get().minus(DELAY).minusSeconds(5)));
        Files.setLastModifiedTime(recent, FileTime.from(now.get()));

        collector.adopt(List.of(old, recent));

        assertThat(collector.sweep()).isEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(recent).exists();
        assertThat(collector.pending()).containsExactly(recent);
    }
}
