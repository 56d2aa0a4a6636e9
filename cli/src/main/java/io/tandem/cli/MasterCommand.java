package io.tandem.cli;

import io.tandem.master.Master;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tandem master}: runs one master until SIGTERM or Ctrl-C. */
@Command(name = "master", mixinStandardHelpOptions = true,
        description = "Run a master: it admits agents and offers their resources to frameworks.")
final class MasterCommand implements Callable<Integer> {
    @Mixin
    MasterOptions master = new MasterOptions();

    @Option(names = "--work-dir", required = true, description = "Directory for the master's state (env TANDEM_WORK_DIR).")
    Path workDir;

    @Option(names = "--hostname", description = "Hostname the master advertises (default: the bind address, or this machine's name).")
    String hostname;

    @Option(names = "--log-level", description = "ERROR, WARN, INFO, DEBUG or TRACE (default: ${DEFAULT-VALUE}).")
    String logLevel = "INFO";

    @Override
    public Integer call() throws Exception {
        Logging.setLevel(logLevel);
        var ha = master.highAvailability();
        try (Master running = Master.start(master.toConfig(workDir, hostname, "0.0.0.0"), ha, InstantSource.system())) {
            System.out.println("Tandem master listening on " + running.url()
                    + ha.map(h -> " (one of the masters at " + h.zk() + "; standby until elected)").orElse(""));
            Shutdown.awaitSignal();
        }
        return 0;
    }
}
