package io.tandem.agent.process;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;

/** Turns a Mesos {@link CommandInfo} into an argv and environment. Pure functions. */
public final class CommandLines {
    private CommandLines() {}

    /**
     * {@code /bin/sh -c value} for a shell command (the default). For {@code shell=false}, Mesos
     * execs {@code value} with {@code arguments} as the whole argv, argv[0] included; Java cannot
     * set argv[0] apart from the program, so we run {@code value} followed by {@code arguments[1..]}.
     *
     * @throws IllegalArgumentException when the command names nothing to run
     */
    public static List<String> argv(CommandInfo command) {
        if (!command.hasValue() || command.getValue().isBlank()) {
            throw new IllegalArgumentException("the command has no 'value' to run");
        }
        if (command.getShell()) {
            return List.of("/bin/sh", "-c", command.getValue());
        }
        List<String> argv = new ArrayList<>();
        argv.add(command.getValue());
        List<String> arguments = command.getArgumentsList();
        if (arguments.size() > 1) {
            argv.addAll(arguments.subList(1, arguments.size()));
        }
        return argv;
    }

    /**
     * The command's own environment variables.
     *
     * @throws IllegalArgumentException for secret variables, which this agent cannot resolve
     */
    public static Map<String, String> environment(CommandInfo command) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (Environment.Variable variable : command.getEnvironment().getVariablesList()) {
            if (variable.getType() == Environment.Variable.Type.SECRET) {
                throw new IllegalArgumentException(
                        "environment variable '" + variable.getName() + "' is a secret, which this agent does not support");
            }
            environment.put(variable.getName(), variable.getValue());
        }
        return environment;
    }
}
