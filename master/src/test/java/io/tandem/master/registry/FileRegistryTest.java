package io.tandem.master.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRegistryTest {
    @TempDir
    Path dir;

    static RegistryState sample() {
        return new RegistryState(RegistryState.FORMAT,
                List.of(new RegistryState.AgentEntry("a-S0", "host-1",
                        List.of(new RegistryState.ReservationEntry("cpus:1", "cpus(prod):1")))),
                List.of(new RegistryState.FrameworkEntry("f-0000", "{\"name\":\"fw\",\"failoverTimeout\":60}")),
                Map.of("prod", 2.0), Map.of("prod", new RegistryState.QuotaEntry("cpus:1", "cpus:4")), List.of("a-S7"));
    }

    @Test
    void nothingStoredReadsAsEmpty() throws Exception {
        assertThat(new FileRegistry(dir).load()).isEqualTo(RegistryState.empty());
    }

    @Test
    void storedStateReadsBackWholeAndLeavesNoTemporaryFile() throws Exception {
        new FileRegistry(dir).store(RegistryState.empty());
        new FileRegistry(dir).store(sample());

        assertThat(new FileRegistry(dir).load()).isEqualTo(sample());
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(FileRegistry.FILE);
        }
    }

    @Test
    void unreadableRegistryIsRefusedNamingTheFile() throws Exception {
        Files.writeString(dir.resolve(FileRegistry.FILE), "{ not json");

        assertThatThrownBy(() -> new FileRegistry(dir).load()).isInstanceOf(RegistryException.class)
                .hasMessageContaining(dir.resolve(FileRegistry.FILE).toString());
    }

    @Test
    void registryFromANewerTandemIsRefused() throws Exception {
        Files.writeString(dir.resolve(FileRegistry.FILE), "{\"version\": 99, \"agents\": [], \"frameworks\": [],"
                + " \"weights\": {}, \"quotas\": {}}");

        assertThatThrownBy(() -> new FileRegistry(dir).load()).hasMessageContaining("format 99");
    }

    @Test
    void registryWrittenBeforeGoneAgentsWereKeptReadsWithNone() throws Exception {
        Files.writeString(dir.resolve(FileRegistry.FILE), "{\"version\": 1, \"agents\": [], \"frameworks\": [],"
                + " \"weights\": {}, \"quotas\": {}}");

        assertThat(new FileRegistry(dir).load().goneAgents()).isEmpty();
    }
}
