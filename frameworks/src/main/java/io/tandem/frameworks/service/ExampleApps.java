package io.tandem.frameworks.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** App files shipped with Tandem, for demos and documentation. */
public final class ExampleApps {
    private ExampleApps() {}

    /**
     * {@code web.yaml}: three {@code python3 -m http.server $PORT0} instances health-checked over HTTP
     * (the one in frameworks/README.md). Deploy with {@code new ServiceClient(url).deploy(ExampleApps.web(), "web.yaml")}.
     */
    public static String web() {
        try (InputStream in = ExampleApps.class.getResourceAsStream("web.yaml")) {
            if (in == null) {
                throw new IllegalStateException("web.yaml is missing from the frameworks jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
