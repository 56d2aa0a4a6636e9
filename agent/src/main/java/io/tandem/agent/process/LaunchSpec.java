package io.tandem.agent.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to run: {@code argv} (program first), extra environment variables on top of the agent's
 * own environment, and the sandbox that becomes the working directory and receives the
 * {@code stdout} and {@code stderr} files.
 */
public record LaunchSpec(List<String> argv, Map<String, String> environment, Path sandbox) {
    public LaunchSpec {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program");
        }
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
    }
}
