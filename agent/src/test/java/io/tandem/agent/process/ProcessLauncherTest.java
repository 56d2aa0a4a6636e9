package io.tandem.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real tandem-launcher, its supervisors and the status files they write. */
class ProcessLauncherTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private ProcessLauncher launcher;
    private final List<ProcessGroup> started = new ArrayList<>();

    @BeforeEach
    void startLauncher() throws IOException {
        launcher = new ProcessLauncher(dir.resolve("bin"));
    }

    @AfterEach
    void killLeftovers() {
        started.forEach(ProcessGroup::kill);
        started.forEach(group -> ProcessHandle.of(group.pid()).ifPresent(ProcessHandle::destroyForcibly));
        launcher.close();
    }

    @Test
    void recordsTheExitCodeAndReportsIt() throws Exception {
        ProcessGroup task = start("exit 3");

        assertThat(task.exit().get(30, TimeUnit.SECONDS)).isEqualTo(new ExitStatus(3));
        assertThat(ExitStatusFile.read(statusFile())).contains(new ExitStatus(3));
        assertThat(Files.exists(dir.resolve("exit.tmp"))).isFalse();
    }

    @Test
    void recordsDeathBySignalAsAShellWould() throws Exception {
        ProcessGroup task = start("kill -KILL $$");

        assertThat(task.exit().get(30, TimeUnit.SECONDS).code()).isEqualTo(128 + 9);
        assertThat(ExitStatusFile.read(statusFile()).orElseThrow().describe("Command"))
                .isEqualTo("Command terminated with signal SIGKILL");
    }

    @Test
    void sigtermToTheGroupEndsTheCommandAndIsStillRecorded() throws Exception {
        ProcessGroup task = start("echo $$ > started; exec sleep 60");
        await().atMost(PATIENCE).until(() -> Files.exists(dir.resolve("started")));

        task.terminate(Duration.ofMinutes(1));

        assertThat(task.exit().get(30, TimeUnit.SECONDS).code()).isEqualTo(128 + 15);
        assertThat(ExitStatusFile.read(statusFile())).contains(new ExitStatus(128 + 15));
    }

    @Test
    void sigtermToTheSupervisorAloneDoesNotKillIt() throws Exception {
        ProcessGroup task = start("echo $$ > started; while [ ! -e gate ]; do sleep 0.05; done; exit 5");
        await().atMost(PATIENCE).until(() -> Files.exists(dir.resolve("started")));

        ProcessHandle.of(task.pid()).orElseThrow().destroy();
        Files.createFile(dir.resolve("gate"));

        assertThat(task.exit().get(30, TimeUnit.SECONDS)).isEqualTo(new ExitStatus(5));
        assertThat(ExitStatusFile.read(statusFile())).contains(new ExitStatus(5));
    }

    @Test
    void theTaskRunsInItsOwnSessionWithItsEnvironmentAndStreams() throws Exception {
        ProcessGroup task = launcher.launch(new LaunchSpec(List.of("/bin/sh", "-c",
                "echo \"$GREETING from\" $(ps -o sid= -p $$); echo oops >&2; grep SigIgn /proc/$$/status; cat"),
                Map.of("GREETING", "hello"), dir), Confinement.NONE, null);
        started.add(task);

        assertThat(task.exit().get(30, TimeUnit.SECONDS).succeeded()).isTrue();
        List<String> out = Files.readAllLines(dir.resolve("stdout"));
        assertThat(out.getFirst().strip()).isEqualTo("hello from " + task.pid());
        long ignored = Long.parseLong(out.get(1).split("\\s+")[1], 16);
        assertThat(ignored & 0x7fffffffL).as("standard signals ignored: %x", ignored).isZero();
        assertThat(Files.readString(dir.resolve("stderr"))).isEqualTo("oops\n");
    }

    @Test
    void aProgramThatIsMissingOrCannotRunIsRefusedWithTheReason() throws Exception {
        Files.writeString(dir.resolve("script"), "#!/nonexistent/interpreter\n");
        dir.resolve("script").toFile().setExecutable(true);

        assertThatThrownBy(() -> launcher.launch(new LaunchSpec(List.of("no-such-program"), Map.of(), dir)))
                .isInstanceOf(IOException.class).hasMessage("Failed to launch 'no-such-program': no such executable on PATH");
        assertThatThrownBy(() -> launcher.launch(new LaunchSpec(List.of("./script"), Map.of(), dir)))
                .isInstanceOf(IOException.class).hasMessage("Failed to launch './script': No such file or directory");
    }

    @Test
    void aSandboxThatIsGoneFailsTheLaunchAndTheNextOneStillWorks() throws Exception {
        assertThatThrownBy(() -> launcher.launch(new LaunchSpec(List.of("true"), Map.of(), dir.resolve("gone"))))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot enter the sandbox");

        assertThat(start("exit 0").exit().get(30, TimeUnit.SECONDS).succeeded()).isTrue();
    }

    @Test
    void aLaunchWithMoreArgumentsThanTheLauncherTakesIsRefusedWholeAndTheNextOneStillWorks() throws Exception {
        List<String> argv = new ArrayList<>(List.of("true"));
        argv.addAll(java.util.Collections.nCopies(5000, "x"));

        assertThatThrownBy(() -> launcher.launch(new LaunchSpec(argv, Map.of(), dir)))
                .isInstanceOf(IOException.class).hasMessageContaining("more than 4096 arguments");
        assertThat(start("exit 0").exit().get(30, TimeUnit.SECONDS).succeeded()).isTrue();
    }

    @Test
    void manyLaunchesAtOnceAllRunAndEnd() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<ProcessGroup> groups = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 200; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    groups.add(launcher.launch(new LaunchSpec(List.of("true"), Map.of(), dir)));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(groups).hasSize(200);
        for (ProcessGroup group : groups) {
            assertThat(group.exit().get(30, TimeUnit.SECONDS).succeeded()).isTrue();
        }
    }

    @Test
    void noStatusBeforeTheCommandEnds() throws Exception {
        assertThat(ExitStatusFile.read(statusFile())).isEmpty();
        Files.writeString(statusFile(), "garbage");
        assertThat(ExitStatusFile.read(statusFile())).isEmpty();
    }

    private Path statusFile() {
        return dir.resolve("exit");
    }

    private ProcessGroup start(String command) throws IOException {
        ProcessGroup group = launcher.launch(new LaunchSpec(List.of("/bin/sh", "-c", command), Map.of(), dir),
                Confinement.NONE, statusFile());
        started.add(group);
        return group;
    }
}
