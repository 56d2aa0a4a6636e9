package io.tandem.frameworks;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.frameworks.service.ExampleApps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The example files the README points to exist, are the ones that ship, and are valid. */
class ExamplesTest {
    private static final Path EXAMPLES = Path.of("examples");

    @Test
    void theServiceExampleIsTheShippedWebApp() throws Exception {
        assertThat(Files.readString(EXAMPLES.resolve("web.yaml"))).isEqualTo(ExampleApps.web());
    }

    @Test
    void theReadmeNamesEachFrameworksExampleFile() throws Exception {
        String readme = Files.readString(Path.of("README.md"));

        assertThat(readme).contains("examples/etl.yaml").contains("examples/web.yaml")
                .contains("\"$(cat frameworks/examples/gang-hello.sh)\"");
    }

    @Test
    void theGangExampleSucceedsWithTheVariablesAGangSets() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", Files.readString(EXAMPLES.resolve("gang-hello.sh")))
                .redirectErrorStream(true);
        builder.environment().putAll(java.util.Map.of("TANDEM_GANG_RANK", "1", "TANDEM_GANG_SIZE", "2",
                "TANDEM_GANG_MEMBERS", "h:31000,h:31001", "PORT0", "31001"));
        Process member = builder.start();
        try {
            assertThat(member.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(member.getInputStream().readAllBytes())).contains("member 1 found itself in the list: h:31001");
            assertThat(member.exitValue()).isZero();
        } finally {
            member.destroyForcibly();
        }
    }
}
