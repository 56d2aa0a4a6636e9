package io.tandem.frameworks.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobReaderTest {

    @Test
    void readsADagWithDefaults() {
        Job job = JobReader.read("""
                name: etl
                stages:
                  - name: extract
                    command: echo extract
                    count: 3
                    resources: {cpus: 0.5, mem: 64}
                    retries: 2
                    backoff: 2s
                    timeout: 1m
                    constraints: ["hostname:UNIQUE"]
                  - name: load
                    depends_on: [extract]
                    command: echo load
                    resources: {cpus: 1, mem: 128, disk: 10}
                """, "job.yaml");

        assertThat(job.maxFailures()).isEqualTo(JobFile.DEFAULT_MAX_FAILURES);
        assertThat(job.totalTasks()).isEqualTo(4);
        Stage extract = job.stages().getFirst();
        assertThat(extract.backoffAfter(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(extract.backoffAfter(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(extract.timeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(job.stages().get(1).dependsOn()).containsExactly("extract");
        assertThat(job.stages().get(1).needs().diskMb()).isEqualTo(10);
    }

    @Test
    void theExampleJobFileIsValid() throws Exception {
        Job job = JobReader.read(java.nio.file.Files.readString(java.nio.file.Path.of("examples/etl.yaml")), "etl.yaml");

        assertThat(job.stages()).extracting(Stage::name).containsExactly("extract", "transform", "load");
        assertThat(job.totalTasks()).isEqualTo(7);
    }

    @Test
    void anUnknownKeyIsNamedWithItsLine() {
        assertThatThrownBy(() -> JobReader.read("""
                name: etl
                stages:
                  - name: a
                    comand: echo
                    resources: {cpus: 1, mem: 32}
                """, "job.yaml"))
                .hasMessageStartingWith("job.yaml line 4: stages[0].comand: unknown field; known: ")
                .hasMessageContaining("command");
    }

    @Test
    void aCycleNamesTheStagesAlongIt() {
        assertThatThrownBy(() -> JobReader.read("""
                name: loop
                stages:
                  - {name: a, command: x, resources: {cpus: 1, mem: 32}, depends_on: [c]}
                  - {name: b, command: x, resources: {cpus: 1, mem: 32}, depends_on: [a]}
                  - {name: c, command: x, resources: {cpus: 1, mem: 32}, depends_on: [b]}
                """, "job.yaml"))
                .hasMessage("job.yaml line 3: stages[0].depends_on forms a cycle: a -> c -> b -> a");
    }

    @Test
    void aBadValueNamesItsFieldAndLine() {
        assertThatThrownBy(() -> JobReader.read("""
                name: etl
                stages:
                  - name: a
                    command: echo
                    resources: {cpus: -1, mem: 32}
                """, "job.yaml"))
                .hasMessageStartingWith("job.yaml line 5: stages[0].resources.cpus must be a positive number, got -1.0");
    }

    @Test
    void aWrongTypeAndABadDurationAreNamed() {
        assertThatThrownBy(() -> JobReader.read("""
                name: etl
                stages:
                  - name: a
                    command: echo
                    count: many
                    resources: {cpus: 1, mem: 32}
                """, "job.yaml"))
                .hasMessageContaining("line 5").hasMessageContaining("stages[0].count");
        assertThatThrownBy(() -> JobReader.read("""
                name: etl
                stages:
                  - {name: a, command: echo, resources: {cpus: 1, mem: 32}, timeout: soon}
                """, "job.yaml"))
                .hasMessageStartingWith("job.yaml line 3: stages[0].timeout is wrong: 'soon' is not a duration");
    }

    @Test
    void aZeroTimeoutIsRefusedWithItsFieldAndLine() {
        assertThatThrownBy(() -> JobReader.read("""
                name: etl
                stages:
                  - {name: a, command: echo, resources: {cpus: 1, mem: 32}, timeout: 0s}
                """, "job.yaml"))
                .hasMessage("job.yaml line 3: stages[0].timeout is wrong: '0s' must be more than zero");
    }

    @Test
    void aMissingFieldIsNamedWithTheLineOfItsStage() {
        assertThatThrownBy(() -> JobReader.read("""
                name: etl
                stages:
                  - name: a
                    command: echo
                    resources: {cpus: 1, mem: 32}
                  - name: b
                    resources: {cpus: 1, mem: 32}
                """, "job.yaml"))
                .hasMessage("job.yaml line 6: stages[1].command is required (it runs through sh -c)");
    }

    @Test
    void anUnknownDependencyAndAnEmptyFileAreRefused() {
        assertThatThrownBy(() -> JobReader.read("""
                name: etl
                stages:
                  - {name: a, command: echo, resources: {cpus: 1, mem: 32}, depends_on: [z]}
                """, "job.yaml"))
                .hasMessageStartingWith("job.yaml line 3: stages[0].depends_on names 'z', which is no stage");
        assertThatThrownBy(() -> JobReader.read("  ", "job.yaml")).hasMessage("job.yaml: the job file is empty");
    }
}
