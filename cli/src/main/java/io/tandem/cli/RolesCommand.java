package io.tandem.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tandem roles}: asks a Tandem master for {@code GET /roles/explain} and prints, per role and per
 * framework, allocation, dominant share, weight, quota, declared demand and unmet demand with its reason
 * ({@link RolesReport}), or the raw JSON with {@code --json}.
 */
@Command(name = "roles", mixinStandardHelpOptions = true,
        description = "Show each role's and framework's allocation, share, weight, quota and demand, and why"
                + " demand goes unmet.")
final class RolesCommand implements Callable<Integer> {
    static final String PATH = "/roles/explain";

    @Spec
    CommandSpec spec;

    @Mixin
    MasterReport report;

    @Override
    public Integer call() throws InterruptedException {
        return report.print(spec.commandLine(), "tandem roles", PATH, "the roles", "Tandem's role explanation",
                answer -> answer.has("roles"), RolesReport::render);
    }
}
