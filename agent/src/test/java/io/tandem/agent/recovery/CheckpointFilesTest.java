package io.tandem.agent.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFilesTest {
    @TempDir
    Path dir;

    @Test
    void linesReadBackInOrder() throws Exception {
        Path log = dir.resolve("journal");
        Files.writeString(log, "one\ntwo\nthree\n");

        assertThat(CheckpointFiles.readLines(log)).containsExactly("one", "two", "three");
    }

    @Test
    void aTornLastLineIsLeftOut() throws Exception {
        Path log = dir.resolve("journal");
        Files.writeString(log, "whole\n");
        Files.write(log, new byte[] {'h', 'a', (byte) 0xc3}, StandardOpenOption.APPEND); // cut inside a character

        assertThat(CheckpointFiles.readLines(log)).containsExactly("whole");
    }

    @Test
    void aMissingLogHasNoLines() throws Exception {
        assertThat(CheckpointFiles.readLines(dir.resolve("none"))).isEmpty();
    }

    @Test
    void temporariesACrashLeftAreRemovedAndNothingElse() throws Exception {
        Files.writeString(dir.resolve("tasks.journal"), "kept\n");
        Files.writeString(dir.resolve("tasks.journal.123.4.tmp"), "half");
        Files.writeString(dir.resolve("other.123.4.tmp"), "not ours");

        CheckpointFiles.removeTemporaries(dir, "tasks.journal");

        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("tasks.journal", "other.123.4.tmp");
        }
    }

    @Test
    void anAtomicWriteReplacesTheFileAndLeavesNoTemporaryBehind() throws Exception {
        Path file = dir.resolve("task.json");
        CheckpointFiles.writeAtomically(file, "old");
        CheckpointFiles.writeAtomically(file, "new");

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("new");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("task.json");
        }
    }
}
