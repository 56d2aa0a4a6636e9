package io.tandem.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRotationTest {
    @TempDir
    Path sandbox;

    @Test
    void aLogPastTheLimitMovesToDotOneAndStartsEmpty() throws IOException {
        Files.writeString(sandbox.resolve("stdout"), "0123456789\n");
        Files.writeString(sandbox.resolve("stderr"), "small\n");

        new LogRotation(10, 3).rotateAll(List.of(sandbox));

        assertThat(sandbox.resolve("stdout")).isEmptyFile();
        assertThat(sandbox.resolve("stdout.1")).hasContent("0123456789");
        assertThat(sandbox.resolve("stderr")).hasContent("small");
        assertThat(sandbox.resolve("stderr.1")).doesNotExist();
    }

    @Test
    void olderFilesShiftUpAndTheOldestBeyondTheLimitIsDropped() throws IOException {
        LogRotation rotation = new LogRotation(1, 2);
        for (String generation : List.of("first", "second", "third")) {
            Files.writeString(sandbox.resolve("stdout"), generation);
            rotation.rotateAll(List.of(sandbox));
        }

        assertThat(sandbox.resolve("stdout.1")).hasContent("third");
        assertThat(sandbox.resolve("stdout.2")).hasContent("second");
        assertThat(sandbox.resolve("stdout.3")).doesNotExist();
    }

    @Test
    void aBigLogMovesWholeBlocksWithNothingLostOrRepeated() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 5000; i++) {
            lines.append("line ").append(i).append('\n');
        }
        Files.writeString(sandbox.resolve("stdout"), lines);

        new LogRotation(1024, 1).rotateAll(List.of(sandbox));

        String moved = Files.readString(sandbox.resolve("stdout.1"));
        String kept = Files.readString(sandbox.resolve("stdout"));
        assertThat(moved + kept).isEqualTo(lines.toString());
        assertThat(moved).isNotEmpty();
        assertThat(kept.length()).isLessThan(64 * 1024); // at most a partial block stays (or nothing, by truncation)
    }

    @Test
    void aSandboxWithoutLogsIsLeftAlone() {
        new LogRotation(1, 1).rotateAll(List.of(sandbox, sandbox.resolve("gone")));

        assertThat(sandbox).isEmptyDirectory();
    }
}
