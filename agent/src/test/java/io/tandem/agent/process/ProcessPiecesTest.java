package io.tandem.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.junit.jupiter.api.Test;

class ProcessPiecesTest {

    @Test
    void exitCodesAboveOneHundredTwentyEightReadAsSignals() {
        assertThat(new ExitStatus(0).describe("Command")).isEqualTo("Command exited with status 0");
        assertThat(new ExitStatus(3).describe("Command")).isEqualTo("Command exited with status 3");
        assertThat(new ExitStatus(128 + 9).describe("Command")).isEqualTo("Command terminated with signal SIGKILL");
        assertThat(new ExitStatus(128 + 15).signalName()).isEqualTo("SIGTERM");
        assertThat(new ExitStatus(128).signaled()).isFalse();
    }

    @Test
    void shellCommandRunsUnderBinSh() {
        assertThat(CommandLines.argv(CommandInfo.newBuilder().setValue("echo hi").build()))
                .containsExactly("/bin/sh", "-c", "echo hi");
    }

    @Test
    void argvCommandDropsArgvZeroFromTheArguments() {
        CommandInfo command = CommandInfo.newBuilder().setShell(false).setValue("/bin/echo")
                .addAllArguments(List.of("echo", "a", "b")).build();

        assertThat(CommandLines.argv(command)).containsExactly("/bin/echo", "a", "b");
    }

    @Test
    void commandWithoutValueIsRefused() {
        assertThatThrownBy(() -> CommandLines.argv(CommandInfo.getDefaultInstance()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'value'");
    }

    @Test
    void secretEnvironmentVariablesAreRefusedByName() {
        CommandInfo command = CommandInfo.newBuilder().setValue("true").setEnvironment(Environment.newBuilder()
                .addVariables(Environment.Variable.newBuilder().setName("TOKEN")
                        .setType(Environment.Variable.Type.SECRET))).build();

        assertThatThrownBy(() -> CommandLines.environment(command)).hasMessageContaining("'TOKEN'");
    }

    @Test
    void idsThatAreNotDirectoryNamesAreRefused() {
        assertThat(Sandboxes.unusableId("task", "web-1.2")).isEmpty();
        assertThat(Sandboxes.unusableId("task", "..")).isPresent();
        assertThat(Sandboxes.unusableId("task", "a/b")).get().asString().contains("'a/b'");
        assertThat(Sandboxes.unusableId("task", "a\nb")).isPresent();
        assertThat(Sandboxes.unusableId("task", "t".repeat(Sandboxes.MAX_ID_BYTES))).isEmpty();
        assertThat(Sandboxes.unusableId("task", "é".repeat(Sandboxes.MAX_ID_BYTES / 2 + 1))).get().asString()
                .contains("242 bytes long", "at most 240");
    }

    @Test
    void programsAreFoundLikeExecvpFindsThem() {
        assertThat(ProcessLauncher.findOnPath("sh", "/nonexistent:/bin", Path.of("/"))).contains(Path.of("/bin/sh"));
        assertThat(ProcessLauncher.findOnPath("no-such-program-here", "/bin", Path.of("/"))).isEmpty();
        assertThat(ProcessLauncher.findOnPath("./sh", "", Path.of("/bin"))).isPresent();
    }
}
