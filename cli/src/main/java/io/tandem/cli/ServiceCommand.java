package io.tandem.cli;

import io.tandem.frameworks.service.AppSpecReader;
import io.tandem.frameworks.service.AppStatus;
import io.tandem.frameworks.service.ServiceClient;
import io.tandem.frameworks.service.ServiceConfig;
import io.tandem.frameworks.service.ServiceScheduler;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tandem service}: the long-running service scheduler ({@code serve}) and the verbs that talk
 * to its HTTP API ({@code deploy}, {@code scale}, {@code status}, {@code remove}).
 */
@Command(name = "service", mixinStandardHelpOptions = true,
        description = "Keep N instances of a command running, health-checked, updated one at a time.",
        subcommands = {ServiceCommand.Serve.class, ServiceCommand.Deploy.class, ServiceCommand.Scale.class,
            ServiceCommand.Status.class, ServiceCommand.Remove.class})
final class ServiceCommand {

    /** Where the verbs find the scheduler: --scheduler, else TANDEM_SERVICE_SCHEDULER, else the default port. */
    static final class SchedulerOption {
        @Option(names = {"--scheduler", "--service-scheduler"}, paramLabel = "URL",
                description = "Service scheduler URL (env TANDEM_SERVICE_SCHEDULER; default: ${DEFAULT-VALUE}).")
        String url = "http://127.0.0.1:" + ServiceConfig.DEFAULT_PORT;

        ServiceClient client() {
            URI uri;
            try {
                uri = URI.create(url.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--scheduler '" + url + "' is not a URL, e.g. http://127.0.0.1:5070");
            }
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("--scheduler '" + url + "' is not a URL, e.g. http://127.0.0.1:5070");
            }
            return new ServiceClient(uri);
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Run the service scheduler until SIGTERM or Ctrl-C; its tasks keep running after it stops.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--master", required = true, paramLabel = "URL",
                description = "Master URL, or several separated by commas (env TANDEM_MASTER).")
        String master;

        @Option(names = "--role", description = "Role of the services' tasks (default: ${DEFAULT-VALUE}).")
        String role = "services";

        @Option(names = {"--port", "--service-port"}, paramLabel = "P",
                description = "Port of the HTTP API; 0 picks one (env TANDEM_SERVICE_PORT; default: ${DEFAULT-VALUE}).")
        int port = ServiceConfig.DEFAULT_PORT;

        @Option(names = {"--bind", "--service-bind"}, paramLabel = "HOST",
                description = "Address of the HTTP API (default: ${DEFAULT-VALUE}).")
        String bind = "127.0.0.1";

        @Option(names = "--state-dir", paramLabel = "DIR",
                description = "Where the state is kept without --zk (default: ~/.tandem/services).")
        Path stateDir;

        @Option(names = "--zk", paramLabel = "zk://HOST:PORT/PATH",
                description = "Keep the state in ZooKeeper instead, so another machine can take over.")
        String zk;

        @Option(names = "--failover-timeout", paramLabel = "DURATION",
                description = "How long the master keeps the tasks while this scheduler is away (default: ${DEFAULT-VALUE}).")
        Duration failoverTimeout = Duration.ofHours(168);

        @Option(names = "--log-level", description = "ERROR, WARN, INFO or DEBUG (default: ${DEFAULT-VALUE}).")
        String logLevel = "INFO";

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Logging.setLevel(logLevel);
            List<String> masters = MasterList.split(master);
            Path dir = stateDir != null ? stateDir : Path.of(System.getProperty("user.home"), ".tandem", "services");
            ServiceConfig config = ServiceConfig.defaults(masters.isEmpty() ? "" : masters.getFirst(), dir)
                    .withMasters(masters).withRole(role).withBind(bind, port).withFailoverTimeout(failoverTimeout)
                    .withZooKeeper(zk);
            try (ServiceScheduler scheduler = ServiceScheduler.start(config)) {
                PrintWriter out = spec.commandLine().getOut();
                out.println("Tandem service scheduler listening on " + scheduler.url());
                out.flush();
                PrintWriter err = spec.commandLine().getErr();
                scheduler.refusal().thenAccept(message -> {
                    err.println("tandem service serve: the master refused the service scheduler: " + message);
                    err.flush();
                    // Not on the driver's thread, which closing the scheduler (in the shutdown hook's wait) joins.
                    Thread.ofPlatform().name("tandem-service-refused").start(() -> System.exit(1));
                });
                Shutdown.awaitSignal();
            }
            return 0;
        }
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true,
            description = "Deploy an app file: a new app, a rolling update, or a new instance count.")
    static final class Deploy implements Callable<Integer> {
        @Mixin
        SchedulerOption scheduler = new SchedulerOption();

        @Parameters(paramLabel = "APP.yaml", description = "The app file.")
        Path file;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            String text;
            try {
                text = Files.readString(file);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("no such app file: " + file);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
            }
            String origin = file.getFileName().toString();
            AppSpecReader.read(text, origin);   // the same check the scheduler makes, before reaching it
            AppStatus status = scheduler.client().deploy(text, origin);
            spec.commandLine().getOut().println("deployed " + status.name() + " v" + status.version() + " ("
                    + status.desired() + " instance(s)): " + status.state());
            return 0;
        }
    }

    @Command(name = "scale", mixinStandardHelpOptions = true, description = "Change how many instances of an app run.")
    static final class Scale implements Callable<Integer> {
        @Mixin
        SchedulerOption scheduler = new SchedulerOption();

        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Parameters(index = "1", paramLabel = "N")
        int instances;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (instances < 0) {
                throw new IllegalArgumentException("N must be 0 or more, got " + instances);
            }
            AppStatus status = scheduler.client().scale(app, instances);
            spec.commandLine().getOut().println("scaled " + status.name() + " to " + status.desired() + " instance(s)");
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the apps, or one app, and their instances.")
    static final class Status implements Callable<Integer> {
        @Mixin
        SchedulerOption scheduler = new SchedulerOption();

        @Parameters(arity = "0..1", paramLabel = "APP")
        String app;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ServiceClient client = scheduler.client();
            List<AppStatus> apps = app == null ? client.statuses() : List.of(client.status(app));
            PrintWriter out = spec.commandLine().getOut();
            if (apps.isEmpty()) {
                out.println("no apps");
            }
            apps.forEach(a -> out.print(table(a)));
            out.flush();
            return 0;
        }
    }

    /** One app's line, then one line per instance. */
    static String table(AppStatus a) {
        StringBuilder text = new StringBuilder();
        text.append(String.format("%s  v%d  %s  healthy %d/%d%s%n", a.name(), a.version(), a.state(), a.healthy(),
                a.desired(), a.message().isEmpty() ? "" : "  " + a.message()));
        for (AppStatus.InstanceStatus i : a.instances()) {
            String ports = i.ports().stream().map(String::valueOf).collect(Collectors.joining(","));
            text.append(String.format("  %s  v%d  %s  %s  %s%s%n", i.taskId(), i.version(), i.state(), i.health(),
                    i.host(), ports.isEmpty() ? "" : ":" + ports));
        }
        return text.toString();
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an app and kill its instances.")
    static final class Remove implements Callable<Integer> {
        @Mixin
        SchedulerOption scheduler = new SchedulerOption();

        @Parameters(paramLabel = "APP")
        String app;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            int killing = scheduler.client().remove(app);
            spec.commandLine().getOut().println("removed " + app + "; killing " + killing + " instance(s)");
            return 0;
        }
    }
}
