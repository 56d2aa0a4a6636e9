package io.tandem.frameworks.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's Services section shows the app file that ships, and that file is a valid app. */
class ServicesDocTest {

    @Test
    void documentedExampleIsTheShippedOneAndParses() throws Exception {
        String doc = Files.readString(Path.of("README.md"));

        assertThat(doc).contains("```yaml\n" + ExampleApps.web() + "```");
        AppSpec web = AppSpecReader.read(ExampleApps.web(), "web.yaml");
        assertThat(web.name()).isEqualTo("web");
        assertThat(web.instances()).isEqualTo(3);
        assertThat(web.healthCheck()).hasValueSatisfying(h -> assertThat(h.kind()).isEqualTo(AppSpec.HealthCheckSpec.Kind.HTTP));
    }
}
