package io.tandem.frameworks.common;

import java.util.Map;
import java.util.SequencedMap;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;

/**
 * The one way the frameworks turn a user's command into a Mesos {@code CommandInfo}: run through
 * {@code sh -c}, with the user's environment first and then the variables Tandem sets (which win, as
 * they come later), in a stable order.
 */
public final class ShellCommand {
    private ShellCommand() {}

    /**
     * @param userEnv what the file's {@code env} says
     * @param tandemEnv what the scheduler sets ({@code PORT0}, {@code TANDEM_JOB}, ...), in this order
     */
    public static CommandInfo of(String command, Map<String, String> userEnv, SequencedMap<String, String> tandemEnv) {
        return CommandInfo.newBuilder().setShell(true).setValue(command)
                .setEnvironment(environment(userEnv, tandemEnv)).build();
    }

    public static Environment environment(Map<String, String> userEnv, SequencedMap<String, String> tandemEnv) {
        Environment.Builder env = Environment.newBuilder();
        new java.util.TreeMap<>(userEnv).forEach((k, v) -> env.addVariables(variable(k, v)));
        tandemEnv.forEach((k, v) -> env.addVariables(variable(k, v)));
        return env.build();
    }

    private static Environment.Variable variable(String name, String value) {
        return Environment.Variable.newBuilder().setName(name).setType(Environment.Variable.Type.VALUE)
                .setValue(value).build();
    }
}
