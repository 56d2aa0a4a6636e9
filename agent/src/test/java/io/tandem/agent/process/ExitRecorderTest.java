package io.tandem.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-task supervisor shell, run for real under {@code setsid} as the agent runs it. */
class ExitRecorderTest {
    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
    }

    @Test
    void recordsTheExitCodeAndExitsWithIt() throws Exception {
        Process shell = start("exit 3");

        assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(shell.exitValue()).isEqualTo(3);
        assertThat(ExitRecorder.read(statusFile())).contains(new ExitStatus(3));
    }

    @Test
    void recordsSuccess() throws Exception {
        Process shell = start("true");

        shell.waitFor(30, TimeUnit.SECONDS);
        assertThat(ExitRecorder.read(statusFile())).contains(new ExitStatus(0));
        assertThat(Files.exists(dir.resolve("exit.tmp"))).isFalse();
    }

    @Test
    void recordsDeathBySignalAsAShellWould() throws Exception {
        Process shell = start("kill -KILL $$");

        shell.waitFor(30, TimeUnit.SECONDS);
        assertThat(shell.exitValue()).isEqualTo(128 + 9);
        assertThat(ExitRecorder.read(statusFile()).orElseThrow().describe("Command"))
                .isEqualTo("Command terminated with signal SIGKILL");
    }

    @Test
    void sigtermToTheGroupEndsTheCommandAndIsStillRecorded() throws Exception {
        Process shell = start("echo $$ > started; exec sleep 60");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("started")));

        new ProcessBuilder("kill", "-s", "TERM", "--", "-" + shell.pid()).start().waitFor();

        assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(shell.exitValue()).isEqualTo(128 + 15);
        assertThat(ExitRecorder.read(statusFile())).contains(new ExitStatus(128 + 15));
    }

    @Test
    void sigtermToTheShellAloneDoesNotKillIt() throws Exception {
        Process shell = start("echo $$ > started; while [ ! -e gate ]; do sleep 0.05; done; exit 5");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("started")));

        shell.toHandle().destroy(); // SIGTERM to the supervisor shell only
        shell.toHandle().destroy();
        Files.createFile(dir.resolve("gate"));

        assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(shell.exitValue()).isEqualTo(5);
        assertThat(ExitRecorder.read(statusFile())).contains(new ExitStatus(5));
    }

    @Test
    void theCommandDoesNotInheritIgnoredInterruptOrQuit() throws Exception {
        Process shell = start("grep SigIgn /proc/$$/status > ignored");

        shell.waitFor(30, TimeUnit.SECONDS);
        long mask = Long.parseLong(Files.readString(dir.resolve("ignored")).split("\\s+")[1], 16);
        assertThat(mask & 0b110).as("SIGINT and SIGQUIT ignored: mask %x", mask).isZero();
    }

    @Test
    void noStatusBeforeTheCommandEnds() throws Exception {
        assertThat(ExitRecorder.read(statusFile())).isEmpty();
        Files.writeString(statusFile(), "garbage");
        assertThat(ExitRecorder.read(statusFile())).isEmpty();
    }

    private Path statusFile() {
        return dir.resolve("exit");
    }

    private Process start(String command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("setsid"));
        argv.addAll(ExitRecorder.wrap(statusFile(), List.of("/bin/sh", "-c", command)));
        Process process = new ProcessBuilder(argv).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile()).start();
        started.add(process);
        return process;
    }
}
