package io.tandem.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxFilesTest {
    @TempDir
    Path workDir;

    private Path root;
    private Path task;
    private SandboxFiles files;

    @BeforeEach
    void makeSandbox() throws IOException {
        root = workDir.resolve("sandboxes");
        task = Files.createDirectories(root.resolve("fw/t1"));
        Files.writeString(task.resolve("stdout"), "hello\nworld\n");
        Files.writeString(task.resolve("stderr"), "");
        Files.writeString(workDir.resolve("secret"), "do not show");
        files = new SandboxFiles(root);
    }

    @Test
    void readsByTheShortPathAndByTheRealPath() throws Exception {
        assertThat(files.read("/sandboxes/fw/t1/stdout", 0, -1)).isEqualTo(new SandboxFiles.Piece("hello\nworld\n", 0));
        assertThat(files.read(task.resolve("stdout").toString(), 6, 3)).isEqualTo(new SandboxFiles.Piece("wor", 6));
    }

    @Test
    void offsetMinusOneAnswersTheSizeAndAReadPastTheEndIsEmpty() throws Exception {
        assertThat(files.read("/sandboxes/fw/t1/stdout", -1, -1)).isEqualTo(new SandboxFiles.Piece("", 12));
        assertThat(files.read("/sandboxes/fw/t1/stdout", 50, 10)).isEqualTo(new SandboxFiles.Piece("", 50));
    }

    @Test
    void browseListsEntriesWithMesosFields() throws Exception {
        List<SandboxFiles.Entry> entries = files.browse("/sandboxes/fw/t1/");

        assertThat(entries).extracting(SandboxFiles.Entry::path)
                .containsExactly("/sandboxes/fw/t1/stderr", "/sandboxes/fw/t1/stdout");
        SandboxFiles.Entry stdout = entries.get(1);
        assertThat(stdout.size()).isEqualTo(12);
        assertThat(stdout.mode()).startsWith("-rw");
        assertThat(stdout.nlink()).isEqualTo(1);
        assertThat(stdout.uid()).isEqualTo(Files.getOwner(task.resolve("stdout")).getName());
        assertThat(stdout.mtime()).isPositive();
        assertThat(files.browse("/sandboxes")).singleElement().satisfies(fw -> assertThat(fw.mode()).startsWith("drwx"));
    }

    @Test
    void pathsOutsideTheSandboxesAreRefusedWithA400() throws IOException {
        Files.createSymbolicLink(task.resolve("escape"), workDir.resolve("secret"));

        assertRefused("/sandboxes/../secret", 400, "is outside the agent's sandboxes");
        assertRefused(workDir.resolve("secret").toString(), 400, "is outside the agent's sandboxes");
        assertRefused(task + "/../../../secret", 400, "is outside the agent's sandboxes");
        assertRefused("/sandboxes/fw/t1/escape", 400, "leads outside the agent's sandboxes (through a symbolic link)");
        assertRefused("fw/t1/stdout", 400, "must be absolute");
        assertRefused("", 400, "Expecting 'path' query parameter");
    }

    @Test
    void aMissingFileIsA404AndADirectoryCannotBeRead() {
        assertRefused("/sandboxes/fw/t2/stdout", 404, "No such file or directory: '/sandboxes/fw/t2/stdout'");
        assertThatThrownBy(() -> files.read("/sandboxes/fw/t1", 0, -1)).isInstanceOf(FileApiException.class)
                .hasMessageContaining("it is a directory");
    }

    @Test
    void textEndsOnAWholeCharacterAndStrayBytesCountOneEach() {
        byte[] euro = "a€".getBytes(StandardCharsets.UTF_8); // 'a' then 3 bytes
        assertThat(SandboxFiles.decode(ByteBuffer.wrap(euro, 0, 3))).isEqualTo("a");
        assertThat(SandboxFiles.decode(ByteBuffer.wrap(euro))).isEqualTo("a€");
        byte[] stray = {'x', (byte) 0xff, (byte) 0xfe, 'y'};
        assertThat(SandboxFiles.decode(ByteBuffer.wrap(stray))).isEqualTo("x??y");
    }

    private void assertRefused(String path, int status, String message) {
        assertThatThrownBy(() -> files.browse(path)).isInstanceOfSatisfying(FileApiException.class, e -> {
            assertThat(e.status).isEqualTo(status);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
