package io.tandem.master;

import com.google.protobuf.ByteString;
import java.util.Optional;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.Secret;

/**
 * Mesos's check of a command's environment variables, with its messages, so that a framework sees
 * the TASK_ERROR it would see on Mesos: a VALUE variable (the default type) needs a value and no
 * secret; a SECRET variable needs a well-formed secret without NUL bytes and no value; UNKNOWN is
 * refused. Stateless.
 */
final class EnvironmentValidation {
    private EnvironmentValidation() {}

    /** The first problem with {@code environment}'s variables, if any. */
    static Optional<String> problemWith(Environment environment) {
        for (Environment.Variable variable : environment.getVariablesList()) {
            Optional<String> problem = switch (variable.getType()) {
                case VALUE -> valueProblem(variable);
                case SECRET -> secretVariableProblem(variable);
                case UNKNOWN -> Optional.of("Environment variable of type 'UNKNOWN' is not allowed");
            };
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> valueProblem(Environment.Variable variable) {
        if (!variable.hasValue()) {
            return Optional.of(named(variable) + " of type 'VALUE' must have a value set");
        }
        if (variable.hasSecret()) {
            return Optional.of(named(variable) + " of type 'VALUE' must not have a secret set");
        }
        return Optional.empty();
    }

    private static Optional<String> secretVariableProblem(Environment.Variable variable) {
        if (!variable.hasSecret()) {
            return Optional.of(named(variable) + " of type 'SECRET' must have a secret set");
        }
        if (variable.hasValue()) {
            return Optional.of(named(variable) + " of type 'SECRET' must not have a value set");
        }
        Optional<String> invalid = secretProblem(variable.getSecret());
        if (invalid.isPresent()) {
            return Optional.of(named(variable) + " specifies an invalid secret: " + invalid.get());
        }
        if (containsNul(variable.getSecret().getValue().getData())) {
            return Optional.of(named(variable)
                    + " specifies a secret containing null bytes, which is not allowed in the environment");
        }
        return Optional.empty();
    }

    private static Optional<String> secretProblem(Secret secret) {
        switch (secret.getType()) {
            case REFERENCE -> {
                if (!secret.hasReference()) {
                    return Optional.of("Secret of type REFERENCE must have the 'reference' field set");
                }
                if (secret.hasValue()) {
                    return Optional.of("Secret '" + secret.getReference().getName()
                            + "' of type REFERENCE must not have the 'value' field set");
                }
            }
            case VALUE -> {
                if (!secret.hasValue()) {
                    return Optional.of("Secret of type VALUE must have the 'value' field set");
                }
                if (secret.hasReference()) {
                    return Optional.of("Secret of type VALUE must not have the 'reference' field set");
                }
            }
            case UNKNOWN -> {
                // a type newer than this master; Mesos lets it pass too
            }
        }
        return Optional.empty();
    }

    private static boolean containsNul(ByteString data) {
        for (int i = 0; i < data.size(); i++) {
            if (data.byteAt(i) == 0) {
                return true;
            }
        }
        return false;
    }

    private static String named(Environment.Variable variable) {
        return "Environment variable '" + variable.getName() + "'";
    }
}
