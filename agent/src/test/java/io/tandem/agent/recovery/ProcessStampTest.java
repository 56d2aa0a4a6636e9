package io.tandem.agent.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessStampTest {
    @TempDir
    Path proc;

    @Test
    void thisJvmStillRunsAsItself() {
        ProcessStamp self = ProcessStamp.of(ProcessHandle.current().pid()).orElseThrow();

        assertThat(self.stillRuns()).isTrue();
        assertThat(self.startTime()).isPositive();
    }

    @Test
    void aPidReusedByAnotherProcessDoesNotCount() throws Exception {
        fakeProcess(42, "S", 1000);
        ProcessStamp earlier = new ProcessStamp(42, 999, "boot-1");

        assertThat(earlier.stillRuns(proc)).isFalse();
        assertThat(new ProcessStamp(42, 1000, "boot-1").stillRuns(proc)).isTrue();
    }

    @Test
    void aZombieOrAnotherBootDoesNotCount() throws Exception {
        fakeProcess(42, "Z", 1000);
        assertThat(new ProcessStamp(42, 1000, "boot-1").stillRuns(proc)).isFalse();

        fakeProcess(42, "S", 1000);
        assertThat(new ProcessStamp(42, 1000, "boot-0").stillRuns(proc)).isFalse();
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesIsSkipped() throws Exception {
        Files.createDirectories(proc.resolve("sys/kernel/random"));
        Files.writeString(proc.resolve("sys/kernel/random/boot_id"), "boot-1\n");
        Files.createDirectories(proc.resolve("7"));
        Files.writeString(proc.resolve("7/stat"), "7 (a) b (c) S" + " 1".repeat(18) + " 555 0 0\n");

        assertThat(ProcessStamp.of(proc, 7)).contains(new ProcessStamp(7, 555, "boot-1"));
    }

    @Test
    void formatAndParseRoundTrip() {
        ProcessStamp stamp = new ProcessStamp(12, 345, "b00t");

        assertThat(ProcessStamp.parse(stamp.format())).isEqualTo(stamp);
        assertThatThrownBy(() -> ProcessStamp.parse("12 x b00t")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("12 x b00t");
    }

    /** A /proc with one process: state and start time (field 22) as given. */
    private void fakeProcess(long pid, String state, long startTime) throws Exception {
        Files.createDirectories(proc.resolve("sys/kernel/random"));
        Files.writeString(proc.resolve("sys/kernel/random/boot_id"), "boot-1\n");
        Files.createDirectories(proc.resolve(Long.toString(pid)));
        StringBuilder stat = new StringBuilder(pid + " (sh) " + state);
        for (int field = 4; field <= 21; field++) {
            stat.append(" 0");
        }
        stat.append(' ').append(startTime).append(" 0 0\n");
        Files.writeString(proc.resolve(pid + "/stat"), stat);
    }
}
