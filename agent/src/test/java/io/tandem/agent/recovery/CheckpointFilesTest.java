package io.tandem.agent.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFilesTest {
    @TempDir
    Path dir;

    @Test
    void appendedLinesReadBackInOrder() throws Exception {
        Path log = dir.resolve("updates");
        CheckpointFiles.append(log, List.of("one"));
        CheckpointFiles.append(log, List.of("two", "three"));

        assertThat(CheckpointFiles.readLines(log)).containsExactly("one", "two", "three");
    }

    @Test
    void aTornLastLineIsLeftOut() throws Exception {
        Path log = dir.resolve("updates");
        CheckpointFiles.append(log, List.of("whole"));
        Files.write(log, new byte[] {'h', 'a', (byte) 0xc3}, StandardOpenOption.APPEND); // cut inside a character

        assertThat(CheckpointFiles.readLines(log)).containsExactly("whole");
    }

    @Test
    void aMissingLogHasNoLines() throws Exception {
        assertThat(CheckpointFiles.readLines(dir.resolve("none"))).isEmpty();
    }

    @Test
    void aLineWithANewlineIsRefused() {
        assertThatThrownBy(() -> CheckpointFiles.append(dir.resolve("log"), List.of("a\nb")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("newline");
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
